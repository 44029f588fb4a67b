import InitiumCore
import InitiumNN

/// One weight tensor drawn from a scheme: what `initium init` computes. The key is
/// `RandomKey(seed: seed).fold("weight")`, so the tensor equals the `weight` of a single layer at
/// the model root initialized with the same seed.
public struct TensorInitialization: Sendable {
    /// The scheme.
    public var scheme: Scheme
    /// The weight's layout.
    public var layout: WeightLayout
    /// The seed.
    public var seed: UInt64
    /// The network's activation (for `gain=exact`, `eoc`, `maxout`), if any.
    public var activation: Activation?

    /// A request.
    public init(scheme: Scheme, layout: WeightLayout, seed: UInt64, activation: Activation? = nil) {
        self.scheme = scheme
        self.layout = layout
        self.seed = seed
        self.activation = activation
    }

    /// Draws the tensor and summarizes it.
    public func run() throws -> (tensor: Tensor, summary: WeightSummary) {
        let root = RandomKey(seed: seed)
        let key = root.fold("weight")
        let tensor = try scheme.sample(layout, key: key, context: InitializationContext(key: root, activation: activation))
        return (tensor, WeightSummary(tensor))
    }
}
