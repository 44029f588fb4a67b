import Foundation
import InitiumCore
import InitiumNN

/// Node classification from frozen embeddings: multinomial logistic regression (``LinearClassifier``)
/// trained with the one ``Trainer`` on the embeddings of a split's training nodes, accuracy on
/// its test nodes — the evaluation of LINE and of Lin et al. (who use LIBLINEAR's logistic
/// regression).
///
/// Initium's defaults: the table is standardized by one scalar mean and deviation over all its
/// entries (so tables of different scales are probed alike, their geometry kept), then
/// ``steps`` full-batch Adam steps at rate ``learningRate`` with L2 weight decay ``weightDecay``.
public struct LinearProbe: Sendable {
    /// Full-batch steps.
    public var steps: Int
    /// Adam's rate.
    public var learningRate: Float
    /// Adam's L2 weight decay λ (added to the gradient).
    public var weightDecay: Float

    /// A probe; the defaults are Initium's (300 steps, rate 0.01, λ = 10⁻⁴).
    public init(steps: Int = 300, learningRate: Float = 0.01, weightDecay: Float = 1e-4) {
        self.steps = steps
        self.learningRate = learningRate
        self.weightDecay = weightDecay
    }

    /// The test accuracy of a probe of `table` `[nodes, d]` trained on `trainNodes` (labels
    /// `trainLabels`) and tested on `testNodes` (`testLabels`), classes `0..<classCount`; the
    /// classifier's weights and data order come from `key`.
    public func accuracy(
        table: Tensor, trainNodes: [Int], trainLabels: [Int32], testNodes: [Int], testLabels: [Int32], classCount: Int, key: RandomKey
    ) throws -> Double {
        guard !trainNodes.isEmpty, !testNodes.isEmpty else {
            throw InitiumError.invalidArgument("linear probe: needs training and test nodes, got \(trainNodes.count) and \(testNodes.count)")
        }
        let moments = table.moments
        let (mean, deviation) = (Float(moments.mean), Float(Swift.max(moments.variance.squareRoot(), 1e-12)))
        let standardized = table.mapped { ($0 - mean) / deviation }
        let train = try Dataset(
            inputs: standardized.indexSelect(axis: 0, trainNodes), labels: trainLabels, classCount: classCount, name: "probe-train")
        let test = try Dataset(
            inputs: standardized.indexSelect(axis: 0, testNodes), labels: testLabels, classCount: classCount, name: "probe-test")
        let model = try LinearClassifier(inFeatures: table.shape[1], classCount: classCount, scope: Scope(key: key.fold("classifier")))
        let configuration = TrainingConfiguration(
            epochs: 1, batchSize: trainNodes.count,
            optimizer: OptimizerConfiguration(kind: .adam, learningRate: learningRate, weightDecay: weightDecay),
            key: key.fold("order"), evaluatesEveryEpoch: false, steps: steps)
        return try Trainer(model: model, configuration: configuration).run(train: train, test: test).testAccuracy
    }
}
