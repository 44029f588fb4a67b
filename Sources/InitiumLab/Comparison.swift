import Foundation
import InitiumCore
import InitiumInit
import InitiumNN

/// What every run of a ``Comparison`` does: train on a dataset, or fit a signal.
public enum ComparisonTask: Sendable {
    /// Train a model on data (``TrainingRun``), judged by loss and test accuracy.
    case train(TrainingRun)
    /// Fit a coordinate network to a signal (``SignalFitRun``), judged by PSNR.
    case fit(SignalFitRun)

    /// The task's model spec, which arms may override.
    public var model: ModelSpec {
        switch self {
        case .train(let run): return run.model
        case .fit(let run): return run.model
        }
    }
}

/// A side-by-side study: the same model, data order (or signal) and hyper-parameters trained from
/// several initializations (and seeds), so that the only difference between runs is the starting point.
public struct Comparison: Sendable {
    /// Everything except the scheme (its `scheme`, and an arm's model options and learning rate,
    /// are replaced per run): a training run or a signal fit.
    public var task: ComparisonTask
    /// The initializations to compare, each possibly with its own model options and learning rate.
    public var arms: [ComparisonArm]
    /// The seeds; each seed fixes weights' keys and the data order for every scheme.
    public var seeds: [UInt64]

    /// A study of arms on a task.
    public init(task: ComparisonTask, arms: [ComparisonArm], seeds: [UInt64]) {
        self.task = task
        self.arms = arms
        self.seeds = seeds
    }

    /// A training study of arms.
    public init(template: TrainingRun, arms: [ComparisonArm], seeds: [UInt64]) {
        self.init(task: .train(template), arms: arms, seeds: seeds)
    }

    /// A training study of plain schemes on the template's model and learning rate.
    public init(template: TrainingRun, schemes: [Scheme], seeds: [UInt64]) {
        self.init(template: template, arms: schemes.map(ComparisonArm.init), seeds: seeds)
    }

    /// The schemes compared, in arm order.
    public var schemes: [Scheme] { arms.map(\.scheme) }

    /// Where a study is: which run, and the progress within it.
    public struct Progress: Sendable {
        /// The run (0-based) and the number of runs.
        public var run: Int, runs: Int
        /// The scheme and seed being trained.
        public var scheme: String, seed: UInt64
        /// Steps done and to do in the run.
        public var step: Int, totalSteps: Int
        /// Training progress inside the run, for training tasks.
        public var training: TrainingProgress?
        /// Fitting progress inside the run, for fit tasks.
        public var fit: SignalFit.Progress?
    }

    /// Runs every (scheme, seed) pair; a run whose loss becomes NaN/Inf is recorded as diverged
    /// and the study continues. Training data are loaded once per seed and shared by that seed's runs.
    public func run(progress: ((Progress) -> Void)? = nil, completed: ((ComparisonRow) -> Void)? = nil) throws -> InitializationComparisonResult {
        guard !arms.isEmpty, !seeds.isEmpty else {
            throw InitiumError.invalidArgument("compare needs at least one scheme and one seed")
        }
        var entries: [ComparisonRow] = []
        var classCount = 0
        let runs = arms.count * seeds.count
        // every arm's model is checked before the first run trains
        let models = try arms.map { try $0.model(from: task.model) }
        for seed in seeds {
            var data: (train: Dataset, test: Dataset)?
            if case .train(let template) = task {
                var seedRun = template
                seedRun.seed = seed
                data = try seedRun.loadData()
                classCount = data!.train.classCount
            }
            for (arm, model) in zip(arms, models) {
                let scheme = arm.label
                let index = entries.count
                let start = DispatchTime.now()
                var losses: [Float] = []
                var entry: ComparisonRow
                do {
                    switch task {
                    case .train(let template):
                        var run = template
                        run.seed = seed
                        run.scheme = arm.scheme
                        run.model = model
                        if let rate = arm.learningRate { run.training.optimizer.learningRate = rate }
                        let outcome = try run.train(on: data!.train, test: data!.test) { training in
                            losses.append(training.loss)
                            progress?(Progress(
                                run: index, runs: runs, scheme: scheme, seed: seed, step: training.step, totalSteps: training.totalSteps,
                                training: training))
                        }
                        let (result, log) = (outcome.result, outcome.initialization)
                        entry = ComparisonRow(
                            scheme: scheme, seed: seed, testAccuracy: result.testAccuracy, trainLoss: result.trainLoss,
                            diverged: false, seconds: seconds(since: start), stepLosses: result.stepLosses,
                            epochs: result.epochs, initialization: log)
                    case .fit(let template):
                        var run = template
                        run.seed = seed
                        run.scheme = arm.scheme
                        run.model = model
                        if let rate = arm.learningRate { run.learningRate = rate }
                        let (_, log, fit) = try run.run { p in
                            progress?(Progress(run: index, runs: runs, scheme: scheme, seed: seed, step: p.step, totalSteps: p.steps, fit: p))
                        }
                        entry = ComparisonRow(
                            scheme: scheme, seed: seed, testAccuracy: nil, trainLoss: nil, diverged: false, seconds: seconds(since: start),
                            stepLosses: [], epochs: [], initialization: log)
                        entry.psnr = fit.finalPSNR
                        entry.psnrCurve = fit.curve
                        entry.fit = fit
                    }
                } catch InitiumError.nonFiniteLoss(let step, _) {
                    entry = ComparisonRow(
                        scheme: scheme, seed: seed, testAccuracy: nil, trainLoss: nil, diverged: true,
                        seconds: seconds(since: start), stepLosses: losses, epochs: [], initialization: nil, divergedAtStep: step)
                }
                entries.append(entry)
                completed?(entry)
            }
        }
        return InitializationComparisonResult(study: describe(), classCount: classCount, entries: entries)
    }

    private func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }

    /// The study's settings as text, for reports.
    public func describe() -> String {
        let seedList = "seeds \(seeds.map(String.init).joined(separator: ","))"
        switch task {
        case .train(let template):
            let t = template.training
            return "\(template.model) act=\(template.activation) on \(template.data)"
                + (template.data.trainLimit.map { " (first \($0) training examples)" } ?? "")
                + ", \(t.lengthDescription), batch \(t.batchSize), \(t.optimizer.kind.rawValue) lr \(t.optimizer.learningRate)"
                + (t.optimizer.kind == .sgd ? " momentum \(t.optimizer.momentum)" : "")
                + ", schedule \(t.schedule), " + seedList
        case .fit(let template):
            return "\(template.model) act=\(template.model.activation(default: template.activation)) fitting a \(template.signal.grid.map(String.init).joined(separator: "×")) signal"
                + " with \(template.signal.channels) channel(s), full-batch Adam lr \(template.learningRate), \(template.steps) steps, " + seedList
        }
    }
}

/// One run of a comparison.
public struct ComparisonRow: Sendable, Codable {
    /// The scheme as typed.
    public var scheme: String
    /// The seed.
    public var seed: UInt64
    /// Final test accuracy (`nil` if the run diverged).
    public var testAccuracy: Double?
    /// Mean training loss of the last epoch (`nil` if diverged).
    public var trainLoss: Double?
    /// Whether the loss became NaN or infinite.
    public var diverged: Bool
    /// Wall-clock seconds.
    public var seconds: Double
    /// The loss at every step (up to divergence).
    public var stepLosses: [Float]
    /// Per-epoch summaries.
    public var epochs: [EpochSummary]
    /// What the initialization did.
    public var initialization: InitializationLog?
    /// The step at which the loss became non-finite.
    public var divergedAtStep: Int?
    /// The final PSNR in dB, for fit tasks.
    public var psnr: Double?
    /// The PSNR curve, for fit tasks.
    public var psnrCurve: [SignalFit.Point]?
    /// The fit itself (with its reconstruction), for fit tasks; not encoded.
    public var fit: SignalFit.Result? = nil

    enum CodingKeys: String, CodingKey {
        case scheme = "init", seed, testAccuracy = "test_accuracy", trainLoss = "train_loss", diverged, seconds
        case stepLosses = "step_losses", epochs, initialization, divergedAtStep = "diverged_at_step", psnr, psnrCurve = "psnr_curve"
    }
}

/// All runs of a comparison.
public struct InitializationComparisonResult: Sendable, Codable {
    enum CodingKeys: String, CodingKey { case study, classCount = "class_count", entries }

    /// The study's settings.
    public var study: String
    /// The number of classes of the dataset (chance accuracy is 1/K).
    public var classCount: Int
    /// The runs, in order.
    public var entries: [ComparisonRow]
}
