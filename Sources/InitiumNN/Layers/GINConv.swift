import InitiumCore

/// Graph isomorphism network layer (Xu, Hu, Leskovec & Jegelka, "How Powerful are Graph Neural
/// Networks?", ICLR 2019), PyTorch Geometric's `GINConv`: xᵢ' = h_Θ((1 + ε)·xᵢ + Σ_{j∈N(i)} xⱼ),
/// with the batch's ``GraphPropagation/sum`` matrix A (no normalization, no self-loops added).
///
/// h_Θ is the MLP `nn`: Linear(in, hidden) → [BatchNorm(hidden)] → φ → Linear(hidden, out)
/// (`nn.0`, `nn.1`, … as in an `nn.Sequential`; the BatchNorm is OGB's and Virgo's choice, on by
/// default in the `gin:` models). ε is the parameter `eps` `[1]`, fixed at its initial value
/// unless `trainEpsilon` (PyG's `train_eps`).
public final class GINConv: MessagePassingLayer {
    /// The MLP h_Θ.
    public let nn: Sequential
    /// ε, `[1]`.
    public let eps: Parameter
    /// `nn`.
    public let children: [(name: String, module: any Module)]
    private let first: Linear
    private let last: Linear

    /// A layer `inFeatures → outFeatures` with an MLP of width `hidden`.
    public init(
        _ inFeatures: Int, _ outFeatures: Int, hidden: Int, activation: Activation, batchNorm: Bool,
        epsilon: Float = 0, trainEpsilon: Bool = false, scope: Scope
    ) throws {
        var list = ChildList(scope)
        var made: (Linear, Linear)?
        nn = try list.addGroup("nn") { scope in
            var layers = ChildList(scope)
            let first = try layers.append { Linear(inFeatures, hidden, scope: $0) }
            if batchNorm { try layers.append { _ in try BatchNorm(hidden) } }
            try layers.append { _ in ActivationLayer(activation) }
            let last = try layers.append { Linear(hidden, outFeatures, scope: $0) }
            made = (first, last)
            return Sequential(layers)
        }
        (first, last) = made!
        children = list.entries
        eps = Parameter(Tensor(shape: [1], repeating: epsilon), isTrainable: trainEpsilon)
    }

    /// Computes more than its MLP (the aggregation): reported after it.
    public var kind: LayerKind { .block }
    public var localParameters: [(name: String, parameter: Parameter)] { [("eps", eps)] }
    public var propagation: GraphPropagation { .sum }
    public var featureTransforms: [Linear] { [first, last] }
    public var inFeatures: Int { first.inFeatures }
    public var outFeatures: Int { last.outFeatures }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let graph = try context.requireGraph(for: "GINConv", input: input, features: inFeatures)
        // a fixed ε is a scalar: (1 + ε)·x without a broadcast product
        let root = eps.isTrainable ? try input + input * context.read(eps) : input * (1 + eps.value.scalars[0])
        let combined = try root + Tensor.sparseProduct(graph.sum, input)
        return try forward(child: nn, combined, context: context)
    }
}
