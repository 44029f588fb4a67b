import ArgumentParser
import Foundation
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumSpec

/// `initium compare`: trains several initializations side by side and reports.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train several initializations with identical data order and hyper-parameters, and compare them.")

    @OptionGroup var architecture: ModelOptions<ComparisonDefaults>
    @Option(help: "Comma-separated schemes (commas inside parentheses and brackets are kept); SCHEME[key=value,…] gives one scheme its own model options and learning rate, e.g. t-fixup[norm=none] or normal(std=0.02)[norm=post,lr=0.01].")
    var inits = "torch-default,glorot-normal,he-normal,orthogonal,lsuv,eoc"
    @OptionGroup var dataOptions: DataOptions
    @OptionGroup var optimization: OptimizationOptions<ComparisonDefaults>
    @Option(help: "Number of seeds per scheme (seeds --seed, --seed+1, …).") var seeds = 1
    @Option(help: "Write README.md, loss-curves.svg and results.json into this folder.") var report: String?
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        guard seeds >= 1 else { throw InitiumError.invalidArgument("--seeds must be at least 1") }
        let arms = try SpecSyntax.splitList(inits).map { try ComparisonArm(parsing: $0) }
        guard let first = arms.first?.scheme else { throw InitiumError.invalidArgument("--inits must name at least one scheme") }
        let template = try makeTrainingRun(
            architecture, scheme: first, dataOptions,
            training: try optimization.configuration(key: RandomKey(seed: runOptions.seed)), seed: runOptions.seed)
        let comparison = Comparison(
            template: template, arms: arms, seeds: (0..<UInt64(seeds)).map { runOptions.seed + $0 })
        note("compare: " + comparison.describe())
        var bar: ProgressBar?
        var currentRun = -1
        let result = try comparison.run(progress: { p in
            if p.run != currentRun {
                currentRun = p.run
                bar = ProgressBar(total: p.training.totalSteps, label: "[\(p.run + 1)/\(p.runs)] \(p.scheme)")
            }
            bar?.update(p.training.step, detail: String(format: "loss %.3f", p.training.meanLoss))
        }, completed: { entry in
            let accuracy = entry.testAccuracy.map { String(format: "%.4f", $0) } ?? "—"
            let loss = entry.trainLoss.map { String(format: "%.4f", $0) } ?? "—"
            note("\(entry.scheme) seed \(entry.seed): train loss \(loss), test accuracy \(accuracy)\(entry.diverged ? ", diverged" : "") (\(String(format: "%.1f", entry.seconds)) s)")
        })
        let reportWriter = ComparisonReport(result: result)
        console.answer(table(result, reportWriter))
        if let report {
            let paths = try reportWriter.write(to: report)
            note("report: " + paths.joined(separator: ", "))
        }
        try console.emit(CompareReport(results: result.entries.map {
            CompareReport.Row(init: $0.scheme, seed: $0.seed, testAccuracy: $0.testAccuracy, trainLoss: $0.trainLoss,
                              diverged: $0.diverged, seconds: $0.seconds, verdict: reportWriter.verdict($0))
        }))
    }

    private func table(_ result: InitializationComparisonResult, _ report: ComparisonReport) -> String {
        let width = max(24, result.entries.map(\.scheme.count).max() ?? 0)
        func pad(_ text: String, _ n: Int) -> String { text + String(repeating: " ", count: max(0, n - text.count)) }
        var lines = [pad("init", width) + "  seed  train loss  test acc  diverged  seconds  verdict"]
        for e in result.entries {
            let loss = e.trainLoss.map { String(format: "%10.4f", $0) } ?? "         —"
            let accuracy = e.testAccuracy.map { String(format: "%8.4f", $0) } ?? "       —"
            lines.append(pad(e.scheme, width) + String(format: "  %4d", Int(e.seed)) + "  " + loss + "  " + accuracy
                + "  " + pad(e.diverged ? "yes" : "no", 8) + String(format: "  %7.1f", e.seconds) + "  " + report.verdict(e))
        }
        return lines.joined(separator: "\n")
    }
}

/// The JSON line of `initium compare`.
struct CompareReport: Encodable {
    struct Row: Encodable {
        var `init`: String
        var seed: UInt64
        var testAccuracy: Double?
        var trainLoss: Double?
        var diverged: Bool
        var seconds: Double
        var verdict: String

        enum CodingKeys: String, CodingKey {
            case `init`, seed, testAccuracy = "test_accuracy", trainLoss = "train_loss", diverged, seconds, verdict
        }
    }

    var results: [Row]
}
