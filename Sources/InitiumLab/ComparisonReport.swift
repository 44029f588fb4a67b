import Foundation
import InitiumNN
import InitiumPlot
import InitiumTheory

/// Writes a comparison's report: `README.md` (settings and a results table with a verdict per
/// run), `loss-curves.svg` (smoothed training loss per step, one line per run) and
/// `results.json` (everything, including per-step losses). Each file is written atomically.
public struct ComparisonReport {
    /// The result to report.
    public let result: InitializationComparisonResult
    /// The number of classes, for the chance-level loss ln K.
    public var classCount: Int { max(result.classCount, 2) }

    /// A report for `result`.
    public init(result: InitializationComparisonResult) {
        self.result = result
    }

    /// How a run went, judged against chance: "diverged", "did not learn" (final loss within 10%
    /// of ln K or accuracy below 1.5/K) or "learned".
    public func verdict(_ entry: ComparisonRow) -> String {
        if entry.diverged { return "diverged" }
        let chanceLoss = log(Double(classCount))
        if let loss = entry.trainLoss, loss > 0.9 * chanceLoss { return "did not learn" }
        if let accuracy = entry.testAccuracy, accuracy < 1.5 / Double(classCount) { return "did not learn" }
        return "learned"
    }

    /// Writes the three files into `directory` (created if needed); returns their paths.
    @discardableResult
    public func write(to directory: String) throws -> [String] {
        let markdownPath = (directory as NSString).appendingPathComponent("README.md")
        let svgPath = (directory as NSString).appendingPathComponent("loss-curves.svg")
        let jsonPath = (directory as NSString).appendingPathComponent("results.json")
        try AtomicWrite.write(try lossCurves().render(), to: svgPath)
        try AtomicWrite.write(markdown(), to: markdownPath)
        try AtomicWrite.write(ResultJSON.encode(result), to: jsonPath)
        return [markdownPath, svgPath, jsonPath]
    }

    /// The Markdown summary.
    public func markdown() -> String {
        var lines = [
            "# Initialization comparison", "",
            result.study, "",
            "| init | seed | final train loss | test accuracy | diverged | seconds | verdict |",
            "|---|---|---|---|---|---|---|",
        ]
        for e in result.entries {
            let loss = e.trainLoss.map { String(format: "%.4f", $0) } ?? "—"
            let accuracy = e.testAccuracy.map { String(format: "%.4f", $0) } ?? "—"
            let diverged = e.diverged ? "yes (step \(e.divergedAtStep ?? 0))" : "no"
            lines.append("| `\(e.scheme)` | \(e.seed) | \(loss) | \(accuracy) | \(diverged) | \(String(format: "%.1f", e.seconds)) | \(verdict(e)) |")
        }
        lines += [
            "", "Chance level: loss ln \(classCount) = \(String(format: "%.3f", log(Double(classCount)))), accuracy \(String(format: "%.2f", 1 / Double(classCount))).",
            "", "![training loss](loss-curves.svg)", "",
        ]
        return lines.joined(separator: "\n")
    }

    /// Smoothed training-loss curves, one per run, with chance level dashed.
    public func lossCurves() throws -> SVGPlot {
        let palette = SVGPlot.Color.series
        let longest = max(1, result.entries.map(\.stepLosses.count).max() ?? 1)
        let chance = log(Double(classCount))
        let finite = result.entries.flatMap(\.stepLosses).filter(\.isFinite).map(Double.init)
        let top = max(chance * 1.3, min(finite.max() ?? chance, chance * 3))
        var plot = try SVGPlot(
            title: "Training loss by initialization", xLabel: "step", yLabel: "training loss (moving average)",
            xRange: 0...Double(longest), yRange: 0...top)
        for (i, entry) in result.entries.enumerated() {
            let window = max(1, entry.stepLosses.count / 50)
            var points: [(x: Double, y: Double)] = []
            var sum = 0.0
            for (step, loss) in entry.stepLosses.enumerated() {
                sum += Double(loss)
                if step >= window { sum -= Double(entry.stepLosses[step - window]) }
                if step + 1 >= window { points.append((Double(step + 1), sum / Double(window))) }
            }
            let label = result.entries.count > result.entries.filter({ $0.seed == entry.seed }).count
                ? "\(entry.scheme) seed \(entry.seed)" : entry.scheme
            plot.addLine(points, label: label + (entry.diverged ? " (diverged)" : ""), color: palette[i % palette.count])
        }
        plot.addLine([(0, chance), (Double(longest), chance)], label: "chance (ln \(classCount))", color: .gray, width: 1.5, dashed: true)
        return plot
    }
}
