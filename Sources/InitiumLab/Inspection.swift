import Foundation
import InitiumCore
import InitiumNN
import InitiumPlot
import InitiumProbe
import InitiumTheory

/// `initium inspect` as a library call: builds and initializes the model of a ``TrainingRun``,
/// then measures signal propagation on one batch of real data, optionally the Jacobian spectrum
/// and the initial guessing bias over several seeds.
public struct Inspection: Sendable {
    /// Model, activation, scheme, data and seed (training settings are ignored).
    public var setup: TrainingRun
    /// Examples in the measured batch.
    public var batchSize: Int
    /// Whether to compute the Jacobian spectrum.
    public var computesJacobian: Bool
    /// Seeds for the guessing-bias measurement (empty: skipped).
    public var guessingBiasSeeds: Int

    /// An inspection.
    public init(setup: TrainingRun, batchSize: Int = 256, computesJacobian: Bool = false, guessingBiasSeeds: Int = 0) {
        self.setup = setup
        self.batchSize = batchSize
        self.computesJacobian = computesJacobian
        self.guessingBiasSeeds = guessingBiasSeeds
    }

    /// Runs the measurements.
    public func run() throws -> InspectionResult {
        guard batchSize >= 2 else { throw InitiumError.invalidArgument("`batchSize` must be at least 2 for statistics") }
        let (train, test) = try setup.loadData()
        let (model, _) = try setup.makeModel(for: train)
        let (inputs, labels) = train.randomBatch(batchSize, key: setup.key.fold("inspect"))
        let signal = try SignalPropagationReport(model: model, inputs: inputs, labels: labels, activation: setup.activation)
        let jacobian = computesJacobian ? try JacobianSpectrum(model: model, inputs: inputs, key: setup.key.fold("jacobian")) : nil
        var bias: GuessingBias?
        if guessingBiasSeeds > 0 {
            let probeInputs = try test.prefix(2000).inputs
            bias = try GuessingBias(
                seeds: (0..<UInt64(guessingBiasSeeds)).map { setup.seed &+ $0 }, inputs: probeInputs, classes: test.classCount
            ) { seed in
                var copy = setup
                copy.seed = seed
                return try copy.makeModel(for: train).model
            }
        }
        return InspectionResult(
            signal: signal, jacobian: jacobian, guessingBias: bias,
            description: "\(setup.model) act=\(setup.activation) init=\(setup.scheme) on \(setup.data), batch \(inputs.shape[0]), seed \(setup.seed)")
    }
}

/// Everything an ``Inspection`` measured.
public struct InspectionResult: Sendable, Codable {
    /// Per-layer signal propagation and the summary.
    public var signal: SignalPropagationReport
    /// The Jacobian spectrum, when requested.
    public var jacobian: JacobianSpectrum?
    /// The initial guessing bias, when requested.
    public var guessingBias: GuessingBias?
    /// What was inspected.
    public var description: String
}

extension InspectionResult {
    /// Writes `README.md`, `variance.svg` (measured vs predicted pre-activation variance per
    /// layer) and `gradients.svg` (gradient variance per layer) into `directory`, atomically.
    @discardableResult
    public func writeReport(to directory: String) throws -> [String] {
        let layers = signal.layers
        let xs = layers.indices.map { Double($0 + 1) }
        func logScalePlot(title: String, yLabel: String, series: [(String, [Double?], SVGPlot.Color, Bool)]) throws -> SVGPlot {
            let values = series.flatMap { $0.1.compactMap { $0 } }.filter { $0 > 0 && $0.isFinite }.map(log10)
            let low = (values.min() ?? -1).rounded(.down) - 0.2, high = (values.max() ?? 1).rounded(.up) + 0.2
            var plot = try SVGPlot(title: title, xLabel: "layer", yLabel: yLabel,
                               xRange: 0.5...Double(max(layers.count, 1)) + 0.5, yRange: low...max(high, low + 1))
            for (label, ys, color, dashed) in series {
                let points = zip(xs, ys).compactMap { x, y -> (x: Double, y: Double)? in
                    guard let y, y > 0, y.isFinite else { return nil }
                    return (x, log10(y))
                }
                plot.addLine(points, label: label, color: color, dashed: dashed)
                plot.addMarkers(points, label: nil, color: color, radius: 2.5)
            }
            return plot
        }
        let variance = try logScalePlot(title: "Pre-activation variance per layer", yLabel: "log10 second moment", series: [
            ("measured", layers.map { $0.preVariance + $0.preMean * $0.preMean }, .blue, false),
            ("mean-field prediction", layers.map(\.predictedVariance), .red, true),
        ])
        let gradients = try logScalePlot(title: "Gradient variance per layer", yLabel: "log10 variance", series: [
            ("∂L/∂pre-activation", layers.map(\.gradientVariance), .green, false),
            ("∂L/∂W", layers.map(\.weightGradientVariance), .purple, false),
        ])
        var lines = ["# Initialization report", "", description, "", "**\(signal.summary)**", "",
                     "| layer | σ_w² | pre mean | pre var | predicted | dead | saturated | grad var | verdict |",
                     "|---|---|---|---|---|---|---|---|---|"]
        for l in layers {
            lines.append("| \(l.name) | \(fmt(l.weightVariance)) | \(fmt(l.preMean)) | \(fmt(l.preVariance)) | \(l.predictedVariance.map(fmt) ?? "—") | "
                + "\(fmt(l.deadFraction)) | \(fmt(l.saturatedFraction)) | \(l.gradientVariance.map(fmt) ?? "—") | \(l.verdict) |")
        }
        lines += ["", String(format: "Expected layer-to-layer fluctuation of the variance at this width: ±%.1f%% (√(2/N)).", 100 * signal.expectedFluctuation)]
        if let j = jacobian {
            lines += ["", "Jacobian \(j.from) → \(j.to) (\(j.rows)×\(j.columns), \(j.isExact ? "exact" : "Hutchinson estimate")): "
                + "mean σ² \(fmt(j.meanSquaredSingularValue)), var σ² \(j.varianceSquaredSingularValue.map(fmt) ?? "—"), "
                + "σ_max \(j.maximumSingularValue.map(fmt) ?? "—"), σ_min \(j.minimumSingularValue.map(fmt) ?? "—")."]
        }
        if let b = guessingBias {
            lines += ["", "Initial guessing bias over \(b.gMax.count) seeds: median G_max \(fmt(b.median)) (10–90%: \(fmt(b.lower))–\(fmt(b.upper))), chance \(fmt(b.chance)): \(b.verdict)."]
        }
        lines += ["", "![variance](variance.svg)", "", "![gradients](gradients.svg)", ""]
        let files = [("README.md", lines.joined(separator: "\n")), ("variance.svg", variance.render()), ("gradients.svg", gradients.render())]
        return try files.map { name, text in
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicWrite.write(text, to: path)
            return path
        }
    }

    private func fmt(_ v: Double) -> String { String(format: "%.4g", v) }
}
