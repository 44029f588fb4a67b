import Foundation
import InitiumCore
import InitiumNN

/// Training-step throughput: the same step as training (forward, cross-entropy, backward, the
/// optimizer's update — SGD with momentum 0.9 by default, clipping included when configured) on
/// one random batch shaped like the dataset's examples (Fashion-MNIST's by default), repeated.
/// Token models (``ModelInput/tokens``) get random token ids below their vocabulary
/// (``SequenceModel/vocabularySize``, else the class count) and one label per output row (T per
/// sequence for a language model). Graph data (``DataSignature/graphTask``) is loaded, since the
/// structure is the work: the step is the training set's first batch with its ``GraphBatch``
/// (a node task's whole graph, full-batch; for graph tasks `batchSize` graphs). Mirrors `Benchmarks/peers/torch_train_bench.py` and
/// `torch_gpt_bench.py` (and `torch_gcn.py` for graphs) so the two can be compared on one machine.
public struct TrainingBenchmark: Sendable {
    /// The architecture.
    public var model: ModelSpec
    /// The hidden activation.
    public var activation: Activation
    /// The data whose example shape and class count the model and the random batch take
    /// (``DataRecipe/signature()``; nothing is loaded).
    public var data: DataRecipe
    /// Examples per step.
    public var batchSize: Int
    /// Timed steps.
    public var steps: Int
    /// Untimed steps first.
    public var warmup: Int
    /// The update.
    public var optimizer: OptimizerConfiguration

    /// A benchmark.
    public init(
        model: ModelSpec, activation: Activation, data: DataRecipe = DataRecipe(.fashionMNIST), batchSize: Int = 128,
        steps: Int = 200, warmup: Int = 20,
        optimizer: OptimizerConfiguration = OptimizerConfiguration(kind: .sgd, learningRate: 0.01, momentum: 0.9)
    ) {
        self.optimizer = optimizer
        self.model = model
        self.activation = activation
        self.data = data
        self.batchSize = batchSize
        self.steps = steps
        self.warmup = warmup
    }

    /// Steps and samples per second.
    public struct Measurement: Sendable {
        /// Timed steps per second.
        public var stepsPerSecond: Double
        /// Timed examples per second.
        public var samplesPerSecond: Double
        /// Wall-clock seconds of the timed steps.
        public var seconds: Double
    }

    /// Runs the benchmark; `progress` gets the number of steps done (warm-up included).
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> Measurement {
        guard batchSize > 0, steps > 0, warmup >= 0 else {
            throw InitiumError.invalidArgument("`batchSize` and `steps` must be positive and `warmup` non-negative")
        }
        let key = RandomKey(seed: 0)
        let signature = try data.signature()
        let network = try model.build(
            activation: activation, inputShape: signature.exampleShape, classCount: signature.classCount,
            graphTask: signature.graphTask, key: key.fold("init"))
        var inputs: Tensor, labels: [Int32], graph: GraphBatch?
        if signature.graphTask != nil {
            let train = try data.load(key: key).train
            let indices = train.batchIndices(size: batchSize, shuffledWith: nil)[0]
            (inputs, labels) = train.batch(indices)
            graph = try train.graphBatch(indices)
        } else {
            inputs = try Tensor.uniform([batchSize] + signature.exampleShape, key: key.fold("inputs"))
            if model.family.input == .tokens {
                let vocabulary = Float((network as? any SequenceModel)?.vocabularySize ?? signature.classCount)
                inputs = inputs.mapped { min(($0 * vocabulary).rounded(.down), vocabulary - 1) }
            }
            let rows = try network.forward(inputs, context: ForwardContext(mode: .inference)).shape[0]
            labels = Tensor.permutation(rows, key: key.fold("labels")).map { Int32($0 % signature.classCount) }
            graph = nil
        }
        let trainer = Trainer(model: network, configuration: TrainingConfiguration(
            epochs: 1, batchSize: batchSize, optimizer: self.optimizer, key: key))
        let optimizer = try self.optimizer.makeOptimizer(for: network)
        let parameters = network.parameters
        for i in 0..<warmup {
            _ = try trainer.step(
                inputs: inputs, labels: labels, graph: graph, optimizer: optimizer, parameters: parameters, key: key.fold(i))
            progress?(i + 1, warmup + steps)
        }
        let start = DispatchTime.now()
        for i in 0..<steps {
            _ = try trainer.step(
                inputs: inputs, labels: labels, graph: graph, optimizer: optimizer, parameters: parameters, key: key.fold(warmup + i))
            progress?(warmup + i + 1, warmup + steps)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return Measurement(
            stepsPerSecond: Double(steps) / seconds, samplesPerSecond: Double(steps * (graph == nil ? batchSize : labels.count)) / seconds, seconds: seconds)
    }
}
