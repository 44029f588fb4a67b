import ArgumentParser
import Foundation
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN

/// `initium meta-init`: meta-learns a coordinate network's initialization over a family of
/// signals (Reptile, TinyReptile) and measures it on held-out members (docs/INR.md).
struct MetaInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meta-init",
        abstract: "Meta-learn an initialization of a coordinate network over a family of signals (Reptile, TinyReptile), then compare it with a standard init on held-out signals.")

    @Option(help: ArgumentHelp("The signal family: " + SignalFamily.names.joined(separator: ", ") + " (meta-training on its training images, evaluation on its test images)."))
    var family = "fashion-mnist"
    @Option(help: ArgumentHelp("The coordinate network (input width 2, output width 1 for Fashion-MNIST). " + modelSpecHelp))
    var model = "inr:in=2,out=1,layers=5,width=256,act=sine(omega=30)"
    @Option(help: "The hidden activation, for model families that take it from here (mlp).")
    var act = "sine(omega=30)"
    @Option(name: .customLong("init"), help: "The scheme of θ₀, the starting point of meta-training, and of the baseline arm of the evaluation.")
    var initialization = "siren"
    @Option(help: "reptile (batched, Adam outer step) or tiny-reptile (serial, online, plain decaying outer step).")
    var method = "reptile"
    @Option(help: "Outer steps (TinyReptile: rounds of one task each).")
    var outerSteps = 1000
    @Option(help: "Adaptation steps per task.")
    var innerSteps = 10
    @Option(help: "The adaptation's optimizer: adam (as `initium fit` uses) or sgd.")
    var innerOptimizer = "adam"
    @Option(help: "The adaptation's learning rate.")
    var innerLr: Float = 1e-4
    @Option(help: "Reptile: Adam's learning rate on θ − mean φ; TinyReptile: β₀, decayed linearly to 0.")
    var outerLr: Float = 1e-4
    @Option(help: "Reptile: tasks per outer step.")
    var metaBatch = 3
    @Option(help: "Meta-training members: the first N training images of the family.")
    var tasks = 1000
    @Option(help: "Held-out members for the evaluation: the first N test images (0: no evaluation).")
    var heldOut = 20
    @Option(help: "The step at which the learned init's mean held-out PSNR is compared with the baseline's.")
    var compareAt = 10
    @Option(help: "Adam steps of the baseline arm (enough to reach the learned arm's PSNR).")
    var baselineSteps = 200
    @Option(help: "Adam's learning rate of both evaluation arms.")
    var evalLr: Float = 1e-4
    @Option(help: "Outer steps between meta-training curve points.")
    var every = 10
    @Option(help: "The Fashion-MNIST folder (default: $INITIUM_FASHION_MNIST or /usr/share/datasets/fashion-mnist).")
    var dataDir: String?
    @Option(help: "Where to write the learned initialization (.safetensors; `initium fit … --init-from` reads it).")
    var out: String
    @Option(help: "Write report.json, meta-training.svg, held-out.svg and README.md into this folder.")
    var report: String?
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        guard out.hasSuffix(".safetensors") else { throw InitiumError.invalidArgument("--out must name a .safetensors file, got '\(out)'") }
        guard let chosen = MetaInitialization.Method(rawValue: method) else {
            throw InitiumError.invalidArgument("unknown --method '\(method)'; choose reptile or tiny-reptile")
        }
        guard let inner = OptimizerConfiguration.Kind(rawValue: innerOptimizer), inner != .adamw else {
            throw InitiumError.invalidArgument("unknown --inner-optimizer '\(innerOptimizer)'; choose adam or sgd")
        }
        guard tasks >= 1 else { throw InitiumError.invalidArgument("--tasks must be at least 1, got \(tasks)") }
        guard heldOut >= 0 else { throw InitiumError.invalidArgument("--held-out must be 0 or more, got \(heldOut)") }
        guard evalLr > 0, evalLr.isFinite else { throw InitiumError.invalidArgument("--eval-lr must be a positive number, got \(evalLr)") }
        if heldOut > 0 {
            guard compareAt >= 1, baselineSteps >= compareAt else {
                throw InitiumError.invalidArgument("--compare-at must be at least 1 and --baseline-steps at least --compare-at; got \(compareAt) and \(baselineSteps)")
            }
        }
        let meta = try MetaInitialization(
            method: chosen, outerSteps: outerSteps, innerSteps: innerSteps, innerOptimizer: inner,
            innerLearningRate: innerLr, outerLearningRate: outerLr, metaBatch: metaBatch)
        let scheme = try Scheme(initialization)
        let spec = try ModelSpec(model)
        let activation = try InitiumNN.Activation(act)
        let training = try SignalFamily.named(family, part: .training, count: tasks, directory: dataDir)
        let evaluationSignals = heldOut > 0 ? try SignalFamily.named(family, part: .heldOut, count: heldOut, directory: dataDir).signals : []

        let template = SignalFitRun(
            model: spec, activation: activation, scheme: scheme, signal: training.signals[0], steps: innerSteps,
            learningRate: innerLr, every: innerSteps, seed: runOptions.seed)
        let (network, _) = try template.makeModel()
        note("meta-training \(spec) from \(initialization) on \(training.source) with \(chosen.rawValue): \(outerSteps) outer steps × \(meta.metaBatch) task(s) × \(innerSteps) \(inner.rawValue) steps")
        var bar = ProgressBar(total: outerSteps, label: "meta-init")
        let result = try meta.train(network, on: training, key: runOptions.seedOption.key.fold("meta-tasks"), every: every) { p in
            bar.update(p.step, detail: String(format: "adapted PSNR %.2f dB", p.psnr))
        }
        try template.checkpoint.write(network, to: out)
        note("wrote \(out)")
        let first = result.curve.first, last = result.curve.last
        console.answer(String(
            format: "meta-training: adapted PSNR %.2f → %.2f dB, θ itself %.2f → %.2f dB (%d tasks, %.1f s)",
            first?.after ?? Double.nan, last?.after ?? Double.nan, first?.before ?? Double.nan, last?.before ?? Double.nan, result.tasks, result.seconds))

        var evaluation: MetaInitializationEvaluation?
        if !evaluationSignals.isEmpty {
            var learnedRun = template
            learnedRun.initialWeights = out
            learnedRun.learningRate = evalLr
            var baselineRun = template
            baselineRun.learningRate = evalLr
            var evalBar = ProgressBar(total: 2 * evaluationSignals.count, label: "held-out fits")
            let measured = try MetaInitializationEvaluation.run(
                learned: learnedRun, learnedLabel: "learned (\(chosen.rawValue))", learnedSteps: compareAt,
                baseline: baselineRun, baselineLabel: initialization, baselineSteps: baselineSteps,
                signals: evaluationSignals, comparisonStep: compareAt) { evalBar.update($0, detail: "") }
            evaluation = measured
            let reached = measured.baselineStepsToMatch.map { "\($0) steps (" + String(format: "%.1f", measured.speedup ?? Double.nan) + "×)" }
                ?? "more than \(baselineSteps) steps"
            func dB(_ value: Double) -> String { String(format: "%.2f dB", value) }
            console.answer(
                "held-out (\(evaluationSignals.count) test images): learned \(dB(measured.learnedPSNR)) at step \(compareAt); "
                    + "\(initialization) \(dB(measured.baseline.meanCurve[compareAt])) at step \(compareAt); "
                    + "\(initialization) reaches \(dB(measured.learnedPSNR)) in \(reached)")
        }
        let summary = MetaInitSummary(
            method: chosen.rawValue, family: family, model: spec.text, initialization: initialization, out: out,
            outerSteps: outerSteps, innerSteps: innerSteps, innerOptimizer: inner.rawValue, innerLearningRate: Double("\(innerLr)") ?? Double(innerLr),
            outerLearningRate: Double("\(outerLr)") ?? Double(outerLr), metaBatch: meta.metaBatch, training: training.source,
            heldOut: heldOut > 0 ? "\(family) test[0..<\(heldOut)]" : nil, curve: result.curve, seconds: result.seconds,
            comparisonStep: evaluation?.comparisonStep, learnedPSNR: evaluation?.learnedPSNR,
            baselinePSNRAtComparisonStep: evaluation.map { $0.baseline.meanCurve[$0.comparisonStep] },
            baselineStepsToMatch: evaluation?.baselineStepsToMatch, speedup: evaluation?.speedup, learned: evaluation?.learned, baseline: evaluation?.baseline,
            seed: runOptions.seed)
        if let report {
            try writeReport(to: report, summary: summary, result: result, evaluation: evaluation)
        }
        try console.emit(summary)
    }

    /// Writes report.json, the figures and README.md.
    func writeReport(to directory: String, summary: MetaInitSummary, result: MetaInitialization.Result, evaluation: MetaInitializationEvaluation?) throws {
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
        try AtomicWrite.write(try result.plot(innerSteps: innerSteps).render(), to: path("meta-training.svg"))
        var lines = [
            "# Meta-learned initialization (\(summary.method))", "",
            "Model `\(summary.model)`, θ₀ from `\(initialization)`, meta-trained on \(summary.training): \(outerSteps) outer steps, meta-batch \(summary.metaBatch), \(innerSteps) \(summary.innerOptimizer) steps at lr \(innerLr) per task, outer lr/β₀ \(outerLr), seed \(runOptions.seed). Weights: `\(out)`.", "",
            "![meta-training](meta-training.svg)", "",
        ]
        if let evaluation {
            try AtomicWrite.write(try evaluation.plot().render(), to: path("held-out.svg"))
            lines += [
                "## Held-out images (\(summary.heldOut ?? ""), never seen in meta-training)", "",
                "Both arms: full-batch Adam, lr \(evalLr), PSNR at every step, mean over the images.", "",
                "| arm | mean PSNR at step \(evaluation.comparisonStep) (dB) |", "|---|---|",
                "| \(evaluation.learned.label) | \(String(format: "%.2f", evaluation.learnedPSNR)) |",
                "| \(evaluation.baseline.label) | \(String(format: "%.2f", evaluation.baseline.meanCurve[evaluation.comparisonStep])) |", "",
                "Steps \(evaluation.baseline.label) needs to reach the learned init's step-\(evaluation.comparisonStep) PSNR: "
                    + (evaluation.baselineStepsToMatch.map { "\($0) (\(String(format: "%.1f", evaluation.speedup ?? .nan))× more)" } ?? "more than \(baselineSteps)") + ".", "",
                "![held-out](held-out.svg)", "",
            ]
        }
        try AtomicWrite.write(try ResultJSON.encode(summary, pretty: true), to: path("report.json"))
        try AtomicWrite.write(lines.joined(separator: "\n"), to: path("README.md"))
        note("report: \(directory)")
    }
}

/// The JSON line of `initium meta-init` and its `report.json`.
struct MetaInitSummary: Encodable {
    var method: String
    var family: String
    var model: String
    var initialization: String
    var out: String
    var outerSteps: Int
    var innerSteps: Int
    var innerOptimizer: String
    var innerLearningRate: Double
    var outerLearningRate: Double
    var metaBatch: Int
    var training: String
    var heldOut: String?
    var curve: [MetaInitialization.Point]
    var seconds: Double
    var comparisonStep: Int?
    var learnedPSNR: Double?
    var baselinePSNRAtComparisonStep: Double?
    var baselineStepsToMatch: Int?
    var speedup: Double?
    var learned: MetaInitializationEvaluation.Arm?
    var baseline: MetaInitializationEvaluation.Arm?
    var seed: UInt64

    enum CodingKeys: String, CodingKey {
        case method, family, model, initialization = "init", out, outerSteps = "outer_steps", innerSteps = "inner_steps"
        case innerOptimizer = "inner_optimizer", innerLearningRate = "inner_lr", outerLearningRate = "outer_lr", metaBatch = "meta_batch"
        case training, heldOut = "held_out", curve = "meta_training_curve", seconds, comparisonStep = "comparison_step"
        case learnedPSNR = "learned_psnr", baselinePSNRAtComparisonStep = "baseline_psnr", baselineStepsToMatch = "baseline_steps_to_match"
        case speedup, learned, baseline, seed
    }
}
