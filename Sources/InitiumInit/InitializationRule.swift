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
}

/// A rule that fills one weight tensor from its layout: the tensor-level part of a scheme.
public protocol TensorInitializer: Sendable {
    /// The weight for `layout`, drawn with `key`.
    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor
    /// The bias for a layer whose weight has `layout`, or `nil` for zeros (the default).
    func bias(count: Int, for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor?
}

extension TensorInitializer {
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
}

/// Applies a tensor rule to every ``WeightedLayer`` of a model: weight from the rule with key
/// `key.fold("<path>.weight")`, bias from the rule or zeros.
struct LayerwiseInitializer: ModelInitializer {
    let rule: any TensorInitializer
    let name: String

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        var log = InitializationLog()
        for (path, module) in model.namedModules {
            guard let layer = module as? any WeightedLayer else { continue }
            let prefix = path.isEmpty ? "" : path + "."
            let layout = try WeightLayout(layer.weight.shape, kind: layer.weightKind)
            let w = try rule.weight(for: layout, key: context.key.fold(prefix + "weight"), context: context)
            guard w.shape == layer.weight.shape else {
                throw InitiumError.internalFailure("\(name) produced \(w.shape) for \(prefix)weight \(layer.weight.shape)")
            }
            layer.weight.value = w
            log.entries.append(.init(path: prefix + "weight", action: name, values: ["fan_in": Double(layout.fanIn), "fan_out": Double(layout.fanOut)]))
            if let bias = layer.bias {
                let b = try rule.bias(count: bias.shape[0], for: layout, key: context.key.fold(prefix + "bias"), context: context)
                    ?? Tensor.zeros(bias.shape)
                bias.value = b
                log.entries.append(.init(path: prefix + "bias", action: b.scalars.allSatisfy { $0 == 0 } ? "zeros" : name))
            }
        }
        return log
    }
}

extension VarianceScaling: TensorInitializer {
    public func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try sample(layout, key: key)
    }
}

/// PyTorch's default for Linear and Conv: weight and bias both U(−1/√fan_in, 1/√fan_in)
/// (`kaiming_uniform_(a=√5)` for the weight; pytorch/pytorch#57109).
struct TorchDefaultInitializer: TensorInitializer {
    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try VarianceScaling(scale: 1.0 / 3.0, mode: .fanIn, shape: .uniform).sample(layout, key: key)
    }

    func bias(count: Int, for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor? {
        let bound = 1 / Float(layout.fanIn).squareRoot()
        return try Tensor.uniform([count], low: -bound, high: bound, key: key)
    }
}
