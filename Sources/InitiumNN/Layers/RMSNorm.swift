import InitiumCore

/// Root-mean-square normalization over the last axis, PyTorch's `nn.RMSNorm`:
/// y = x / √(mean(x²) + ε) ⊙ γ, γ `[dimension]` initialized to 1 (Zhang & Sennrich, "Root Mean
/// Square Layer Normalization", NeurIPS 2019).
public final class RMSNorm: Module {
    /// γ, `[dimension]`.
    public let weight: Parameter
    /// Added to the mean square before the square root.
    public let epsilon: Float
    /// What this layer is in its model.
    public var roles: Set<LayerRole> = []

    /// A layer over a last axis of size `dimension`.
    public init(_ dimension: Int, epsilon: Float = 1e-6) throws {
        guard dimension > 0, epsilon >= 0 else {
            throw InitiumError.invalidArgument("RMSNorm(\(dimension)): needs a positive size and epsilon ≥ 0")
        }
        weight = Parameter(Tensor.ones([dimension]))
        self.epsilon = epsilon
    }

    /// A normalization.
    public var kind: LayerKind { .normalization }

    public var localParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try input.rmsNormalized(scale: context.read(weight), epsilon: epsilon)
    }
}
