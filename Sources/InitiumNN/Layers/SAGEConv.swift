import InitiumCore

/// GraphSAGE with mean aggregation (Hamilton, Ying & Leskovec, "Inductive Representation Learning
/// on Large Graphs", NeurIPS 2017), PyTorch Geometric's `SAGEConv(aggr='mean')`:
/// xᵢ' = W_l · mean_{j∈N(i)} xⱼ + b + W_r xᵢ, with the batch's ``GraphPropagation/mean`` matrix
/// D⁻¹A (no self-loops added; an empty neighbourhood contributes 0).
///
/// Parameters (PyG's names): `lin_l.weight`, `lin_l.bias` (the aggregated neighbours) and
/// `lin_r.weight` (the root, no bias). PyG initializes both with `Linear`'s default, PyTorch's
/// U(±1/√fan_in), which ``Linear`` draws.
public final class SAGEConv: MessagePassingLayer {
    /// W_l and the bias, applied to the neighbours' mean.
    public let lin_l: Linear
    /// W_r, applied to the node itself.
    public let lin_r: Linear
    /// `lin_l`, `lin_r`.
    public let children: [(name: String, module: any Module)]

    /// A layer `inFeatures → outFeatures` built in `scope`.
    public init(_ inFeatures: Int, _ outFeatures: Int, scope: Scope) throws {
        var list = ChildList(scope)
        lin_l = try list.add("lin_l") { Linear(inFeatures, outFeatures, bias: true, scope: $0) }
        lin_r = try list.add("lin_r") { Linear(inFeatures, outFeatures, bias: false, scope: $0) }
        children = list.entries
    }

    /// Computes more than its children (aggregation and sum): reported after them.
    public var kind: LayerKind { .block }
    public var propagation: GraphPropagation { .mean }
    public var featureTransforms: [Linear] { [lin_l, lin_r] }
    public var inFeatures: Int { lin_l.inFeatures }
    public var outFeatures: Int { lin_l.outFeatures }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let graph = try context.requireGraph(for: "SAGEConv", input: input, features: inFeatures)
        let aggregated = try Tensor.sparseProduct(graph.mean, input)
        return try forward(child: lin_l, aggregated, context: context) + forward(child: lin_r, input, context: context)
    }
}
