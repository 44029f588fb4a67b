import InitiumNN
/// What an initializer may know besides a tensor's layout: the key, the network's activation
/// (for gains and edge-of-chaos rules) and, for data-dependent schemes, a batch of inputs.
public struct InitializationContext: @unchecked Sendable {
    /// The root key; a parameter at path p is drawn with `key.fold(p)`.
    public var key: RandomKey
    /// The network's hidden activation, when known.
    public var activation: Activation?
    /// A batch of real inputs for data-dependent schemes (LSUV).
    public var batch: Tensor?

    /// A context.
    public init(key: RandomKey, activation: Activation? = nil, batch: Tensor? = nil) {
        self.key = key
        self.activation = activation
        self.batch = batch
    }

    /// The activation, or an error naming the scheme that needs it.
    func requireActivation(for scheme: String) throws -> Activation {
        guard let activation else {
            throw InitiumError.invalidArgument(
                "\(scheme) depends on the network's activation; give it (e.g. --act tanh) in the initialization context")
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

    /// A log.
    public init(entries: [Entry] = []) { self.entries = entries }

    /// The entry for a path, if any.
    public func entry(for path: String) -> Entry? { entries.first { $0.path == path } }
}

/// Applies a tensor rule to every ``WeightedLayer`` of a model: weight from the rule with key
/// `key.fold("<path>.weight")`, bias from the rule with `key.fold("<path>.bias")` or zeros.
struct LayerwiseInitializer: ModelInitializer {
    let rule: any TensorInitializer
    let name: String

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        var log = InitializationLog()
        for site in try ModelWalk.weightedLayers(of: model) {
            try site.initialize(with: rule, name: name, context: context, log: &log)
        }
        return log
    }
}

/// PyTorch's default for Linear and Conv: weight and bias both U(−1/√fan_in, 1/√fan_in)
/// (`kaiming_uniform_(a=√5)` for the weight; pytorch/pytorch#57109).
struct TorchDefaultInitializer: TensorInitializer {
    var rule: VarianceScaling { try! VarianceScaling(scale: 1.0 / 3.0, mode: .fanIn, shape: .uniform) }

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try rule.sample(layout, key: key)
    }

    func fill(_ tensor: inout Tensor, layout: WeightLayout, key: RandomKey, context: InitializationContext) throws {
        try rule.fill(&tensor, layout: layout, key: key, context: context)
    }

    func bias(count: Int, for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor? {
        let bound = 1 / Float(layout.fanIn).squareRoot()
        return try Tensor.uniform([count], low: -bound, high: bound, key: key)
    }
}
