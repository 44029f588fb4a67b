import InitiumCore
import InitiumNN

/// What an initializer may know besides a tensor's layout: the key, the network's activation
/// (for gains and edge-of-chaos rules) and, for data-dependent schemes, a batch of inputs.
public struct InitializationContext: @unchecked Sendable {
    /// The root key; a parameter at path p is drawn with `key.fold(p)`.
    public var key: RandomKey
    /// The network's hidden activation, when known.
    public var activation: Activation?
    /// A batch of real inputs for data-dependent schemes (LSUV); for graph data, the node
    /// features of ``graph``.
    public var batch: Tensor?
    /// The graph the batch's nodes belong to, for graph data (Virgo reads its propagation
    /// matrices; LSUV's forward passes need it to run a graph model).
    public var graph: GraphBatch?
    /// The signal a coordinate network will fit, for target-dependent schemes (WINNER reads its
    /// spectrum).
    public var target: Signal?

    /// A context.
    public init(key: RandomKey, activation: Activation? = nil, batch: Tensor? = nil, graph: GraphBatch? = nil, target: Signal? = nil) {
        self.key = key
        self.activation = activation
        self.batch = batch
        self.graph = graph
        self.target = target
    }

    /// The activation, or an error naming the scheme that needs it.
    func requireActivation(for scheme: String) throws -> Activation {
        guard let activation else {
            throw InitiumError.invalidArgument(
                "\(scheme) depends on the network's activation; none was given (`activation`, e.g. tanh)")
        }
        return activation
    }
}

/// A rule that fills one weight tensor from its layout: the tensor-level part of a scheme.
public protocol TensorInitializer: Sendable {
    /// The weight for `layout`, drawn with `key`.
    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor
    /// Overwrites `tensor` (of shape `layout.shape`) with the weight; rules that draw from a
    /// fixed distribution do it in place.
    func fill(_ tensor: inout Tensor, layout: WeightLayout, key: RandomKey, context: InitializationContext) throws
    /// The bias for a layer whose weight has `layout`, or `nil` for zeros (the default).
    func bias(count: Int, for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor?
}

extension TensorInitializer {
    public func fill(_ tensor: inout Tensor, layout: WeightLayout, key: RandomKey, context: InitializationContext) throws {
        tensor = try weight(for: layout, key: key, context: context)
    }

    public func bias(count: Int, for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor? {
        nil
    }
}

/// A rule that initializes a whole model (Fixup, LSUV, ZerO, …), returning a per-layer log.
public protocol ModelInitializer: Sendable {
    /// Initializes `model` in place.
    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog
}

/// What an initialization did, layer by layer (e.g. LSUV's iterations and variances).
public struct InitializationLog: Sendable, Codable {
    /// One entry per parameter or layer touched.
    public struct Entry: Sendable, Codable {
        /// The parameter or layer path.
        public var path: String
        /// What was done (`he-normal`, `zeroed`, `lsuv: 2 iterations, var 0.998`).
        public var action: String
        /// Numbers worth reporting (e.g. `iterations`, `variance`).
        public var values: [String: Double]

        /// An entry.
        public init(path: String, action: String, values: [String: Double] = [:]) {
            self.path = path
            self.action = action
            self.values = values
        }
    }

    /// The entries in model order.
    public var entries: [Entry]
    /// Learning-rate multipliers the scheme asks the optimizer to apply, by parameter path (μP's
    /// 1/width-multiplier for hidden weights under Adam); parameters absent use 1.
    public var learningRateMultipliers: [String: Float]

    /// A log.
    public init(entries: [Entry] = [], learningRateMultipliers: [String: Float] = [:]) {
        self.entries = entries
        self.learningRateMultipliers = learningRateMultipliers
    }

    /// The entry for a path, if any.
    public func entry(for path: String) -> Entry? { entries.first { $0.path == path } }
}

/// Applies a tensor rule to every ``WeightedLayer`` of a model: weight from the rule with key
/// `key.fold("<path>.weight")`, bias from the rule with `key.fold("<path>.bias")` or zeros. The
/// rule may differ per layer (by its roles): `plan` is called once per model (so per-model
/// constants are computed once) and returns the choice for each layer.
struct LayerwiseInitializer: ModelInitializer {
    /// A layer's rule, its name in the log and extra values for the log.
    typealias Choice = (rule: any TensorInitializer, name: String, extra: [String: Double])

    let plan: @Sendable (InitializationContext) throws -> (LayerSite) throws -> Choice

    /// One rule for every layer.
    init(rule: any TensorInitializer, name: String) {
        plan = { _ in { _ in (rule, name, [:]) } }
    }

    /// A rule chosen per layer.
    init(plan: @escaping @Sendable (InitializationContext) throws -> (LayerSite) throws -> Choice) {
        self.plan = plan
    }

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        var log = InitializationLog()
        let choose = try plan(context)
        for site in try ModelWalk.weightedLayers(of: model) {
            let choice = try choose(site)
            try site.initialize(with: choice.rule, name: choice.name, context: context, log: &log, extra: choice.extra)
        }
        return log
    }
}

/// PyTorch's default for Linear and Conv: weight and bias both U(−1/√fan_in, 1/√fan_in)
/// (`kaiming_uniform_(a=√5)` for the weight; pytorch/pytorch#57109). The same rule the layers start
/// from (``WeightLayout/torchDefaultWeightDistribution``, ``WeightLayout/torchDefaultBiasDistribution``).
struct TorchDefaultInitializer: TensorInitializer {
    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try Tensor.random(layout.shape, layout.torchDefaultWeightDistribution, key: key)
    }

    func fill(_ tensor: inout Tensor, layout: WeightLayout, key: RandomKey, context: InitializationContext) throws {
        tensor.fillRandom(layout.torchDefaultWeightDistribution, key: key)
    }

    func bias(count: Int, for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor? {
        try Tensor.random([count], layout.torchDefaultBiasDistribution, key: key)
    }
}
