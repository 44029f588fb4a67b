import InitiumCore

/// Layer normalization, PyTorch's `nn.LayerNorm`: each example is normalized over its last axes
/// (`normalizedShape`) with its own mean and biased variance, then y = γ ⊙ x̂ + β with γ, β of
/// shape `normalizedShape`. Same in training and inference. Ba, Kiros & Hinton, "Layer
/// Normalization", 2016.
public final class LayerNorm: Module {
    /// The trailing axes normalized over.
    public let normalizedShape: [Int]
    /// γ (initialized to 1), or `nil` without an affine map.
    public let weight: Parameter?
    /// β (initialized to 0), or `nil` without an affine map.
    public let bias: Parameter?
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// What this layer is in its model.
    public var roles: Set<LayerRole> = []

    /// A layer-norm layer over trailing axes of shape `normalizedShape`.
    public init(_ normalizedShape: [Int], epsilon: Float = 1e-5, affine: Bool = true) throws {
        guard !normalizedShape.isEmpty, normalizedShape.allSatisfy({ $0 > 0 }), epsilon >= 0 else {
            throw InitiumError.invalidArgument("LayerNorm(\(normalizedShape)): needs a non-empty positive shape and epsilon ≥ 0")
        }
        self.normalizedShape = normalizedShape
        weight = affine ? Parameter(Tensor.ones(normalizedShape)) : nil
        bias = affine ? Parameter(Tensor.zeros(normalizedShape)) : nil
        self.epsilon = epsilon
    }

    /// A normalization.
    public var kind: LayerKind { .normalization }

    public var localParameters: [(name: String, parameter: Parameter)] {
        (weight.map { [("weight", $0)] } ?? []) + (bias.map { [("bias", $0)] } ?? [])
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try input.layerNormalized(
            normalizedShape, scale: weight.map(context.read), shift: bias.map(context.read), epsilon: epsilon)
    }
}
