import Foundation
import InitiumCore
import InitiumNN
import InitiumPlot

/// The butterfly effect of training: two copies of one initialization, one weight of the second
/// perturbed by ε, trained identically, and how far apart their weights and functions end up.
///
/// Kwok, Altıntaş, Raffel & Rolnick, "The Butterfly Effect: Neural Network Training
/// Trajectories Are Highly Sensitive to Initial Conditions", ICML 2025: during the early
/// "chaotic" phase of training, perturbing even a single weight by a tiny ε reliably makes
/// otherwise identical trajectories diverge (their ‖θ_a − θ_b‖ grows by orders of magnitude and
/// the two networks end in different minima), an effect that fades when the perturbation is
/// applied later in training. Here the perturbation is at initialization (t = 0):
///
/// - θ_b = θ_a + ε·e_i for one entry i of one parameter (a seeded choice among the weights of
///   weighted layers unless given), rounded to float32, so an ε below the entry's resolution
///   leaves θ_b = θ_a bit for bit;
/// - copy b is stepped inside copy a's run (``TrainingHooks/afterStep``) with ``Trainer/step(inputs:labels:graph:optimizer:parameters:key:)``
///   on the same batch, learning rate and dropout key, so the two runs differ only by ε
///   (Initium's kernels are deterministic, so any divergence is sensitivity, not noise);
/// - after every step, d(t) = ‖θ_a(t) − θ_b(t)‖₂ over all parameters; after every epoch (and at
///   initialization), on the whole test set, the disagreement rate (fraction of examples whose
///   predicted classes differ) and the mean L² distance between the two softmax outputs.
public struct ButterflyExperiment: Sendable {
    /// Model, scheme, data, optimization and seed (θ₀ from the seed, data order `fold("data")`).
    public var run: TrainingRun
    /// The perturbation ε added to one weight.
    public var epsilon: Double
    /// The perturbed parameter's path (nil: a seeded choice).
    public var parameter: String?
    /// The perturbed entry in row-major order (nil: a seeded choice).
    public var index: Int?

    /// An experiment.
    public init(run: TrainingRun, epsilon: Double, parameter: String? = nil, index: Int? = nil) {
        self.run = run
        self.epsilon = epsilon
        self.parameter = parameter
        self.index = index
    }

    /// The entry to perturb: the given one (checked), or one drawn uniformly over all weights of
    /// weighted layers with `RandomKey(seed:).fold("butterfly")`.
    public func target(in model: any Module) throws -> (path: String, index: Int) {
        let named = model.namedParameters
        let path: String
        if let parameter {
            guard named.contains(where: { $0.path == parameter }) else {
                throw InitiumError.invalidArgument(
                    "no parameter '\(parameter)' to perturb; the model has " + named.map(\.path).joined(separator: ", "))
            }
            path = parameter
        } else if let index {
            throw InitiumError.invalidArgument("`index` \(index) needs `parameter` to say which tensor it indexes")
        } else {
            let weights = model.namedModules.filter { $0.module.kind == .weighted }.compactMap { module -> (String, Int)? in
                let name = module.path.isEmpty ? "weight" : module.path + ".weight"
                return named.first { $0.path == name }.map { (name, $0.parameter.value.count) }
            }
            let total = weights.reduce(0) { $0 + $1.1 }
            guard total > 0 else { throw InitiumError.invalidArgument("the model has no weighted layer whose weight could be perturbed") }
            let u = try Tensor.uniform([1], key: run.key.fold("butterfly")).scalars[0]
            var draw = Swift.min(Int(Double(u) * Double(total)), total - 1)
            for (name, count) in weights {
                if draw < count { return (name, draw) }
                draw -= count
            }
            return (weights[weights.count - 1].0, weights[weights.count - 1].1 - 1)
        }
        let count = named.first { $0.path == path }!.parameter.value.count
        let chosen: Int
        if let index {
            guard index >= 0, index < count else {
                throw InitiumError.invalidArgument("`index` \(index) is outside \(path), which has \(count) entries (0…\(count - 1))")
            }
            chosen = index
        } else {
            let u = try Tensor.uniform([1], key: run.key.fold("butterfly").fold(path)).scalars[0]
            chosen = Swift.min(Int(Double(u) * Double(count)), count - 1)
        }
        return (path, chosen)
    }

    /// Builds both copies, perturbs one, trains both and measures their divergence.
    public func run(train: Dataset, test: Dataset, progress: ((TrainingProgress) -> Void)? = nil) throws -> ButterflyResult {
        guard epsilon != 0, epsilon.isFinite else {
            throw InitiumError.invalidArgument("`epsilon` must be a nonzero finite number, got \(epsilon)")
        }
        let (a, log) = try run.makeModel(for: train)
        let (b, _) = try run.makeModel(for: train)
        let (path, index) = try target(in: a)
        let parameterB = b.parameter(at: path)!
        var value = parameterB.value
        let before = value.scalars[index]
        value.withUnsafeMutableBufferPointer { $0[index] = Float(Double(before) + epsilon) }
        parameterB.value = value
        let applied = Double(value.scalars[index]) - Double(before)

        var configuration = run.training.dataOrder(ofSeed: run.seed)
        configuration.optimizer.learningRateMultipliers.merge(log.learningRateMultipliers) { typed, _ in typed }
        configuration.evaluatesEveryEpoch = false
        let parametersA = a.parameters, parametersB = b.parameters
        let optimizerB = try configuration.optimizer.makeOptimizer(for: b)
        let trainerA = Trainer(model: a, configuration: configuration)
        let trainerB = Trainer(model: b, configuration: configuration)
        var distances = [Self.distance(parametersA, parametersB)]
        var epochs = [try Self.compare(a, b, on: test, epoch: 0, weightDistance: distances[0])]
        trainerA.hooks.afterStep = { scheduled, _ in
            optimizerB.learningRate = scheduled.learningRate
            let (x, y) = train.batch(scheduled.batch)
            let loss = try trainerB.step(
                inputs: x, labels: y, graph: train.graphBatch(scheduled.batch), optimizer: optimizerB, parameters: parametersB,
                key: scheduled.key)
            guard loss.isFinite else { throw InitiumError.nonFiniteLoss(step: scheduled.step + 1, value: loss) }
            distances.append(Self.distance(parametersA, parametersB))
        }
        trainerA.hooks.epochEnded = { epoch in
            epochs.append(try Self.compare(a, b, on: test, epoch: epoch, weightDistance: distances[distances.count - 1]))
        }
        _ = try trainerA.run(train: train, test: test, progress: progress)
        let norm = Self.distance(parametersA, parametersA.map { _ in nil })
        return ButterflyResult(
            parameter: path, index: index, epsilon: epsilon, appliedPerturbation: applied,
            weightDistanceCurve: distances, epochs: epochs, finalWeightNorm: norm)
    }

    /// ‖a − b‖₂ over all parameters, in Double (b = nil: ‖a‖₂).
    static func distance(_ a: [Parameter], _ b: [Parameter?]) -> Double {
        var total = 0.0
        for (p, q) in zip(a, b) {
            p.value.withUnsafeBufferPointer { x in
                if let q {
                    q.value.withUnsafeBufferPointer { y in for i in x.indices { let d = Double(x[i]) - Double(y[i]); total += d * d } }
                } else {
                    for v in x { total += Double(v) * Double(v) }
                }
            }
        }
        return total.squareRoot()
    }

    /// Test-set agreement of `a` and `b` in inference mode.
    static func compare(_ a: any Module, _ b: any Module, on test: Dataset, epoch: Int, weightDistance: Double) throws -> ButterflyEpoch {
        var disagree = 0, correctA = 0, correctB = 0
        var outputDistance = 0.0
        let labelsPerExample = max(test.labels.count / max(test.count, 1), 1)
        for indices in test.batchIndices(size: max(Trainer.evaluationRows / labelsPerExample, 1), shuffledWith: nil) {
            let (x, y) = test.batch(indices)
            let la = try a.forward(x, context: test.forwardContext(for: indices, mode: .inference))
            let lb = try b.forward(x, context: test.forwardContext(for: indices, mode: .inference))
            let classes = la.shape[la.shape.count - 1], rows = la.count / classes
            la.withUnsafeBufferPointer { pa in
                lb.withUnsafeBufferPointer { pb in
                    for r in 0..<rows {
                        let ra = pa[(r * classes)..<((r + 1) * classes)], rb = pb[(r * classes)..<((r + 1) * classes)]
                        let ia = ra.indices.max { ra[$0] < ra[$1] }!, ib = rb.indices.max { rb[$0] < rb[$1] }!
                        if ia != ib { disagree += 1 }
                        if ia - r * classes == Int(y[r]) { correctA += 1 }
                        if ib - r * classes == Int(y[r]) { correctB += 1 }
                        let sa = softmax(ra), sb = softmax(rb)
                        outputDistance += zip(sa, sb).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
                    }
                }
            }
        }
        let n = Double(max(test.labels.count, 1))
        return ButterflyEpoch(
            epoch: epoch, disagreement: Double(disagree) / n, outputDistance: outputDistance / n, weightDistance: weightDistance,
            testAccuracyA: Double(correctA) / n, testAccuracyB: Double(correctB) / n)
    }

    /// Softmax of one row of logits, in Double.
    static func softmax(_ row: Slice<UnsafeBufferPointer<Float>>) -> [Double] {
        let top = Double(row.max() ?? 0)
        let e = row.map { Foundation.exp(Double($0) - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }
}

/// The two copies compared after one epoch (epoch 0: at initialization, after the perturbation).
public struct ButterflyEpoch: Sendable, Codable, Equatable {
    /// The epoch.
    public var epoch: Int
    /// Fraction of test examples whose predicted classes differ.
    public var disagreement: Double
    /// Mean over test examples of ‖softmax f_a(x) − softmax f_b(x)‖₂.
    public var outputDistance: Double
    /// ‖θ_a − θ_b‖₂ at the end of the epoch.
    public var weightDistance: Double
    /// Test accuracies of the unperturbed (a) and perturbed (b) copies.
    public var testAccuracyA: Double, testAccuracyB: Double

    enum CodingKeys: String, CodingKey {
        case epoch, disagreement, outputDistance = "output_distance", weightDistance = "weight_distance"
        case testAccuracyA = "test_accuracy_a", testAccuracyB = "test_accuracy_b"
    }
}

/// The outcome of a ``ButterflyExperiment``.
public struct ButterflyResult: Sendable, Codable, Equatable {
    /// The perturbed parameter and entry.
    public var parameter: String, index: Int
    /// ε as asked, and the change float32 could represent (0 when ε is below the entry's resolution).
    public var epsilon: Double, appliedPerturbation: Double
    /// ‖θ_a − θ_b‖₂ after every step, index = step (index 0: at initialization).
    public var weightDistanceCurve: [Double]
    /// The function comparison at initialization and after every epoch.
    public var epochs: [ButterflyEpoch]
    /// ‖θ_a‖₂ at the end, the scale of the final distance.
    public var finalWeightNorm: Double

    /// The final disagreement rate.
    public var disagreement: Double { epochs.last?.disagreement ?? 0 }
    /// Whether the two copies ended bit-identical.
    public var identical: Bool { weightDistanceCurve.last == 0 }

    enum CodingKeys: String, CodingKey {
        case parameter, index, epsilon, appliedPerturbation = "applied_perturbation"
        case weightDistanceCurve = "weight_distance_curve", epochs, finalWeightNorm = "final_weight_norm"
    }

    /// The divergence curve: log₁₀ ‖θ_a − θ_b‖ against step, and the disagreement against epoch.
    public func figure(stepsPerEpoch: Int) throws -> String {
        let points = weightDistanceCurve.enumerated().compactMap { step, d -> (x: Double, y: Double)? in
            d > 0 ? (Double(step), log10(d)) : nil
        }
        let ys = points.map(\.y)
        let low = (ys.min() ?? -8).rounded(.down), high = (ys.max() ?? 0).rounded(.up)
        var weights = try SVGPlot(
            title: "Weight divergence (ε = \(SVGPlot.number(epsilon)) on \(parameter)[\(index)])", xLabel: "step",
            yLabel: "log10 ‖θa − θb‖", xRange: 0...Double(max(weightDistanceCurve.count - 1, 1)), yRange: low...max(high, low + 1))
        weights.addLine(points, label: "‖θa − θb‖", color: .blue, dashed: false)
        let epochPoints = epochs.map { (x: Double($0.epoch * stepsPerEpoch), y: $0.weightDistance > 0 ? log10($0.weightDistance) : low) }
        weights.addMarkers(epochPoints, label: "epoch ends", color: .red, radius: 3)
        var functions = try SVGPlot(
            title: "Function divergence on the test set", xLabel: "epoch", yLabel: "fraction / distance",
            xRange: 0...Double(max(epochs.count - 1, 1)),
            yRange: 0...max(1e-3, (epochs.map { max($0.disagreement, $0.outputDistance) }.max() ?? 0) * 1.1))
        let disagreement = epochs.map { (x: Double($0.epoch), y: $0.disagreement) }
        let output = epochs.map { (x: Double($0.epoch), y: $0.outputDistance) }
        functions.addLine(disagreement, label: "disagreement rate", color: .red, dashed: false)
        functions.addMarkers(disagreement, label: nil, color: .red, radius: 3)
        functions.addLine(output, label: "mean ‖softmax a − softmax b‖", color: .green, dashed: true)
        return SVGPlot.grid([weights, functions], columns: 2)
    }

    /// Writes `README.md`, `butterfly.svg` and `butterfly.json` into `directory`, atomically.
    public func writeReport(to directory: String, description: String, stepsPerEpoch: Int) throws -> [String] {
        var lines = ["# Butterfly effect", "", description, "",
                     "Perturbed \(parameter)[\(index)] by ε = \(epsilon) (float32 change \(appliedPerturbation)).", "",
                     "| epoch | ‖θa − θb‖ | disagreement | output distance | accuracy a | accuracy b |", "|---|---|---|---|---|---|"]
        for e in epochs {
            lines.append(String(format: "| %d | %.4g | %.4f | %.4g | %.4f | %.4f |", e.epoch, e.weightDistance, e.disagreement,
                                e.outputDistance, e.testAccuracyA, e.testAccuracyB))
        }
        lines += ["", "![divergence](butterfly.svg)", ""]
        let files: [(String, Data)] = [
            ("README.md", Data(lines.joined(separator: "\n").utf8)), ("butterfly.svg", Data(try figure(stepsPerEpoch: stepsPerEpoch).utf8)),
            ("butterfly.json", try ResultJSON.encode(self, pretty: true)),
        ]
        return try files.map { name, data in
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicWrite.write(data, to: path)
            return path
        }
    }
}
