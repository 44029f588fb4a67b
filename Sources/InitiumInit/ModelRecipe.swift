import InitiumCore
import InitiumNN

/// How to build and initialize a fresh model: architecture, activation and scheme. Lottery
/// tickets need a fresh initialization for their random-reinitialization control, so studies hold
/// a recipe rather than a model.
///
/// The one place a model is built and initialized from a seed (InitiumLab's `TrainingRun`, the
/// pruning studies and the CLI all use it): with `key = RandomKey(seed: s)` the model is built
/// from `key.fold("init")` and the scheme applied with the same key, data-dependent schemes seeing
/// the batch drawn with `key.fold("init-batch")`. It is the model half of a run; ``DataRecipe``
/// is the data half, whose training set gives the input shape and class count
/// (``Dataset/signature``) the model is built for.
public struct ModelRecipe: Sendable {
    /// The architecture.
    public var model: ModelSpec
    /// The hidden activation.
    public var activation: Activation
    /// The initialization scheme.
    public var scheme: Scheme

    /// A recipe.
    public init(model: ModelSpec, activation: Activation, scheme: Scheme) {
        self.model = model
        self.activation = activation
        self.scheme = scheme
    }

    /// A freshly initialized model for `train`'s example shape and classes; `batchSize` is the
    /// training batch size (data-dependent schemes see max(batchSize, 256) examples, as `TrainingRun`).
    public func make(key: RandomKey, for train: Dataset, batchSize: Int) throws -> any Module {
        try makeLogged(key: key, for: train, batchSize: batchSize).model
    }

    /// ``make(key:for:batchSize:)`` together with the initialization log.
    public func makeLogged(key: RandomKey, for train: Dataset, batchSize: Int) throws -> (model: any Module, log: InitializationLog) {
        let model = try build(key: key, for: train)
        let log = try initialize(model, key: key, batchFrom: train, examples: max(batchSize, 256))
        return (model, log)
    }

    /// The architecture for `train`'s example shape and classes, built from `key.fold("init")`
    /// (layers' construction-time defaults; ``initialize(_:key:batchFrom:examples:)`` then applies the scheme).
    public func build(key: RandomKey, for train: Dataset) throws -> any Module {
        try model.build(
            activation: activation, inputShape: train.exampleShape, classCount: train.classCount, graphTask: train.signature.graphTask,
            key: key.fold("init"))
    }

    /// Applies the scheme to `model` with `key.fold("init")`; data-dependent schemes see
    /// `examples` training inputs drawn with `key.fold("init-batch")` (for graph data, with their
    /// graph structure: the whole graph for node tasks, the union of the drawn graphs for graph tasks).
    public func initialize(_ model: any Module, key: RandomKey, batchFrom train: Dataset, examples: Int) throws -> InitializationLog {
        let indices = train.randomIndices(examples, key: key.fold("init-batch"))
        let context = InitializationContext(
            key: key.fold("init"), activation: self.model.activation(default: activation), batch: train.batch(indices).inputs, graph: try train.graphBatch(indices))
        return try scheme.apply(to: model, context: context)
    }
}
