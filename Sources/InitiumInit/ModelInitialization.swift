import Foundation
import InitiumCore
import InitiumNN

/// A whole model initialized by a scheme, as `initium init --model` does: the model is built from
/// its spec, a batch of training inputs is drawn for data-dependent schemes (LSUV), and the
/// scheme's log (per layer: what was done; LSUV's iterations and variances) is returned.
///
/// Built and initialized by ``ModelRecipe`` from data loaded by ``DataRecipe``, with the keys of
/// `initium train` (`seed → fold("init")` for the model and the scheme, `fold("init-batch")` for
/// the batch, `fold("dataset")` for synthetic data), so the same seed gives the same initial
/// weights as a training run whose data-dependent schemes see as many examples (training uses
/// max(batch size, 256)) of the same inputs (standardized or not).
public struct ModelInitialization: Sendable {
    /// The model spec (`mlp:784-256x50-10`, `resnet20`, …).
    public var model: ModelSpec
    /// The hidden activation: the one the model's spec names (``ModelSpec/activation(default:)``),
    /// else the one given.
    public var activation: Activation
    /// The scheme.
    public var scheme: Scheme
    /// The data the batch comes from (its training set, standardized if the recipe says so).
    public var data: DataRecipe
    /// Examples in the batch data-dependent schemes see.
    public var batchSize: Int
    /// The seed.
    public var seed: UInt64

    /// A request.
    public init(model: ModelSpec, activation: Activation, scheme: Scheme, data: DataRecipe, batchSize: Int = 256, seed: UInt64 = 0) {
        self.model = model
        self.activation = model.activation(default: activation)
        self.scheme = scheme
        self.data = data
        self.batchSize = batchSize
        self.seed = seed
    }

    /// Builds and initializes the model; returns it with the log and the seconds the scheme took.
    public func run() throws -> (model: any Module, log: InitializationLog, seconds: Double) {
        guard batchSize >= 1 else { throw InitiumError.invalidArgument("`batchSize` must be positive, got \(batchSize)") }
        let key = RandomKey(seed: seed)
        let train = try data.load(key: key).train
        let recipe = ModelRecipe(model: model, activation: activation, scheme: scheme)
        let network = try recipe.build(key: key, for: train)
        let start = DispatchTime.now().uptimeNanoseconds
        let log = try recipe.initialize(network, key: key, batchFrom: train, examples: batchSize)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (network, log, seconds)
    }
}
