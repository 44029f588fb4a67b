import Foundation
import InitiumCore
import InitiumNN

/// Fixup (Zhang, Dauphin & Ma, "Fixup Initialization: Residual Learning Without
/// Normalization", ICLR 2019; official `cifar/models/fixup_resnet_cifar.py`):
/// 1. the classifier and the last layer of every residual branch are 0 (weights and biases);
/// 2. the other layers inside residual branches are He-normal with fan-out (as the official code,
///    N(0, 2/(c_out·k·k))) scaled by L^(−1/(2m−2)), L the number of residual branches and m the
///    number of weighted layers per branch (m = 2 for basic blocks: L^(−1/2));
/// 3. every other layer (stem, shortcut projections) is He-normal fan-out, unscaled;
/// 4. Fixup's scalar parameters, when the model has them (one-element parameters of modules
///    that are not weighted layers): biases (names containing `bias`: `bias1a`, …,
///    `classifier_input_bias`) start at 0 and multipliers (names containing `scale`) at 1.
///
/// Branches are found by roles: each layer with role `.residualBranchOutput` ends one branch; the
/// branch's layers are the weighted layers with role `.residualBranch` under the same parent
/// module path. On a single tensor, `fixup(branches=L,m=…)` draws a branch-interior weight.
struct FixupInitializer: TensorInitializer {
    let branches: Int
    let layersPerBranch: Int

    static func scale(branches: Int, layersPerBranch m: Int) -> Double {
        guard m >= 2 else { return 1 }
        return pow(Double(branches), -1 / Double(2 * m - 2))
    }

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        let s = Self.scale(branches: branches, layersPerBranch: layersPerBranch)
        return try VarianceScaling(scale: 2 * s * s, mode: .fanOut, family: .normal).sample(layout, key: key)
    }
}

/// Fixup over a residual model.
struct FixupRecipe: ModelInitializer {
    let branchesOverride: Int?
    let layersOverride: Int?

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        let sites = try ModelWalk.weightedLayers(of: model)
        let outputs = sites.filter { $0.roles.contains(.residualBranchOutput) }
        guard !outputs.isEmpty else {
            throw InitiumError.invalidArgument(
                "fixup is for residual networks: no layer has the role residualBranchOutput (use it with resnet models, e.g. resnet20-nonorm)")
        }
        func parent(_ path: String) -> String {
            guard let dot = path.lastIndex(of: ".") else { return "" }
            return String(path[..<dot])
        }
        let branchParents = Set(outputs.map { parent($0.path) })
        var layersPerBranch: [String: Int] = [:]
        for site in sites where site.roles.contains(.residualBranch) || site.roles.contains(.residualBranchOutput) {
            layersPerBranch[parent(site.path), default: 0] += 1
        }
        let branches = branchesOverride ?? outputs.count
        var log = InitializationLog()
        let heFanOut = try VarianceScaling(scale: 2, mode: .fanOut, family: .normal)
        for site in sites {
            if site.roles.contains(.residualBranchOutput) || site.roles.contains(.classifier) {
                try site.zero(reason: site.roles.contains(.classifier) ? "fixup: classifier" : "fixup: branch output", log: &log)
            } else if site.roles.contains(.residualBranch), branchParents.contains(parent(site.path)) {
                let m = layersOverride ?? layersPerBranch[parent(site.path)] ?? 2
                let s = FixupInitializer.scale(branches: branches, layersPerBranch: m)
                try site.initialize(with: FixupInitializer(branches: branches, layersPerBranch: m),
                                    name: "fixup: he-normal(mode=fan-out)·L^(-1/(2m-2))", context: context, log: &log,
                                    extra: ["L": Double(branches), "m": Double(m), "scale": s])
            } else {
                try site.initialize(with: heFanOut, name: "fixup: he-normal(mode=fan-out)", context: context, log: &log)
            }
        }
        for (path, module) in model.namedModules where !(module is any WeightedLayer) {
            for (name, parameter) in module.localParameters where parameter.value.count == 1 {
                let fullPath = path.isEmpty ? name : path + "." + name
                if name.contains("scale") {
                    parameter.value = Tensor(shape: parameter.shape, repeating: 1)
                    log.entries.append(.init(path: fullPath, action: "fixup: multiplier 1"))
                } else if name.contains("bias") {
                    parameter.value = Tensor.zeros(parameter.shape)
                    log.entries.append(.init(path: fullPath, action: "fixup: scalar bias 0"))
                }
            }
        }
        return log
    }
}

extension SchemeCatalog {
    static let fixupEntry = Entry(
        name: "fixup",
        parameters: [ParameterInfo(name: "branches", defaultValue: "model", summary: "L, residual branches (default: counted from roles)"),
                     ParameterInfo(name: "m", defaultValue: "model", summary: "weighted layers per branch (default: counted)")],
        summary: "zero branch outputs and classifier; He fan-out·L^(−1/(2m−2)) inside branches; scalar biases 0, multipliers 1",
        reference: "Zhang, Dauphin & Ma, ICLR 2019", level: .tensorAndModel
    ) { spec in
        let branches = try positiveInteger(spec, "branches")
        let m = try positiveInteger(spec, "m")
        return .both(FixupInitializer(branches: branches ?? 1, layersPerBranch: m ?? 2), FixupRecipe(branchesOverride: branches, layersOverride: m))
    }
}
