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
    /// The weight's layout, from which initializers take its fans; by default the shape with
    /// ``weightKind``'s rules, overridden by layers whose weight stacks several maps (a fused
    /// query–key–value projection has the fans of one block).
    var weightLayout: WeightLayout { get throws }
}

extension WeightedLayer {
    /// The weight's shape with ``weightKind``'s fan rules.
    public var weightLayout: WeightLayout {
        get throws { try WeightLayout(weight.shape, kind: weightKind) }
    }
}

extension Linear: WeightedLayer {
    public var weightKind: WeightKind { .linear }

    /// `[out, in]` with ``Linear/fans`` when set (a fused projection's per-block fans).
    public var weightLayout: WeightLayout {
        get throws { try WeightLayout(weight.shape, kind: .linear, fans: fans) }
    }
}

extension Conv2d: WeightedLayer {
    public var weightKind: WeightKind { .convolution(groups: groups) }
}
