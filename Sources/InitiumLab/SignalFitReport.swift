import Foundation
import InitiumCore
import InitiumNN
import InitiumPlot

/// Writes the report of one or several fits of the same signal (`initium fit --report`,
/// `initium compare --task fit --report`): the target and each reconstruction in the signal's
/// format (PNG or WAV), `psnr.svg` (PSNR against step, one line per fit), `error-spectrum.svg`
/// (the banded magnitude spectrum of each residual against the target's, ``SignalSpectrum``),
/// a JSON file with the numbers and a `README.md` tying them together. Each file is written
/// atomically.
public struct SignalFitReport {
    /// One fit: its label (the initialization) and its result, or the step where it diverged.
    public struct Entry: Sendable {
        /// The label, e.g. the scheme as typed.
        public var label: String
        /// The fit, or `nil` when it diverged.
        public var fit: SignalFit.Result?
        /// The step whose loss was not finite.
        public var divergedAtStep: Int?

        /// An entry.
        public init(label: String, fit: SignalFit.Result?, divergedAtStep: Int? = nil) {
            self.label = label
            self.fit = fit
            self.divergedAtStep = divergedAtStep
        }
    }

    /// The signal fitted.
    public let signal: SignalFile
    /// The settings, one line (model, steps, learning rate, seed).
    public let settings: String
    /// The fits.
    public let entries: [Entry]

    /// A report.
    public init(signal: SignalFile, settings: String, entries: [Entry]) {
        self.signal = signal
        self.settings = settings
        self.entries = entries
    }

    /// The reconstruction's file name of entry `index`: `reconstruction.EXT` for a single fit,
    /// `reconstruction-N-LABEL.EXT` for several (the label reduced to letters, digits, `-`, `.`).
    public func reconstructionName(_ index: Int) -> String {
        guard entries.count > 1 else { return "reconstruction." + signal.fileExtension }
        let safe = String(entries[index].label.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." ? $0 : "_" })
        return "reconstruction-\(index + 1)-\(safe).\(signal.fileExtension)"
    }

    /// Writes the files into `directory`, `summary` (encoded with ``InitiumNN/ResultJSON``) as
    /// `jsonName`; returns the paths.
    @discardableResult
    public func write<Summary: Encodable>(to directory: String, summary: Summary, jsonName: String) throws -> [String] {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        var written: [String] = []
        let target = "target." + signal.fileExtension
        try signal.write(signal.signal.values, to: path(target))
        written.append(path(target))
        for (i, entry) in entries.enumerated() {
            guard let fit = entry.fit else { continue }
            try signal.write(fit.reconstruction, to: path(reconstructionName(i)))
            written.append(path(reconstructionName(i)))
        }
        try AtomicWrite.write(try psnrPlot().render(), to: path("psnr.svg"))
        try AtomicWrite.write(try spectrumPlot().render(), to: path("error-spectrum.svg"))
        try AtomicWrite.write(try ResultJSON.encode(summary, pretty: true), to: path(jsonName))
        try AtomicWrite.write(try markdown(jsonName: jsonName), to: path("README.md"))
        return written + [path("psnr.svg"), path("error-spectrum.svg"), path(jsonName), path("README.md")]
    }

    /// PSNR against step, one line per fit.
    public func psnrPlot() throws -> SVGPlot {
        let fits = entries.compactMap(\.fit)
        let values = fits.flatMap(\.curve).map(\.psnr).filter(\.isFinite)
        let low = (values.min() ?? 0).rounded(.down) - 1, high = (values.max() ?? 1).rounded(.up) + 1
        let last = Double(max(1, fits.map(\.steps).max() ?? 1))
        var plot = try SVGPlot(
            title: "PSNR of the fit", xLabel: "Adam step", yLabel: "PSNR (dB, range 2)", xRange: 0...last, yRange: low...max(high, low + 1))
        for (i, entry) in entries.enumerated() {
            guard let fit = entry.fit else { continue }
            plot.addLine(fit.curve.map { (Double($0.step), $0.psnr) }, label: entry.label, color: SVGPlot.Color.series[i % SVGPlot.Color.series.count])
        }
        return plot
    }

    /// The frequency unit of the spectrum plot and its scale from cycles per sample.
    private var frequencyAxis: (label: String, scale: Double) {
        switch signal.kind {
        case .image: return ("spatial frequency (cycles/pixel, radially averaged)", 1)
        case .audio(let rate, _): return ("frequency (kHz)", Double(rate) / 1000)
        }
    }

    /// 20·log₁₀ of the banded magnitude spectra: the target's (grey, dashed) and each residual's.
    public func spectrumPlot() throws -> SVGPlot {
        let grid = signal.signal.grid
        let targetSpectrum = try SignalSpectrum(values: signal.signal.values, grid: grid)
        var residuals: [(Int, SignalSpectrum)] = []
        for (i, entry) in entries.enumerated() {
            guard let fit = entry.fit else { continue }
            residuals.append((i, try SignalSpectrum(values: try fit.reconstruction - signal.signal.values, grid: grid)))
        }
        func decibels(_ m: Double) -> Double { 20 * Foundation.log10(max(m, 1e-12)) }
        let all = ([targetSpectrum] + residuals.map(\.1)).flatMap(\.magnitudes).map(decibels).filter(\.isFinite)
        let axis = frequencyAxis
        var plot = try SVGPlot(
            title: "Error spectrum: residual vs target", xLabel: axis.label, yLabel: "mean |DFT| (dB)",
            xRange: 0...(0.5 * axis.scale), yRange: ((all.min() ?? -1) - 5)...((all.max() ?? 0) + 5))
        plot.addLine(zip(targetSpectrum.frequencies, targetSpectrum.magnitudes).map { ($0 * axis.scale, decibels($1)) },
                     label: "target", color: .black, width: 1.5, dashed: true)
        for (i, spectrum) in residuals {
            plot.addLine(zip(spectrum.frequencies, spectrum.magnitudes).map { ($0 * axis.scale, decibels($1)) },
                         label: "residual, " + entries[i].label, color: SVGPlot.Color.series[i % SVGPlot.Color.series.count], width: 1.5)
        }
        return plot
    }

    /// The Markdown summary.
    public func markdown(jsonName: String) throws -> String {
        let picture = signal.kind == .image
        var lines = [
            "# Fitting \(signal.name)", "",
            "Signal: `\(signal.path)`, grid \(signal.signal.grid.map(String.init).joined(separator: "×")), \(signal.signal.channels) channel(s), values in [−1, 1].",
            "", settings, "",
            "PSNR = 10·log₁₀(2²/MSE) over every grid point and channel (range 2 for [−1, 1] signals, SIREN's convention).", "",
            "| init | final PSNR (dB) | steps | seconds | steps/s | reconstruction |",
            "|---|---|---|---|---|---|",
        ]
        for (i, entry) in entries.enumerated() {
            if let fit = entry.fit {
                lines.append("| `\(entry.label)` | \(String(format: "%.2f", fit.finalPSNR)) | \(fit.steps) | \(String(format: "%.1f", fit.seconds)) | \(String(format: "%.1f", fit.stepsPerSecond)) | [\(reconstructionName(i))](\(reconstructionName(i))) |")
            } else {
                lines.append("| `\(entry.label)` | diverged at step \(entry.divergedAtStep ?? 0) | — | — | — | — |")
            }
        }
        lines += ["", "Target: [target.\(signal.fileExtension)](target.\(signal.fileExtension)).", ""]
        if picture {
            lines += entries.indices.filter { entries[$0].fit != nil }.map { "![\(entries[$0].label)](\(reconstructionName($0)))" } + [""]
        }
        lines += [
            "![PSNR curve](psnr.svg)", "",
            "The error spectrum: the banded magnitude spectrum of each residual (reconstruction − target) against the target's. "
                + "Where a residual's line meets the target's, the fit has learned nothing at those frequencies (a spectral bottleneck).", "",
            "![error spectrum](error-spectrum.svg)", "",
            "Numbers: [\(jsonName)](\(jsonName)).", "",
        ]
        return lines.joined(separator: "\n")
    }
}
