import Foundation
import InitiumNN

/// The report folder of `train --report DIR`: README.md with the run, the per-epoch losses and
/// each tracker's history, and the trackers' figures (``TrainingTracker/figures()``).
public struct TrainingReport {
    /// The run.
    public var run: TrainingRun
    /// Its result.
    public var result: TrainingRunResult
    /// The trackers that recorded during the run.
    public var trackers: [any TrainingTracker]

    /// A report.
    public init(run: TrainingRun, result: TrainingRunResult, trackers: [any TrainingTracker]) {
        self.run = run
        self.result = result
        self.trackers = trackers
    }

    /// Writes README.md and the figures into `directory`; returns the paths written.
    public func write(to directory: String) throws -> [String] {
        var lines = ["# Training report", "",
                     "`\(run.model)` act=\(run.activation) init=\(run.scheme) on \(run.data), \(run.training.lengthDescription), seed \(run.seed).", "",
                     "| epoch | train loss | test loss | test accuracy |", "|---|---|---|---|"]
        for e in result.result.epochs {
            lines.append("| \(e.epoch) | \(String(format: "%.4f", e.trainLoss)) | \(e.testLoss.map { String(format: "%.4f", $0) } ?? "—") | "
                + "\(e.testAccuracy.map { String(format: "%.4f", $0) } ?? "—") |")
        }
        var files: [(String, String)] = []
        for tracker in trackers {
            lines += [""] + tracker.summary.map { "- " + $0 }
            for (name, svg) in try tracker.figures() {
                files.append((name, svg))
                lines += ["", "![\(tracker.key)](\(name))"]
            }
        }
        files.insert(("README.md", lines.joined(separator: "\n") + "\n"), at: 0)
        return try files.map { name, text in
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicWrite.write(text, to: path)
            return path
        }
    }
}
