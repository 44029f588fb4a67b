import InitiumCore
import InitiumNN
import InitiumSpec

/// Which parameters pruning may remove, stated explicitly.
///
/// The default follows open_lth (`models/base.py: prunable_layer_names`), Synaptic-Flow
/// (`masked_parameters`) and ShrinkBench: the `weight` of every ``WeightedLayer`` (Linear, Conv2d,
/// …) is prunable; biases and normalization parameters are not. Whether the classifier (the layer
/// with role ``LayerRole/classifier``) is prunable is a flag, because the anchors disagree per
/// model: open_lth ignores `fc.weight` of LeNet and VGG, ShrinkBench always excludes it,
/// Synaptic-Flow prunes it. An explicit list of parameter paths replaces the rule altogether.
public struct PrunableSelection: Sendable, Equatable, Codable {
    /// Whether the classifier's weight is prunable (ignored when ``paths`` is set).
    public var includesClassifier: Bool
    /// Exactly these parameter paths (`layers.0.weight`, …), in this order, when set.
    public var paths: [String]?

    /// A selection: weights of weighted layers, with or without the classifier, or explicit paths.
    public init(includesClassifier: Bool = false, paths: [String]? = nil) {
        self.includesClassifier = includesClassifier
        self.paths = paths
    }

    /// Weights of all weighted layers except the classifier (open_lth's LeNet/VGG, ShrinkBench).
    public static let excludingClassifier = PrunableSelection(includesClassifier: false)
    /// Weights of all weighted layers, the classifier included (Synaptic-Flow, zero-cost proxies).
    public static let allWeights = PrunableSelection(includesClassifier: true)

    /// The prunable parameters of `model`, in path order. Throws if an explicit path does not name
    /// a parameter, or if nothing is prunable.
    public func weights(of model: any Module) throws -> [PrunableWeight] {
        var layerOf: [ObjectIdentifier: (path: String, roles: Set<LayerRole>)] = [:]
        for (path, module) in model.namedModules {
            for (_, parameter) in module.localParameters {
                layerOf[ObjectIdentifier(parameter)] = (path, module.roles)
            }
        }
        let named = model.namedParameters
        let chosen: [(path: String, parameter: Parameter)]
        if let paths {
            chosen = try paths.map { path in
                guard let match = named.first(where: { $0.path == path }) else {
                    throw InitiumError.invalidArgument(
                        "no parameter '\(path)' to prune; the model has " + named.map(\.path).joined(separator: ", "))
                }
                return match
            }
        } else {
            chosen = model.namedModules.compactMap { path, module in
                guard let layer = module as? any WeightedLayer else { return nil }
                if layer.roles.contains(.classifier) && !includesClassifier { return nil }
                return (path.isEmpty ? "weight" : path + ".weight", layer.weight)
            }
        }
        guard !chosen.isEmpty else {
            throw InitiumError.invalidArgument(
                "the model has no prunable weights" + (includesClassifier ? "" : " besides the classifier; set `includesClassifier`"))
        }
        return chosen.map { path, parameter in
            let layer = layerOf[ObjectIdentifier(parameter)] ?? ("", [])
            return PrunableWeight(path: path, layerPath: layer.path, roles: layer.roles, parameter: parameter)
        }
    }
}

/// One prunable parameter of a model: its path, its layer, and the parameter itself.
public struct PrunableWeight: @unchecked Sendable {
    /// The parameter path, e.g. `layers.0.weight`.
    public let path: String
    /// The path of the module holding it, e.g. `layers.0`.
    public let layerPath: String
    /// The roles of that module.
    public let roles: Set<LayerRole>
    /// The parameter.
    public let parameter: Parameter

    /// The number of entries.
    public var count: Int { parameter.value.count }
    /// Whether this is the classifier's weight.
    public var isClassifier: Bool { roles.contains(.classifier) }
}

extension PrunableSelection {
    /// The density of the prunable weights that gives `model` the compression ratio `ratio`
    /// (all parameters over nonzero parameters, as ShrinkBench reports it):
    ///
    ///     ratio = total / (d · prunable + (total − prunable))  ⇒  d = (total / ratio − (total − prunable)) / prunable
    ///
    /// (ShrinkBench `pruning/utils.py: fraction_to_keep`; Blalock et al., MLSys 2020). Throws when
    /// no d in (0, 1] reaches the ratio, i.e. when the parameters that are not prunable already
    /// cost more than total / ratio.
    public func density(forCompression ratio: Double, of model: any Module) throws -> Double {
        guard ratio.isFinite, ratio >= 1 else {
            throw InitiumError.invalidArgument("a compression ratio must be a finite number ≥ 1, got \(ratio)")
        }
        let total = model.parameters.reduce(0) { $0 + $1.value.count }
        let prunable = try weights(of: model).reduce(0) { $0 + $1.parameter.value.count }
        let fixed = total - prunable
        let density = (Double(total) / ratio - Double(fixed)) / Double(prunable)
        guard density > 0 else {
            let classifier = paths == nil && !includesClassifier ? ", the classifier" : ""
            throw InitiumError.invalidArgument(
                "cannot compress the model's \(total) parameters \(SpecSyntax.format(ratio))× when \(fixed) of them (biases, "
                    + "normalization\(classifier)) are not prunable: reachable ratios are below "
                    + "\(SpecSyntax.format((Double(total) / Double(max(fixed, 1)) * 100).rounded(.down) / 100))×")
        }
        return Swift.min(density, 1)
    }
}
