import InitiumCore
import InitiumNN

/// Random node initialization (Abboud, Ceylan, Grohe & Lukasiewicz, "The Surprising Power of
/// Graph Neural Networks with Random Node Initialization", IJCAI 2021): switches on random node
/// features in every ``NodeEncoder`` of the model (r = ⌊p·width⌋ columns, N(0, 1) or U(−1, 1),
/// redrawn on every forward pass) and initializes the weights with the `base` scheme. The model
/// needs an encoder (`encoder=true` in a `gcn:`/`sage:`/`gin:` spec).
struct RandomNodeInitialization: ModelInitializer {
    let features: RandomNodeFeatures
    let base: Scheme

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        let encoders = model.namedModules.compactMap { path, module in (module as? NodeEncoder).map { (path, $0) } }
        guard !encoders.isEmpty else {
            throw InitiumError.invalidArgument(
                "rni adds random node features to a graph model's encoder: the model has none (add encoder=true to the gcn/sage/gin spec)")
        }
        var log = try base.apply(to: model, context: context)
        for (path, encoder) in encoders {
            encoder.randomFeatures = features
            log.entries.append(.init(
                path: path, action: "rni: \(features.columns(width: encoder.width)) of \(encoder.width) columns \(features.distribution.rawValue), redrawn every forward pass",
                values: ["fraction": features.fraction, "random_columns": Double(features.columns(width: encoder.width))]))
        }
        return log
    }
}

extension SchemeCatalog {
    static let rniEntry = Entry(
        name: "rni",
        parameters: [ParameterInfo(name: "fraction", defaultValue: "1", summary: "p: r = ⌊p·width⌋ of the encoder's columns are random"),
                     ParameterInfo(name: "dist", defaultValue: "normal", summary: "normal (N(0,1)) or uniform (U(−1,1))"),
                     ParameterInfo(name: "base", defaultValue: "glorot-uniform", summary: "the scheme for the weights")],
        summary: "graph networks: random node features in the encoder (r = ⌊p·width⌋ columns, redrawn every forward pass), weights by base",
        reference: "Abboud, Ceylan, Grohe & Lukasiewicz, IJCAI 2021", level: .model
    ) { spec in
        let fraction = try spec.number("fraction", default: 1, kind: kind)
        guard fraction >= 0, fraction <= 1 else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "'fraction' must be in [0, 1], got \(fraction)")
        }
        let text = spec.value("dist") ?? "normal"
        guard let distribution = RandomNodeFeatures.Distribution(rawValue: text) else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "dist must be normal or uniform, got '\(text)'")
        }
        let base = try Scheme(spec.value("base") ?? "glorot-uniform")
        guard base.spec.name != "rni" else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "'base' cannot be rni itself")
        }
        return .model(RandomNodeInitialization(features: try RandomNodeFeatures(fraction: fraction, distribution: distribution), base: base))
    }
}
