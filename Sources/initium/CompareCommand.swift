import ArgumentParser
import Foundation
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN
import InitiumSpec

/// `initium compare`: trains several initializations side by side and reports.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train several initializations with identical data order and hyper-parameters, and compare them.")

    @Option(help: "train (default: train on --data and compare losses and accuracy) or fit(image=NAME|audio=NAME,size=N,steps=N,lr=X,every=N): fit a coordinate network to one image or sound with full-batch Adam (defaults steps=1000, lr=1e-4, every=25) and compare PSNR curves; give --model (e.g. mlp:2-256x4-1) and --act (e.g. sine(omega=30)).")
    var task = "train"
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
        let fitTask = try FitTask(parsing: task)
        let comparisonTask: ComparisonTask
        if let fitTask {
            guard optimization.steps == nil, optimization.epochs == nil else {
                throw InitiumError.invalidArgument("--task fit takes its length inside the task: fit(…,steps=N)")
            }
            guard architecture.model != ComparisonDefaults.model else {
                throw InitiumError.invalidArgument("--task fit needs --model, a coordinate network for the signal (e.g. mlp:2-256x4-1 for a grey image)")
            }
            comparisonTask = .fit(SignalFitRun(
                model: try architecture.modelSpec(), activation: try architecture.activation.engineActivation(), scheme: first,
                signal: fitTask.signal.signal, steps: fitTask.steps, learningRate: fitTask.learningRate, every: fitTask.every,
                seed: runOptions.seed))
        } else {
            comparisonTask = .train(try makeTrainingRun(
                architecture, scheme: first, dataOptions,
                training: try optimization.configuration(key: RandomKey(seed: runOptions.seed)), seed: runOptions.seed))
        }
        let comparison = Comparison(task: comparisonTask, arms: arms, seeds: (0..<UInt64(seeds)).map { runOptions.seed + $0 })
        note("compare: " + comparison.describe())
        var bar: ProgressBar?
        var currentRun = -1
        let result = try comparison.run(progress: { p in
            if p.run != currentRun {
                currentRun = p.run
                bar = ProgressBar(total: p.totalSteps, label: "[\(p.run + 1)/\(p.runs)] \(p.scheme)")
            }
            let detail = p.training.map { String(format: "loss %.3f", $0.meanLoss) } ?? p.fit.map { String(format: "PSNR %.2f dB", $0.psnr) } ?? ""
            bar?.update(p.step, detail: detail)
        }, completed: { entry in
            if let psnr = entry.psnr {
                note("\(entry.scheme) seed \(entry.seed): PSNR \(String(format: "%.2f", psnr)) dB (\(String(format: "%.1f", entry.seconds)) s)")
                return
            }
            let accuracy = entry.testAccuracy.map { String(format: "%.4f", $0) } ?? "—"
            let loss = entry.trainLoss.map { String(format: "%.4f", $0) } ?? "—"
            note("\(entry.scheme) seed \(entry.seed): train loss \(loss), test accuracy \(accuracy)\(entry.diverged ? ", diverged" : "") (\(String(format: "%.1f", entry.seconds)) s)")
        })
        let reportWriter = ComparisonReport(result: result)
        if let fitTask {
            console.answer(fitTable(result))
            if let report {
                let writer = SignalFitReport(
                    signal: fitTask.signal, settings: "Comparison: " + result.study + ".",
                    entries: result.entries.map { .init(label: seeds > 1 ? "\($0.scheme) seed \($0.seed)" : $0.scheme, fit: $0.fit, divergedAtStep: $0.divergedAtStep) })
                note("report: " + (try writer.write(to: report, summary: result, jsonName: "results.json")).joined(separator: ", "))
            }
        } else {
            console.answer(table(result, reportWriter))
            if let report {
                let paths = try reportWriter.write(to: report)
                note("report: " + paths.joined(separator: ", "))
            }
        }
        try console.emit(CompareReport(results: result.entries.map {
            CompareReport.Row(init: $0.scheme, seed: $0.seed, testAccuracy: $0.testAccuracy, trainLoss: $0.trainLoss,
                              diverged: $0.diverged, seconds: $0.seconds, verdict: fitTask == nil ? reportWriter.verdict($0) : nil,
                              psnr: $0.psnr, psnrCurve: $0.psnrCurve)
        }))
    }

    private func fitTable(_ result: InitializationComparisonResult) -> String {
        let width = max(24, result.entries.map(\.scheme.count).max() ?? 0)
        func pad(_ text: String, _ n: Int) -> String { text + String(repeating: " ", count: max(0, n - text.count)) }
        var lines = [pad("init", width) + "  seed  PSNR (dB)  diverged  seconds"]
        for e in result.entries {
            let psnr = e.psnr.map { String(format: "%9.2f", $0) } ?? "        —"
            lines.append(pad(e.scheme, width) + String(format: "  %4d", Int(e.seed)) + "  " + psnr + "  "
                + pad(e.diverged ? "yes" : "no", 8) + String(format: "  %7.1f", e.seconds))
        }
        return lines.joined(separator: "\n")
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
        var verdict: String?
        var psnr: Double?
        var psnrCurve: [SignalFit.Point]?

        enum CodingKeys: String, CodingKey {
            case `init`, seed, testAccuracy = "test_accuracy", trainLoss = "train_loss", diverged, seconds, verdict, psnr
            case psnrCurve = "psnr_curve"
        }
    }

    var results: [Row]
}

/// `--task fit(image=NAME|audio=NAME,size=N,steps=N,lr=X,every=N)` of `initium compare`.
struct FitTask {
    var signal: SignalFile
    var steps: Int
    var learningRate: Float
    var every: Int

    /// `nil` for `train`; the fit task otherwise; throws naming the bad part.
    init?(parsing text: String) throws {
        let spec = try SpecSyntax(parsing: text, kind: "compare task")
        switch spec.name {
        case "train":
            try spec.requireOnly([], kind: "compare task")
            return nil
        case "fit":
            try spec.requireOnly(["image", "audio", "size", "steps", "lr", "every"], kind: "compare task")
            switch (spec.value("image"), spec.value("audio")) {
            case (let image?, nil):
                signal = try SignalFile.image(image, size: spec.value("size").map { _ in try spec.integer("size", default: 0, kind: "compare task") })
            case (nil, let audio?):
                guard spec.value("size") == nil else { throw InitiumError.invalidArgument("--task fit: size applies to images") }
                signal = try SignalFile.audio(audio)
            default:
                throw InitiumError.invalidArgument("--task fit needs exactly one of image=NAME or audio=NAME, got '\(text)'")
            }
            steps = try spec.integer("steps", default: 1000, kind: "compare task")
            learningRate = Float(try spec.number("lr", default: 1e-4, kind: "compare task"))
            every = try spec.integer("every", default: 25, kind: "compare task")
            guard steps >= 1, every >= 1, learningRate > 0, learningRate.isFinite else {
                throw InitiumError.invalidArgument("--task fit needs steps ≥ 1, every ≥ 1 and lr > 0, got '\(text)'")
            }
        default:
            throw InitiumError.invalidArgument("--task takes train or fit(…), got '\(spec.name)'")
        }
    }
}
