/// A layer with a main weight (and optional bias) that initializers fill: Linear, Conv2d, ….
/// Initializers read ``weightKind`` to compute fans, never the layer's concrete type.
public protocol WeightedLayer: Module {
    /// The main weight.
    var weight: Parameter { get }
    /// The bias, if the layer has one.
    var bias: Parameter? { get }
    /// How the weight's axes map to inputs and outputs.
    var weightKind: WeightKind { get }
}

/// How a weight tensor's axes map to a layer's inputs and outputs (PyTorch layouts).
public enum WeightKind: Sendable, Hashable, Codable {
    /// `[out, in]`.
    case linear
    /// `[out, in/groups, k…]`.
    case convolution(groups: Int)
    /// `[in, out/groups, k…]` (PyTorch's `ConvTranspose` layout).
    case transposedConvolution(groups: Int)
    /// `[count, dimension]`: rows are looked up, not multiplied.
    case embedding
}

extension Linear: WeightedLayer {
    public var weightKind: WeightKind { .linear }
}

extension Conv2d: WeightedLayer {
    public var weightKind: WeightKind { .convolution(groups: groups) }
}
