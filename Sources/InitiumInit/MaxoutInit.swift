import InitiumCore
import InitiumNN

/// Maxout initialization (Tseran & Montúfar, "Expected Gradients of Maxout Networks and
/// Consequences to Parameter Initialization", ICML 2023; official `training.py`, `M_DICT`):
/// W ~ N(0, c/fan_in) with c = 1/E[(max of k i.i.d. N(0, 1))²], which keeps the second moment of
/// maxout pre-activations constant through depth; c(2) = 1, c(3) = 2π/(√3 + 2π) ≈ 0.7839,
/// c(4) = π/(√3 + π) ≈ 0.6446, c(5) ≈ 0.5556, computed for any k by quadrature in InitiumTheory.
/// Biases 0. Over a model the classifier gets c = 1 (it feeds no maxout), as in the official code.
/// k defaults to the network's maxout group when the activation is `maxout(k=…)`, else 2.
struct MaxoutInitializer: TensorInitializer {
    let pieces: Int?

    func resolvedPieces(_ context: InitializationContext) -> Int {
        pieces ?? (context.activation.map { $0.maxoutGroup > 1 ? $0.maxoutGroup : 2 } ?? 2)
    }

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        let c = try TheoryBridge.maxoutFactor(pieces: resolvedPieces(context))
        return try VarianceScaling(scale: c, mode: .fanIn, family: .normal).sample(layout, key: key)
    }
}

/// Maxout over a model: c(k) in every layer but the classifier, which gets c = 1 (k and c are
/// resolved once per model).
func maxoutRecipe(_ rule: MaxoutInitializer) -> LayerwiseInitializer {
    LayerwiseInitializer { context in
        let k = rule.resolvedPieces(context)
        let c = try TheoryBridge.maxoutFactor(pieces: k)
        let layers = try VarianceScaling(scale: c, mode: .fanIn, family: .normal)
        let classifier = try VarianceScaling(scale: 1, mode: .fanIn, family: .normal)
        return { site in
            site.roles.contains(.classifier) ? (classifier, "maxout classifier (c=1)", [:]) : (layers, "maxout(k=\(k))", ["c": c])
        }
    }
}

extension SchemeCatalog {
    static let maxoutEntry = Entry(
        name: "maxout",
        parameters: [ParameterInfo(name: "k", defaultValue: "activation", summary: "pieces per unit (default: the network's maxout k, else 2)")],
        summary: "N(0, c/fan_in), c = 1/E[max of k normals²]; classifier c = 1",
        reference: "Tseran & Montúfar, ICML 2023", level: .tensorAndModel
    ) { spec in
        let rule = MaxoutInitializer(pieces: try positiveInteger(spec, "k"))
        return .both(rule, maxoutRecipe(rule))
    }
}
