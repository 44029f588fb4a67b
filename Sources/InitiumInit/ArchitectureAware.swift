import InitiumCore
import InitiumNN

/// Architecture-aware initialization for DAG-shaped networks (Chen, Wu, Wang & Hanin,
/// "Principled Architecture-aware Scaling of Hyperparameters", ICLR 2024; official
/// `models/utils.py::critic_init_`): He normal divided by the in-degree d_in of the node that
/// receives the layer's output, W ~ N(0, 2/(fan_in·d_in)), so the summed inputs of a node with
/// d_in incoming edges keep the variance of a single He layer.
///
/// Over a model, d_in comes from roles: a residual branch's last layer and a shortcut projection
/// end at the merge node, whose in-degree is 2 (branch + skip); every other layer ends at a node
/// with in-degree 1. On a single tensor, `in-degree` gives it. Deviations from the official code,
/// documented: we normalise by fan_in as the paper writes (the code's `_init` uses fan_out, equal
/// for its square hidden layers) and use the same rule for the readout (the code's readout
/// squares the std, `std_power=2`, which we read as an artefact).
struct ArchitectureAwareInitializer: TensorInitializer {
    let inDegree: Int

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try VarianceScaling(scale: 2 / Double(inDegree), mode: .fanIn, family: .normal).sample(layout, key: key)
    }
}

/// The architecture-aware rule over a model: in-degree 2 for layers whose output is summed with
/// another path (residual branch outputs and shortcuts), 1 elsewhere.
func architectureAwareRecipe() -> LayerwiseInitializer {
    LayerwiseInitializer { _ in
        { site in
            let degree = site.roles.isDisjoint(with: [.residualBranchOutput, .shortcut]) ? 1 : 2
            return (ArchitectureAwareInitializer(inDegree: degree), "arch-aware(in-degree=\(degree))", ["in_degree": Double(degree)])
        }
    }
}

extension SchemeCatalog {
    static let architectureAwareEntry = Entry(
        name: "arch-aware",
        parameters: [ParameterInfo(name: "in-degree", defaultValue: "1", summary: "in-degree of the receiving node (single tensors; models use roles)")],
        summary: "N(0, 2/(fan_in·d_in)), d_in the DAG in-degree of the receiving node",
        reference: "Chen et al., ICLR 2024", level: .tensorAndModel
    ) { spec in
        .both(ArchitectureAwareInitializer(inDegree: try positiveInteger(spec, "in-degree") ?? 1), architectureAwareRecipe())
    }
}
