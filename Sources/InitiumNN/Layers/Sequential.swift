/// Layers applied one after another; children are named `0`, `1`, … so parameters have paths
/// such as `layers.2.weight` when the sequence is stored under `layers`. Errors name the failing
/// layer by its index (see ``SequentialModule``).
public final class Sequential: SequentialModule {
    /// The layers in order.
    public let layers: [any Module]

    /// A sequence of layers.
    public init(_ layers: [any Module]) { self.layers = layers }

    /// The sequence of the children built with ``ChildList/append(_:)``, whose names are their positions.
    public convenience init(_ list: ChildList) { self.init(list.entries.map(\.module)) }

    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { (String($0.offset), $0.element) }
    }
}
