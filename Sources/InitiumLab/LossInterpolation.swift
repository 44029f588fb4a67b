import Foundation
import InitiumCore
import InitiumNN
import InitiumPlot

/// Loss and accuracy along the straight line between two networks of one architecture,
/// θ(α) = (1 − α)·θ_A + α·θ_B (Goodfellow, Vinyals & Saxe, "Qualitatively characterizing neural
/// network optimization problems", ICLR 2015), for α on a grid that may extend beyond [0, 1].
/// With A an initialization and B its trained solution this is their init→solution path; with two
/// trained solutions it is the linear mode connectivity test (Frankle et al., ICML 2020), whose
/// barrier is max_{α∈[0,1]} [L(α) − ((1 − α)·L(0) + α·L(1))].
///
/// Every tensor of the state (parameters and batch-norm running statistics) is interpolated.
/// When the model has batch-norm buffers, the statistics at each α are then recomputed on the
/// training data: ``statisticsBatches`` forward passes in training mode over batches of 128
/// (momentum 0.1 leaves 0.9⁵⁰ ≈ 0.5% of the interpolated statistics), as Frankle et al. do.
///
/// The losses are evaluated on fixed examples (the first ``examples`` of each split), so L(α) is
/// a deterministic function of α. A step of the path counts as an increase when the loss grows by
/// more than twice the standard error of the mean per-example change ℓᵢ(α_{k+1}) − ℓᵢ(α_k) (and
/// by more than 10⁻⁶): a rise the evaluation sample could not have produced by chance. The path
/// is monotone when no step on α ∈ [0, 1] is an increase.
public struct LossInterpolation: Sendable {
    /// The network at α = 0.
    public var from: ModelSource
    /// The network at α = 1.
    public var to: ModelSource
    /// The grid of α.
    public var alphas: InterpolationGrid
    /// The data the losses are measured on.
    public var data: DataRecipe
    /// The seed of data loading and of the statistics batches.
    public var seed: UInt64
    /// Examples of each split evaluated.
    public var examples: Int
    /// Training batches that re-estimate batch-norm statistics at each α.
    public var statisticsBatches = 50

    /// An interpolation.
    public init(from: ModelSource, to: ModelSource, alphas: InterpolationGrid, data: DataRecipe, seed: UInt64, examples: Int = 2000) {
        self.from = from
        self.to = to
        self.alphas = alphas
        self.data = data
        self.seed = seed
        self.examples = examples
    }

    /// Loads the data and both networks, checks they share an architecture, and evaluates every α
    /// (`progress(done, total)` after each).
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> LossInterpolationResult {
        guard examples >= 2 else { throw InitiumError.invalidArgument("`examples` must be at least 2, got \(examples)") }
        let (train, test) = try data.load(key: RandomKey(seed: seed))
        let (model, a) = try from.make(for: train)
        let (other, b) = try to.make(for: train)
        let stateA = model.namedState.map { ($0.path, $0.tensor.value) }
        let stateB = other.namedState.map { ($0.path, $0.tensor.value) }
        guard a.model == b.model, stateA.map(\.0) == stateB.map(\.0), zip(stateA, stateB).allSatisfy({ $0.1.shape == $1.1.shape }) else {
            throw InitiumError.invalidArgument("\(from) and \(to) are different architectures (\(a.model) and \(b.model)); interpolation needs one")
        }
        let recomputes = !model.namedBuffers.isEmpty
        let trainSet = try TrainingTrackers.examples(train, samples: examples)
        let testSet = try TrainingTrackers.examples(test, samples: examples)
        var rows: [LossInterpolationResult.Row] = []
        var previous: [Double]?
        var increases = 0
        let values = alphas.values
        for (k, alpha) in values.enumerated() {
            for ((_, parameter), ((_, x), (_, y))) in zip(model.namedState, zip(stateA, stateB)) {
                parameter.value = try Self.mix(x, y, alpha)
            }
            if recomputes { try recomputeStatistics(model, on: train, key: RandomKey(seed: seed).fold("statistics").fold(k)) }
            let (trainLosses, trainAccuracy) = try Self.evaluate(model, trainSet)
            let (testLosses, testAccuracy) = try Self.evaluate(model, testSet)
            let trainLoss = trainLosses.reduce(0, +) / Double(trainLosses.count)
            var increase = false
            if let previous, alpha > 0, alpha <= 1 + 1e-9, let last = rows.last?.alpha, last >= -1e-9 {
                let differences = zip(trainLosses, previous).map { $0 - $1 }
                let mean = differences.reduce(0, +) / Double(differences.count)
                let variance = differences.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(max(differences.count - 1, 1))
                let standardError = (variance / Double(differences.count)).squareRoot()
                increase = mean > max(2 * standardError, 1e-6)
                if increase { increases += 1 }
            }
            previous = trainLosses
            rows.append(.init(alpha: alpha, trainLoss: trainLoss, trainAccuracy: trainAccuracy,
                              testLoss: testLosses.reduce(0, +) / Double(testLosses.count), testAccuracy: testAccuracy,
                              isIncrease: increase))
            progress?(k + 1, values.count)
        }
        return LossInterpolationResult(
            from: from.description, to: to.description, model: a.model, rows: rows, examples: trainSet.labels.count,
            recomputedStatistics: recomputes, increases: increases,
            trainBarrier: Self.barrier(rows.map { ($0.alpha, $0.trainLoss) }), testBarrier: Self.barrier(rows.map { ($0.alpha, $0.testLoss) }))
    }

    /// (1 − α)·x + α·y elementwise.
    static func mix(_ x: Tensor, _ y: Tensor, _ alpha: Double) throws -> Tensor {
        let a = Float(alpha)
        let values = zip(x.scalars, y.scalars).map { (1 - a) * $0 + a * $1 }
        return try Tensor(shape: x.shape, scalars: values)
    }

    /// max over grid points in [0, 1] of L(α) − ((1 − α)L(0) + αL(1)); nil unless 0 and 1 are on the grid.
    static func barrier(_ curve: [(alpha: Double, loss: Double)]) -> Double? {
        guard let start = curve.first(where: { abs($0.alpha) < 1e-9 })?.loss,
              let end = curve.first(where: { abs($0.alpha - 1) < 1e-9 })?.loss else { return nil }
        return curve.filter { $0.alpha >= -1e-9 && $0.alpha <= 1 + 1e-9 }
            .map { $0.loss - ((1 - $0.alpha) * start + $0.alpha * end) }.max()
    }

    /// Per-example cross-entropy (mean over an example's labels) and accuracy, inference mode.
    static func evaluate(_ model: any Module, _ set: Dataset) throws -> ([Double], Double) {
        let perExample = max(1, set.labelsPerExample)
        var losses: [Double] = []
        var correct = 0
        for indices in set.batchIndices(size: 250, shuffledWith: nil) {
            let (x, labels) = set.batch(indices)
            let output = try model.forward(x, context: set.forwardContext(for: indices, mode: .inference))
            let logProbabilities = try output.logSoftmax().scalars
            let classes = output.shape.last ?? 1
            for (row, label) in labels.enumerated() {
                let offset = row * classes
                if row % perExample == 0 { losses.append(0) }
                losses[losses.count - 1] -= Double(logProbabilities[offset + Int(label)]) / Double(perExample)
                var best = 0
                for c in 1..<max(classes, 1) where logProbabilities[offset + c] > logProbabilities[offset + best] { best = c }
                if best == Int(label) { correct += 1 }
            }
        }
        return (losses, Double(correct) / Double(max(set.labels.count, 1)))
    }

    /// Re-estimates running statistics: ``statisticsBatches`` training-mode passes, no gradients.
    func recomputeStatistics(_ model: any Module, on train: Dataset, key: RandomKey) throws {
        for (i, indices) in train.batchIndices(size: 128, shuffledWith: key).prefix(statisticsBatches).enumerated() {
            let (x, _) = train.batch(indices)
            _ = try model.forward(x, context: train.forwardContext(for: indices, mode: .training, recordsGradients: false, key: key.fold(i)))
        }
    }
}

/// The α grid `START:END:COUNT` (COUNT evenly spaced values from START to END, both included).
public struct InterpolationGrid: Sendable, CustomStringConvertible {
    /// First and last α.
    public var start: Double, end: Double
    /// Number of points.
    public var count: Int

    /// Parses `START:END:COUNT`; START must be below END and COUNT at least 2.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 3, let start = parts[0], let end = parts[1], let count = parts[2], count == count.rounded(),
              start.isFinite, end.isFinite else {
            throw InitiumError.invalidArgument("α grid '\(text)' is not START:END:COUNT, e.g. -0.5:1.5:41")
        }
        guard start < end else { throw InitiumError.invalidArgument("α grid '\(text)' is reversed: START must be below END") }
        guard count >= 2, count <= 10_000 else { throw InitiumError.invalidArgument("α grid '\(text)' needs 2 to 10000 points") }
        self.start = start
        self.end = end
        self.count = Int(count)
    }

    /// The α values; 0 and 1 are snapped exactly when the grid passes within 10⁻⁹ of them.
    public var values: [Double] {
        (0..<count).map { i in
            let a = start + (end - start) * Double(i) / Double(count - 1)
            return abs(a) < 1e-9 ? 0 : abs(a - 1) < 1e-9 ? 1 : a
        }
    }

    public var description: String { "\(SVGPlot.number(start)):\(SVGPlot.number(end)):\(count)" }
}

/// Loss and accuracy at each α, the barrier heights, and the monotonicity count.
public struct LossInterpolationResult: Sendable, Encodable {
    /// The two ends, as given.
    public var from: String, to: String
    /// The architecture.
    public var model: String
    /// One row per α.
    public var rows: [Row]
    /// Examples of each split evaluated.
    public var examples: Int
    /// Whether batch-norm statistics were recomputed at each α.
    public var recomputedStatistics: Bool
    /// Steps on α ∈ [0, 1] where the training loss rose beyond noise.
    public var increases: Int
    /// Barrier heights of the training and test loss (nil unless α = 0 and 1 are on the grid).
    public var trainBarrier: Double?, testBarrier: Double?

    /// Whether the training loss never rose beyond noise on α ∈ [0, 1].
    public var isMonotone: Bool { increases == 0 }

    /// One α.
    public struct Row: Sendable, Codable {
        /// α.
        public var alpha: Double
        /// Mean training loss and accuracy on the evaluated examples.
        public var trainLoss: Double, trainAccuracy: Double
        /// Mean test loss and accuracy.
        public var testLoss: Double, testAccuracy: Double
        /// Whether the step from the previous α (within [0, 1]) was an increase beyond noise.
        public var isIncrease: Bool

        enum CodingKeys: String, CodingKey {
            case alpha, trainLoss = "train_loss", trainAccuracy = "train_accuracy", testLoss = "test_loss"
            case testAccuracy = "test_accuracy", isIncrease = "increase"
        }
    }

    enum CodingKeys: String, CodingKey {
        case from, to, model, rows, examples, recomputedStatistics = "recomputed_statistics", increases
        case trainBarrier = "barrier", testBarrier = "test_barrier", isMonotone = "monotone"
    }

    /// Encodes the fields and `monotone`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(from, forKey: .from)
        try c.encode(to, forKey: .to)
        try c.encode(model, forKey: .model)
        try c.encode(rows, forKey: .rows)
        try c.encode(examples, forKey: .examples)
        try c.encode(recomputedStatistics, forKey: .recomputedStatistics)
        try c.encode(increases, forKey: .increases)
        try c.encode(isMonotone, forKey: .isMonotone)
        try c.encode(trainBarrier, forKey: .trainBarrier)
        try c.encode(testBarrier, forKey: .testBarrier)
    }

    /// Writes README.md and interpolation.svg (loss and accuracy against α) into `directory`.
    public func writeReport(to directory: String) throws -> [String] {
        let losses = rows.flatMap { [$0.trainLoss, $0.testLoss] }.filter(\.isFinite)
        let high = min(losses.max() ?? 1, 4 * (losses.min() ?? 1) + 3)
        var loss = try SVGPlot(title: "Loss along (1−α)·A + α·B", xLabel: "α", yLabel: "cross-entropy",
                               xRange: (rows.first?.alpha ?? 0)...(rows.last?.alpha ?? 1), yRange: 0...max(high * 1.05, 1e-3))
        loss.addLine(rows.map { ($0.alpha, min($0.trainLoss, high * 1.05)) }, label: "train", color: .blue)
        loss.addLine(rows.map { ($0.alpha, min($0.testLoss, high * 1.05)) }, label: "test", color: .red, dashed: true)
        var accuracy = try SVGPlot(title: "Accuracy along the path", xLabel: "α", yLabel: "accuracy",
                                   xRange: (rows.first?.alpha ?? 0)...(rows.last?.alpha ?? 1), yRange: 0...1)
        accuracy.addLine(rows.map { ($0.alpha, $0.trainAccuracy) }, label: "train", color: .blue)
        accuracy.addLine(rows.map { ($0.alpha, $0.testAccuracy) }, label: "test", color: .red, dashed: true)
        func f(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "—" }
        var lines = ["# Loss interpolation", "", "`\(model)`: A = \(from), B = \(to); \(examples) examples per split"
                        + (recomputedStatistics ? "; batch-norm statistics recomputed at each α." : "."), "",
                     "Barrier (train loss): \(f(trainBarrier)); barrier (test loss): \(f(testBarrier)). "
                        + "Increases of the training loss beyond noise on [0, 1]: \(increases) (\(isMonotone ? "monotone" : "not monotone")).", "",
                     "| α | train loss | train acc | test loss | test acc |", "|---|---|---|---|---|"]
        for r in rows { lines.append("| \(String(format: "%.3f", r.alpha)) | \(f(r.trainLoss)) | \(f(r.trainAccuracy)) | \(f(r.testLoss)) | \(f(r.testAccuracy)) |") }
        lines += ["", "![interpolation](interpolation.svg)", ""]
        let files = [("README.md", lines.joined(separator: "\n")), ("interpolation.svg", SVGPlot.grid([loss, accuracy], columns: 2))]
        return try files.map { name, text in
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicWrite.write(text, to: path)
            return path
        }
    }
}
