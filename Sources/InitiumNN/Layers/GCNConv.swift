import InitiumCore

/// Graph convolution (Kipf & Welling, "Semi-Supervised Classification with Graph Convolutional
/// Networks", ICLR 2017), PyTorch Geometric's `GCNConv`:
/// X' = D̂^{-1/2} Â D̂^{-1/2} X Θᵀ + b, Â = A + I (self-loops added only where missing, existing
/// weights kept, PyG's `add_remaining_self_loops`), d̂ᵢ the weighted degree of Â; the
/// normalized matrix is the batch's ``GraphPropagation/symmetric`` one, computed once per batch.
///
/// Parameters (PyG's names): `lin.weight` `[out, in]` (Θ, applied before propagation, no bias) and
/// `bias` `[out]`. A new layer is initialized like PyG's: Glorot-uniform Θ,
/// U(±√(6/(in + out))) drawn from the scope's key folded with `lin`/`weight`, and a zero bias.
public final class GCNConv: MessagePassingLayer {
    /// Θ, without bias.
    public let lin: Linear
    /// The bias, added after propagation.
    public let bias: Parameter
    /// The one child, `lin`.
    public let children: [(name: String, module: any Module)]

    /// A layer `inFeatures → outFeatures` built in `scope`.
    public init(_ inFeatures: Int, _ outFeatures: Int, scope: Scope) throws {
        var list = ChildList(scope)
        lin = try list.add("lin") { scope in
            let linear = Linear(inFeatures, outFeatures, bias: false, scope: scope)
            if let key = scope.key {
                let bound = (6 / Float(inFeatures + outFeatures)).squareRoot()
                linear.weight.value = try Tensor.uniform([outFeatures, inFeatures], low: -bound, high: bound, key: key.fold("weight"))
            }
            return linear
        }
        children = list.entries
        bias = Parameter(Tensor.zeros([outFeatures]))
    }

    /// Computes more than its child (the propagation): reported after it.
    public var kind: LayerKind { .block }
    public var localParameters: [(name: String, parameter: Parameter)] { [("bias", bias)] }
    public var propagation: GraphPropagation { .symmetric }
    public var featureTransforms: [Linear] { [lin] }
    public var inFeatures: Int { lin.inFeatures }
    public var outFeatures: Int { lin.outFeatures }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let graph = try context.requireGraph(for: "GCNConv", input: input, features: inFeatures)
        let transformed = try forward(child: lin, input, context: context)
        return try Tensor.sparseProduct(graph.symmetric, transformed) + context.read(bias)
    }
}
