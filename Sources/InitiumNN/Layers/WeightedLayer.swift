import InitiumCore

/// A layer with a main weight (and optional bias) that initializers fill: Linear, Conv2d, ….
/// Initializers read ``weightKind`` to compute fans (``WeightLayout``), never the layer's concrete type.
public protocol WeightedLayer: Module {
    /// The main weight.
    var weight: Parameter { get }
    /// The bias, if the layer has one.
    var bias: Parameter? { get }
    /// How the weight's axes map to inputs and outputs.
    var weightKind: WeightKind { get }
}

extension Linear: WeightedLayer {
    public var weightKind: WeightKind { .linear }
}

extension Conv2d: WeightedLayer {
    public var weightKind: WeightKind { .convolution(groups: groups) }
}
