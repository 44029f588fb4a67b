import InitiumCore
import InitiumNN

/// Layer rotation (Carbonnelle & De Vleeschouwer, "Layer rotation: a surprisingly simple
/// indicator of generalization in deep networks?", 2019): for each weighted layer, the cosine
/// distance of its flattened weight from the weight at initialization,
/// δ_l(t) = 1 − ⟨w_l(t), w_l(0)⟩ / (‖w_l(t)‖ ‖w_l(0)‖). Kernels only, biases excluded.
public final class LayerRotationTracker {
    /// Layer paths, in model order.
    public let paths: [String]
    private let initial: [Tensor]
    private let layers: [any WeightedLayer]
    /// δ_l after each recorded epoch: `history[l][e]`.
    public private(set) var history: [[Double]]

    /// Snapshots the model's current weights as w(0).
    public init(model: any Module) {
        let weighted = model.namedModules.compactMap { entry -> (String, any WeightedLayer)? in
            guard let layer = entry.module as? any WeightedLayer else { return nil }
            return (entry.path, layer)
        }
        paths = weighted.map(\.0)
        layers = weighted.map(\.1)
        initial = layers.map { $0.weight.value }
        history = Array(repeating: [], count: layers.count)
    }

    /// The current cosine distances, one per layer.
    public func distances() -> [Double] {
        zip(layers, initial).map { layer, w0 in
            Self.cosineDistance(layer.weight.value, w0)
        }
    }

    /// Appends the current distances to ``history``.
    public func record() {
        for (i, d) in distances().enumerated() { history[i].append(d) }
    }

    /// 1 − cos(a, b) in Double.
    public static func cosineDistance(_ a: Tensor, _ b: Tensor) -> Double {
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                var dot = 0.0, na = 0.0, nb = 0.0
                for i in 0..<min(pa.count, pb.count) {
                    dot += Double(pa[i]) * Double(pb[i])
                    na += Double(pa[i]) * Double(pa[i])
                    nb += Double(pb[i]) * Double(pb[i])
                }
                guard na > 0, nb > 0 else { return 0 }
                return 1 - dot / (na * nb).squareRoot()
            }
        }
    }
}
