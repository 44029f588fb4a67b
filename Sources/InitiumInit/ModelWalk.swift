import InitiumCore
import InitiumNN

/// One weighted layer of a model as model-level recipes see it: its path, roles and layout.
///
/// Recipes find layers by walking ``Module/namedModules`` and reading ``Module/roles`` (the
/// classifier, a residual branch's last layer, a shortcut …), never by counting positions or
/// casting to concrete layer types; the layout comes from ``WeightedLayer/weightKind``.
struct LayerSite {
    /// The module path (`layers.2`, `stage1.0.conv1`); empty for a model that is itself a layer.
    let path: String
    /// The layer.
    let layer: any WeightedLayer
    /// Its layout.
    let layout: WeightLayout

    /// The layer's roles.
    var roles: Set<LayerRole> { layer.roles }
    /// `<path>.weight`.
    var weightPath: String { path.isEmpty ? "weight" : path + ".weight" }
    /// `<path>.bias`.
    var biasPath: String { path.isEmpty ? "bias" : path + ".bias" }

    /// Replaces the weight, checking the shape.
    func setWeight(_ tensor: Tensor, by scheme: String) throws {
        guard tensor.shape == layer.weight.shape else {
            throw InitiumError.internalFailure("\(scheme) produced \(tensor.shape) for \(weightPath) \(layer.weight.shape)")
        }
        layer.weight.value = tensor
    }

    /// Replaces the bias (if the layer has one), checking the shape.
    func setBias(_ tensor: Tensor, by scheme: String) throws {
        guard let bias = layer.bias else { return }
        guard tensor.shape == bias.shape else {
            throw InitiumError.internalFailure("\(scheme) produced \(tensor.shape) for \(biasPath) \(bias.shape)")
        }
        bias.value = tensor
    }

    /// Fills weight and bias from a tensor rule (bias from the rule or zeros) and logs both.
    func initialize(
        with rule: any TensorInitializer, name: String, context: InitializationContext, log: inout InitializationLog,
        extra: [String: Double] = [:]
    ) throws {
        let w = try rule.weight(for: layout, key: context.key.fold(weightPath), context: context)
        try setWeight(w, by: name)
        var values = ["fan_in": Double(layout.fanIn), "fan_out": Double(layout.fanOut)]
        values.merge(extra) { _, new in new }
        log.entries.append(.init(path: weightPath, action: name, values: values))
        if let bias = layer.bias {
            let b = try rule.bias(count: bias.shape[0], for: layout, key: context.key.fold(biasPath), context: context)
                ?? Tensor.zeros(bias.shape)
            try setBias(b, by: name)
            log.entries.append(.init(path: biasPath, action: b.scalars.allSatisfy { $0 == 0 } ? "zeros" : name))
        }
    }

    /// Sets the weight (and bias, if any) to zero and logs it.
    func zero(reason: String, log: inout InitializationLog) throws {
        try setWeight(Tensor.zeros(layer.weight.shape), by: reason)
        log.entries.append(.init(path: weightPath, action: "zeros (\(reason))"))
        if let bias = layer.bias {
            try setBias(Tensor.zeros(bias.shape), by: reason)
            log.entries.append(.init(path: biasPath, action: "zeros"))
        }
    }
}

/// Walks a model's weighted layers in path order.
enum ModelWalk {
    /// Every ``WeightedLayer`` in `model`, depth first, with its layout.
    static func weightedLayers(of model: any Module) throws -> [LayerSite] {
        try model.namedModules.compactMap { path, module in
            guard let layer = module as? any WeightedLayer else { return nil }
            return LayerSite(path: path, layer: layer, layout: try layer.weightLayout)
        }
    }
}
