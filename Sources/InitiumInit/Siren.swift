import InitiumCore
import InitiumNN

/// SIREN (Sitzmann et al., "Implicit Neural Representations with Periodic Activation Functions",
/// NeurIPS 2020; official `modules.py`: `sine_init`, `first_layer_sine_init`), for networks whose
/// activation is sin(ω·x) (`--act sine(omega=30)`):
/// - hidden and last layers: W ~ U(−√(6/fan_in)/ω, √(6/fan_in)/ω), so ω·Wx has unit-scale
///   arcsine-distributed inputs to the next sine;
/// - first layer (role `.input`): W ~ U(−1/fan_in, 1/fan_in);
/// - biases: PyTorch's Linear default U(±1/√fan_in), which SIREN does not re-initialize.
/// On a single tensor the hidden rule applies unless `layer=first`.
///
/// ω is the scheme's `omega` when given, else the network's own: the ω of its `sine(omega=…)`
/// activation (``InitializationContext/activation``), else SIREN's ω₀ = 30.
struct SirenInitializer: TensorInitializer {
    /// ω as given, or `nil` for the network's.
    let omega: Double?
    let first: Bool

    /// The ω the bounds divide by: given, the network's sine's, or 30.
    static func resolvedOmega(_ omega: Double?, _ context: InitializationContext) -> Double {
        if let omega { return omega }
        if let activation = context.activation, activation.spec.family == .sine, let w = activation.spec["omega"] { return w }
        return 30
    }

    func distribution(for layout: WeightLayout, first: Bool, omega: Double) -> Distribution {
        let fanIn = Double(layout.fanIn)
        let bound = first ? 1 / fanIn : (6 / fanIn).squareRoot() / omega
        return .uniform(low: Float(-bound), high: Float(bound))
    }

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try Tensor.random(layout.shape, distribution(for: layout, first: first, omega: Self.resolvedOmega(omega, context)), key: key)
    }

    func bias(count: Int, for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor? {
        try TorchDefaultInitializer().bias(count: count, for: layout, key: key, context: context)
    }
}

/// SIREN over a model: the first-layer rule for layers with role `.input`, the hidden rule elsewhere.
func sirenRecipe(omega: Double?) -> LayerwiseInitializer {
    LayerwiseInitializer { context in
        let omega = SirenInitializer.resolvedOmega(omega, context)
        return { site in
            let first = site.roles.contains(.input)
            return (SirenInitializer(omega: omega, first: first), first ? "siren first layer" : "siren hidden", first ? [:] : ["omega": omega])
        }
    }
}

extension SchemeCatalog {
    static let sirenEntry = Entry(
        name: "siren",
        parameters: [ParameterInfo(name: "omega", defaultValue: "the network's", summary: "ω₀ of the sin(ω₀x) activation (default: the network's sine's ω, else 30)"),
                     ParameterInfo(name: "layer", defaultValue: "hidden", summary: "for a single tensor: hidden or first")],
        summary: "hidden U(±√(6/fan_in)/ω), first layer U(±1/fan_in), default biases",
        reference: "Sitzmann et al., NeurIPS 2020", level: .tensorAndModel
    ) { spec in
        let omega = spec.value("omega") != nil ? try positive(spec, "omega", default: 30) : nil
        let layer = spec.value("layer") ?? "hidden"
        guard layer == "hidden" || layer == "first" else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "layer must be hidden or first")
        }
        return .both(SirenInitializer(omega: omega, first: layer == "first"), sirenRecipe(omega: omega))
    }
}
