import Foundation
import InitiumCore

/// The node embedder: LINE's first-order objective (``NodeEmbedding``) minimized by Adam over
/// shuffled mini-batches of edges with the one ``Trainer``.
///
/// Defaults are Initium's (LINE itself runs asynchronous SGD with a linearly decaying rate of
/// 0.025): batches of 512 edges, Adam at a constant rate 0.01, K = 5 negatives (LINE's default).
/// An epoch is one pass over the edge examples (``NodeEmbedding/edgeDataset(_:negativeSamples:name:)``).
public struct LINEEmbedder: Sendable {
    /// The length d of a node's vector.
    public var dimension: Int
    /// Passes over the edges.
    public var epochs: Int
    /// Edges per step.
    public var batchSize: Int
    /// Adam's rate.
    public var learningRate: Float
    /// Negatives K per edge.
    public var negativeSamples: Int

    /// An embedder; the defaults are Initium's (see the type's description).
    public init(
        dimension: Int, epochs: Int, batchSize: Int = defaultBatchSize, learningRate: Float = defaultLearningRate,
        negativeSamples: Int = defaultNegativeSamples
    ) {
        self.dimension = dimension
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.negativeSamples = negativeSamples
    }

    /// Initium's default batch size (edges per step).
    public static let defaultBatchSize = 512
    /// Initium's default Adam rate.
    public static let defaultLearningRate: Float = 0.01
    /// LINE's default number of negatives K.
    public static let defaultNegativeSamples = 5

    /// Throws naming the first setting out of range.
    public func validate() throws {
        guard dimension >= 1 else { throw InitiumError.invalidArgument("`dimension` must be at least 1, got \(dimension)") }
        guard epochs >= 1 else { throw InitiumError.invalidArgument("`epochs` must be at least 1, got \(epochs)") }
        guard batchSize >= 1 else { throw InitiumError.invalidArgument("`batchSize` must be at least 1, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else {
            throw InitiumError.invalidArgument("`learningRate` must be a positive number, got \(learningRate)")
        }
        guard negativeSamples >= 1 else {
            throw InitiumError.invalidArgument("`negativeSamples` must be at least 1, got \(negativeSamples)")
        }
    }

    /// LINE's own initial table: every entry U(−0.5/d, 0.5/d) (`InitVector` in the reference C
    /// implementation, tangjianpku/LINE `line.cpp`), drawn from `key`.
    public func randomTable(nodeCount: Int, key: RandomKey) throws -> Tensor {
        let bound = 0.5 / Float(dimension)
        return try Tensor.uniform([nodeCount, dimension], low: -bound, high: bound, key: key)
    }

    /// Trains a table `[graph.nodeCount, dimension]` on `graph`'s edges from `table`, with data
    /// order and negatives drawn from `key`; `progress` sees every step and `epochEnded` the
    /// table after each epoch (1-based).
    public func train(
        _ graph: Graph, from table: Tensor, key: RandomKey, progress: ((TrainingProgress) -> Void)? = nil,
        epochEnded: ((_ epoch: Int, _ table: Tensor) throws -> Void)? = nil
    ) throws -> LINEResult {
        try validate()
        guard table.shape == [graph.nodeCount, dimension] else {
            throw InitiumError.shapeMismatch(operation: "LINE initial table", lhs: table.shape, rhs: [graph.nodeCount, dimension])
        }
        let edges = try NodeEmbedding.edgeDataset(graph, negativeSamples: negativeSamples)
        let model = try NodeEmbedding(table: table, degrees: graph.degrees, negativeSamples: negativeSamples)
        let configuration = TrainingConfiguration(
            epochs: epochs, batchSize: batchSize, optimizer: OptimizerConfiguration(kind: .adam, learningRate: learningRate),
            key: key, evaluatesEveryEpoch: false)
        // The Trainer evaluates once at the end; a slice of the edges keeps that cheap (its
        // accuracy, edges against negatives at threshold 0, is not reported).
        let check = try edges.prefix(Self.checkEdges)
        let trainer = Trainer(model: model, configuration: configuration)
        if let epochEnded {
            trainer.hooks.epochEnded = { epoch in try epochEnded(epoch, model.embedding.weight.value) }
        }
        let result = try trainer.run(train: edges, test: check, progress: progress)
        return LINEResult(
            table: model.embedding.weight.value, epochLosses: result.epochs.map(\.trainLoss), steps: result.steps,
            seconds: result.trainingSeconds)
    }

    /// Edges the Trainer's final evaluation reads.
    static let checkEdges = 1024
}

/// What ``LINEEmbedder/train(_:from:key:progress:)`` returns.
public struct LINEResult: Sendable {
    /// The trained table `[nodes, dimension]`.
    public var table: Tensor
    /// The mean loss of each epoch: LINE's objective per (edge or negative) pair, in nats.
    public var epochLosses: [Double]
    /// Optimizer steps taken.
    public var steps: Int
    /// Wall-clock seconds of training.
    public var seconds: Double
}
