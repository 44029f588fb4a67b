import InitiumCore
import InitiumNN

/// GraSP, gradient signal preservation: s = θ ⊙ Hg, with g = ∇θL and H the Hessian of L, both on
/// logits divided by a temperature T. Pruning keeps the largest s, which removes the weights whose
/// removal reduces the gradient norm least — the paper's "remove the largest −θ ⊙ Hg".
///
/// Wang, Zhang & Grosse, "Picking Winning Tickets Before Training by Preserving Gradient Flow",
/// ICLR 2020. Follows Synaptic-Flow (`Pruners/pruners.py: GraSP`): T = 200, g from a first pass
/// without graph, Hg from differentiating z = ⟨stop_grad(g), ∇θL⟩, scores θ ⊙ Hg divided by
/// |Σ s| + 10⁻¹⁰ (a positive constant: dropped here, it changes no ranking). H and g are taken
/// over the prunable weights only. The engine has no double backward, so Hg is the central
/// difference of gradients of ``Gradients/hessianVectorProduct(model:parameters:inputs:labels:vector:temperature:mode:)``.
/// zero-cost-nas's `grasp` proxy is −Σ θ ⊙ Hg with T = 1.
public struct GraSPScore: SaliencyScore {
    /// The temperature T dividing the logits.
    public var temperature: Float
    /// Inference (eval) or training mode for the forward passes.
    public var mode: ForwardContext.Mode

    /// A GraSP score (Synaptic-Flow's T = 200, eval mode).
    public init(temperature: Float = 200, mode: ForwardContext.Mode = .inference) {
        self.temperature = temperature
        self.mode = mode
    }

    /// Whether Hg is exact for `model` (up to O(ε²) and rounding): true when the kinks of its
    /// piecewise-linear activations and max-pooling can be frozen, false for models whose blocks
    /// apply activations the engine cannot intercept (residual blocks). There the central
    /// difference crosses kinks and Hg carries errors of the order of Hg itself.
    public static func hasExactHessianProduct(for model: any Module) -> Bool {
        FrozenKinks.canReachKinks(of: model)
    }

    public var name: String { "grasp" }
    public var needsData: Bool { true }

    public func scores(model: any Module, weights: [PrunableWeight], data: ScoringData) throws -> [Tensor] {
        let (x, y) = try data.labelledBatch(for: name)
        let parameters = weights.map(\.parameter)
        let g = try Gradients.ofLoss(
            model: model, parameters: parameters, inputs: x, labels: y, temperature: temperature, mode: mode, graph: data.graph)
        return try scores(model: model, parameters: parameters, inputs: x, labels: y, gradients: g, graph: data.graph)
    }

    /// θ ⊙ Hg given g, the gradient of the loss at this temperature, already computed.
    func scores(
        model: any Module, parameters: [Parameter], inputs: Tensor, labels: [Int32], gradients g: [Tensor], graph: GraphBatch? = nil
    ) throws -> [Tensor] {
        let hg = try Gradients.hessianVectorProduct(
            model: model, parameters: parameters, inputs: inputs, labels: labels, vector: g, temperature: temperature, mode: mode,
            graph: graph)
        return zip(parameters, hg).map { p, hg in p.value.zipped(with: hg, *) }
    }
}
