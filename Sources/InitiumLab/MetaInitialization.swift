import Foundation
import InitiumCore
import InitiumNN
import InitiumPlot

/// Meta-learned initializations of coordinate networks: weights θ from which a network fits any
/// member of a signal family in a few steps (Tancik et al., "Learned Initializations for
/// Optimizing Coordinate-Based Neural Representations", CVPR 2021).
///
/// Both methods are first-order: a task (one signal) adapts a copy φ of θ with `innerSteps`
/// full-batch steps of ``SignalFit/run(model:signal:steps:learningRate:every:optimizer:progress:)``
/// (a fresh optimizer per task), and θ moves toward φ.
/// - ``Method/reptile`` (Nichol, Achiam & Schulman, "On First-Order Meta-Learning Algorithms",
///   arXiv 1803.02999, batched version): each outer step adapts `metaBatch` tasks drawn without
///   replacement and feeds the pseudo-gradient g = θ − mean_b φ_b to Adam at `outerLearningRate`,
///   as `tancik/learnit` does (not the plain step θ += ε(φ − θ)).
/// - ``Method/tinyReptile`` (Ren, Anicic & Runkler, "TinyReptile: TinyML with Federated
///   Meta-Learning", IJCNN 2023): serial and online: one task per round, taken from a stream
///   (each member once per pass, in a random order), and the plain step θ ← θ + β_t(φ − θ) with
///   β_t = β₀(1 − t/T) decaying linearly to 0; no outer optimizer state, memory O(|θ|).
public struct MetaInitialization: Sendable {
    /// The meta-learning algorithm.
    public enum Method: String, Sendable, CaseIterable, Codable {
        /// Batched Reptile with an Adam outer step.
        case reptile
        /// Serial, online Reptile with a plain, linearly decayed outer step.
        case tinyReptile = "tiny-reptile"
    }

    /// The algorithm.
    public var method: Method
    /// Outer steps (TinyReptile: rounds, one task each).
    public var outerSteps: Int
    /// Updates of each task's adaptation.
    public var innerSteps: Int
    /// The adaptation's optimizer (Adam, as `initium fit` uses at test time, or SGD).
    public var innerOptimizer: OptimizerConfiguration.Kind
    /// The adaptation's learning rate.
    public var innerLearningRate: Float
    /// Reptile: Adam's learning rate on θ − mean φ; TinyReptile: β₀.
    public var outerLearningRate: Float
    /// Reptile: tasks per outer step (TinyReptile serves one).
    public var metaBatch: Int

    /// A configuration; throws on counts below 1, non-positive rates or β₀ above 1.
    public init(
        method: Method, outerSteps: Int, innerSteps: Int, innerOptimizer: OptimizerConfiguration.Kind = .adam,
        innerLearningRate: Float, outerLearningRate: Float, metaBatch: Int
    ) throws {
        guard outerSteps >= 1, innerSteps >= 1, metaBatch >= 1 else {
            throw InitiumError.invalidArgument(
                "meta-learning needs at least 1 outer step, inner step and task per step; got \(outerSteps), \(innerSteps), \(metaBatch)")
        }
        guard innerLearningRate > 0, innerLearningRate.isFinite, outerLearningRate > 0, outerLearningRate.isFinite else {
            throw InitiumError.invalidArgument("the inner and outer learning rates must be positive, got \(innerLearningRate) and \(outerLearningRate)")
        }
        if method == .tinyReptile, outerLearningRate > 1 {
            throw InitiumError.invalidArgument("TinyReptile's outer step β₀ must be at most 1, got \(outerLearningRate)")
        }
        self.method = method
        self.outerSteps = outerSteps
        self.innerSteps = innerSteps
        self.innerOptimizer = innerOptimizer
        self.innerLearningRate = innerLearningRate
        self.outerLearningRate = outerLearningRate
        self.metaBatch = method == .tinyReptile ? 1 : metaBatch
    }

    /// One point of the meta-training curve: the mean PSNR of the tasks of `outerStep` after
    /// their adaptation, and before it (θ itself on those tasks).
    public struct Point: Sendable, Codable, Equatable {
        /// Outer steps done before this one.
        public var outerStep: Int
        /// Mean PSNR of θ on the step's tasks, dB.
        public var before: Double
        /// Mean PSNR after the tasks' adaptation, dB.
        public var after: Double

        enum CodingKeys: String, CodingKey { case outerStep = "outer_step", before, after }
    }

    /// Where meta-training is, for progress bars.
    public struct Progress: Sendable {
        /// Outer steps done and to do.
        public var step: Int, steps: Int
        /// The last step's mean post-adaptation PSNR, dB.
        public var psnr: Double
    }

    /// What meta-training produced (the weights are the model's, updated in place).
    public struct Result: Sendable {
        /// One point every `every` outer steps, and the last.
        public var curve: [Point]
        /// Tasks adapted in all.
        public var tasks: Int
        /// Wall-clock seconds.
        public var seconds: Double

        /// The curve: mean PSNR of each step's tasks before and after their `innerSteps`-step adaptation.
        public func plot(innerSteps: Int) throws -> SVGPlot {
            let values = curve.flatMap { [$0.before, $0.after] }.filter(\.isFinite)
            let last = Double(max(curve.last?.outerStep ?? 1, 1))
            var plot = try SVGPlot(
                title: "Meta-training: PSNR on each step's tasks", xLabel: "outer step", yLabel: "mean PSNR (dB, range 2)",
                xRange: 0...last, yRange: ((values.min() ?? 0) - 1)...((values.max() ?? 1) + 1))
            plot.addLine(curve.map { (Double($0.outerStep), $0.before) }, label: "θ (before adaptation)", color: SVGPlot.Color.series[1])
            plot.addLine(curve.map { (Double($0.outerStep), $0.after) }, label: "after \(innerSteps) steps", color: SVGPlot.Color.series[0])
            return plot
        }
    }

    /// Meta-trains `model` (already initialized: θ₀) on the members of `family`, in place;
    /// `key` orders the tasks. Throws when an adaptation diverges.
    public func train(
        _ model: any Module, on family: SignalFamily, key: RandomKey, every: Int = 10, progress: ((Progress) -> Void)? = nil
    ) throws -> Result {
        guard every >= 1 else { throw InitiumError.invalidArgument("the curve interval must be at least 1 step, got \(every)") }
        let parameters = model.parameters.filter(\.isTrainable)
        let outer = method == .reptile ? try OptimizerConfiguration(kind: .adam, learningRate: outerLearningRate).makeOptimizer(for: model) : nil
        let members = family.signals.count
        var order: [Int] = []
        var curve: [Point] = []
        var tasks = 0
        let start = DispatchTime.now()
        for step in 0..<outerSteps {
            let theta = parameters.map(\.value)
            let chosen: [Int]
            switch method {
            case .reptile:
                chosen = Array(Tensor.permutation(members, key: key.fold(step)).prefix(metaBatch))
            case .tinyReptile:
                if order.isEmpty { order = Tensor.permutation(members, key: key.fold("pass").fold(step)).reversed() }
                chosen = [order.removeLast()]
            }
            var displacement = theta.map { Tensor(shape: $0.shape, repeating: 0) }
            var before = 0.0, after = 0.0
            for index in chosen {
                let fit = try SignalFit.run(
                    model: model, signal: family.signals[index], steps: innerSteps, learningRate: innerLearningRate,
                    every: innerSteps, optimizer: innerOptimizer)
                before += fit.curve.first?.psnr ?? .nan
                after += fit.finalPSNR
                for (i, parameter) in parameters.enumerated() {
                    displacement[i] = try displacement[i] + (try parameter.value - theta[i])
                    parameter.value = theta[i]
                }
                tasks += 1
            }
            let scale = 1 / Float(chosen.count)
            switch method {
            case .reptile:
                for (i, parameter) in parameters.enumerated() {
                    parameter.gradient = displacement[i] * -scale
                }
                try outer?.step(parameters)
                for parameter in parameters { parameter.gradient = nil }
            case .tinyReptile:
                let beta = outerLearningRate * (1 - Float(step) / Float(outerSteps))
                for (i, parameter) in parameters.enumerated() {
                    parameter.value = try theta[i] + displacement[i] * (beta * scale)
                }
            }
            let point = Point(outerStep: step, before: before / Double(chosen.count), after: after / Double(chosen.count))
            if step % every == 0 || step == outerSteps - 1 { curve.append(point) }
            progress?(Progress(step: step + 1, steps: outerSteps, psnr: point.after))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return Result(curve: curve, tasks: tasks, seconds: seconds)
    }
}

/// How fast a learned initialization fits unseen members of its family compared with a standard
/// scheme: both arms fit every held-out signal with the same optimizer and learning rate, and the
/// mean PSNR curves (over the signals, at every step) are compared at one step.
///
/// The speed-up at step k is s/k, where s is the first step at which the baseline's mean curve
/// reaches the learned arm's mean PSNR at step k (Tancik et al. report the same comparison as
/// curves; the ratio is ours).
public struct MetaInitializationEvaluation: Sendable {
    /// One arm: a label and its mean PSNR after each step 0…steps.
    public struct Arm: Sendable, Codable {
        /// `learned` or the baseline scheme.
        public var label: String
        /// Mean PSNR over the held-out signals after 0, 1, …, steps updates, dB.
        public var meanCurve: [Double]
        /// Each signal's PSNR at the comparison step, dB.
        public var atComparisonStep: [Double]

        enum CodingKeys: String, CodingKey { case label, meanCurve = "mean_psnr_curve", atComparisonStep = "psnr_at_comparison_step" }
    }

    /// The learned arm.
    public var learned: Arm
    /// The baseline arm.
    public var baseline: Arm
    /// The step k the arms are compared at.
    public var comparisonStep: Int
    /// The learned arm's mean PSNR at step k, dB.
    public var learnedPSNR: Double { learned.meanCurve[comparisonStep] }
    /// The first step at which the baseline's mean PSNR reaches ``learnedPSNR``, or `nil` when it
    /// does not within its steps.
    public var baselineStepsToMatch: Int? { baseline.meanCurve.firstIndex { $0 >= learnedPSNR } }
    /// baselineStepsToMatch / k, or `nil` (then it exceeds (baseline steps)/k).
    public var speedup: Double? { baselineStepsToMatch.map { Double($0) / Double(max(comparisonStep, 1)) } }

    /// Fits each of `signals` from `learned` (a run whose ``SignalFitRun/initialWeights`` is the
    /// learned file) for `learnedSteps` and from `baseline` for `baselineSteps`, both with PSNR
    /// at every step; `learned` and `baseline` are templates whose signal is replaced.
    public static func run(
        learned: SignalFitRun, learnedLabel: String, learnedSteps: Int,
        baseline: SignalFitRun, baselineLabel: String, baselineSteps: Int,
        signals: [Signal], comparisonStep: Int, progress: ((Int) -> Void)? = nil
    ) throws -> MetaInitializationEvaluation {
        guard !signals.isEmpty else { throw InitiumError.invalidArgument("the evaluation needs at least one held-out signal") }
        guard comparisonStep >= 1, comparisonStep <= learnedSteps else {
            throw InitiumError.invalidArgument("the comparison step must be within 1…\(learnedSteps), got \(comparisonStep)")
        }
        func arm(_ template: SignalFitRun, steps: Int, label: String, offset: Int) throws -> Arm {
            var sums = [Double](repeating: 0, count: steps + 1)
            var atStep: [Double] = []
            for (i, signal) in signals.enumerated() {
                var run = template
                run.signal = signal
                run.steps = steps
                run.every = 1
                let fit = try run.run().fit
                for point in fit.curve where point.step <= steps { sums[point.step] += point.psnr }
                atStep.append(fit.curve[min(comparisonStep, fit.curve.count - 1)].psnr)
                progress?(offset + i + 1)
            }
            return Arm(label: label, meanCurve: sums.map { $0 / Double(signals.count) }, atComparisonStep: atStep)
        }
        let learnedArm = try arm(learned, steps: learnedSteps, label: learnedLabel, offset: 0)
        let baselineArm = try arm(baseline, steps: baselineSteps, label: baselineLabel, offset: signals.count)
        return MetaInitializationEvaluation(learned: learnedArm, baseline: baselineArm, comparisonStep: comparisonStep)
    }

    /// Mean PSNR against step for both arms, with the comparison marked.
    public func plot() throws -> SVGPlot {
        let values = (learned.meanCurve + baseline.meanCurve).filter(\.isFinite)
        let low = (values.min() ?? 0).rounded(.down) - 1, high = (values.max() ?? 1).rounded(.up) + 1
        let last = Double(max(learned.meanCurve.count, baseline.meanCurve.count) - 1)
        var plot = try SVGPlot(
            title: "Held-out fits: learned vs standard initialization (mean over signals)", xLabel: "Adam step",
            yLabel: "mean PSNR (dB, range 2)", xRange: 0...max(last, 1), yRange: low...max(high, low + 1))
        for (i, arm) in [learned, baseline].enumerated() {
            plot.addLine(arm.meanCurve.enumerated().map { (Double($0.offset), $0.element) }, label: arm.label, color: SVGPlot.Color.series[i])
        }
        plot.addLine([(0, learnedPSNR), (last, learnedPSNR)], label: "learned at step \(comparisonStep)", color: .black, width: 1, dashed: true)
        return plot
    }
}
