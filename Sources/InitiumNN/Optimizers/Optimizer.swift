import InitiumCore

/// Updates parameters from their accumulated gradients.
///
/// Optimizers honour pruning masks: a masked entry's gradient is treated as zero (so it builds no
/// momentum) and its value is reset to exactly zero after every step. Each step first clips the
/// gradients of the parameters it is given by their global norm, when asked
/// (``GradientClipping``), and treats each parameter as its ``ParameterGroups`` say.
public protocol Optimizer: AnyObject {
    /// The step size used by the next ``step(_:)``.
    var learningRate: Float { get set }
    /// Applies one update to every trainable parameter that has a gradient.
    func step(_ parameters: [Parameter]) throws
}

/// Which optimizer to build, with its hyper-parameters (what `--optimizer/--lr/...` describe).
public struct OptimizerConfiguration: Sendable, Codable, Equatable {
    /// The algorithm.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Stochastic gradient descent with optional (Nesterov) momentum.
        case sgd
        /// Adam with L2 weight decay added to the gradient.
        case adam
        /// Adam with decoupled weight decay.
        case adamw
    }

    /// The algorithm.
    public var kind: Kind
    /// The base learning rate.
    public var learningRate: Float
    /// SGD momentum.
    public var momentum: Float
    /// Whether SGD uses Nesterov momentum.
    public var nesterov: Bool
    /// Weight decay coefficient.
    public var weightDecay: Float
    /// Adam's β₁.
    public var beta1: Float
    /// Adam's β₂.
    public var beta2: Float
    /// Adam's ε.
    public var epsilon: Float
    /// Whether AdamW's weight decay applies to every parameter; by default only to the weights of
    /// weighted layers, not to biases, normalization parameters and embeddings (SGD and Adam always
    /// decay every parameter; ``ParameterGroups``).
    public var decaysAllParameters: Bool
    /// Learning-rate multipliers by parameter path (`layers.2.weight`: 0.25); unnamed parameters
    /// keep 1. Model-level recipes such as μP set them (``ParameterGroups``).
    public var learningRateMultipliers: [String: Float]
    /// The global gradient norm C each step clips to (``GradientClipping``), or `nil` for no clipping.
    public var clipNorm: Float?

    /// A configuration; defaults follow PyTorch, except that AdamW's weight decay spares biases,
    /// normalization parameters and embeddings unless `decaysAllParameters`.
    public init(
        kind: Kind, learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0,
        beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, decaysAllParameters: Bool = false,
        learningRateMultipliers: [String: Float] = [:], clipNorm: Float? = nil
    ) {
        self.kind = kind
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.decaysAllParameters = decaysAllParameters
        self.learningRateMultipliers = learningRateMultipliers
        self.clipNorm = clipNorm
    }

    /// Throws if a hyper-parameter is out of range.
    public func validate() throws {
        guard learningRate > 0, learningRate.isFinite else {
            throw InitiumError.invalidArgument("learning rate must be a positive number, got \(learningRate)")
        }
        guard momentum >= 0, momentum < 1 else {
            throw InitiumError.invalidArgument("momentum must be in [0, 1), got \(momentum)")
        }
        guard weightDecay >= 0 else {
            throw InitiumError.invalidArgument("weight decay must be ≥ 0, got \(weightDecay)")
        }
        guard !nesterov || momentum > 0 else {
            throw InitiumError.invalidArgument("Nesterov momentum needs `momentum` > 0")
        }
        guard (0..<1).contains(beta1), (0..<1).contains(beta2), epsilon > 0 else {
            throw InitiumError.invalidArgument("Adam needs β₁, β₂ in [0, 1) and ε > 0")
        }
        guard !decaysAllParameters || weightDecay > 0 else {
            throw InitiumError.invalidArgument("`decaysAllParameters` needs `weightDecay` > 0")
        }
        if let (path, multiplier) = learningRateMultipliers.sorted(by: { $0.key < $1.key }).first(where: { !($0.value >= 0 && $0.value.isFinite) }) {
            throw InitiumError.invalidArgument("the learning-rate multiplier of \(path) must be a finite number ≥ 0, got \(multiplier)")
        }
        if let clipNorm {
            guard clipNorm > 0, clipNorm.isFinite else {
                throw InitiumError.invalidArgument("`clipNorm` must be a positive number, got \(clipNorm)")
            }
        }
    }

    /// A fresh optimizer with this configuration, its parameter groups taken from `model`
    /// (``ParameterGroups``); without a model every parameter is decayed with multiplier 1.
    public func makeOptimizer(for model: (any Module)? = nil) throws -> any Optimizer {
        try validate()
        let groups = try model.map { try ParameterGroups(model: $0, configuration: self) } ?? ParameterGroups()
        switch kind {
        case .sgd:
            return SGD(
                learningRate: learningRate, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay,
                groups: groups, clipNorm: clipNorm)
        case .adam, .adamw:
            return Adam(
                learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon,
                weightDecay: weightDecay, decoupledWeightDecay: kind == .adamw, groups: groups, clipNorm: clipNorm)
        }
    }

    enum CodingKeys: String, CodingKey {
        case kind, learningRate = "learning_rate", momentum, nesterov, weightDecay = "weight_decay"
        case beta1, beta2, epsilon, decaysAllParameters = "decays_all_parameters"
        case learningRateMultipliers = "learning_rate_multipliers", clipNorm = "clip_norm"
    }
}

extension Parameter {
    /// Calls `body` with the value to update in place, the gradient, and the mask (if any); skips
    /// frozen parameters and those without a gradient. Re-applies the mask afterwards.
    func update(
        _ body: (UnsafeMutablePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>?, Int) -> Void
    ) {
        guard isTrainable, let gradient else { return }
        precondition(gradient.shape == value.shape, "gradient shape \(gradient.shape) ≠ value shape \(value.shape)")
        let mask = self.mask
        value.withUnsafeMutableBufferPointer { w in
            gradient.withUnsafeBufferPointer { g in
                if let mask {
                    mask.withUnsafeBufferPointer { m in body(w.baseAddress!, g.baseAddress!, m.baseAddress!, w.count) }
                } else {
                    body(w.baseAddress!, g.baseAddress!, nil, w.count)
                }
            }
        }
        applyMask()
    }
}
