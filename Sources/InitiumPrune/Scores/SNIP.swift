import InitiumCore
import InitiumNN

/// SNIP connection sensitivity: s = |∂L/∂m| at m = 1, which is |θ ⊙ ∇θL| for w = θ ⊙ m.
///
/// Lee, Ajanthan & Torr, "SNIP: Single-shot Network Pruning based on Connection Sensitivity",
/// ICLR 2019. As in Synaptic-Flow (`Pruners/pruners.py: SNIP`) the gradient is that of the mean
/// cross-entropy over the scoring batch, and the model is in eval mode unless `mode` says
/// otherwise (zero-cost-nas computes its `snip` proxy in training mode). Synaptic-Flow divides
/// the scores by their sum, which changes no ranking and is left out.
public struct SNIPScore: SaliencyScore {
    /// Inference (eval) or training mode for the forward pass.
    public var mode: ForwardContext.Mode

    /// A SNIP score.
    public init(mode: ForwardContext.Mode = .inference) { self.mode = mode }

    public var name: String { "snip" }
    public var needsData: Bool { true }

    public func scores(model: any Module, weights: [PrunableWeight], data: ScoringData) throws -> [Tensor] {
        let (x, y) = try data.labelledBatch(for: name)
        let gradients = try Gradients.ofLoss(model: model, parameters: weights.map(\.parameter), inputs: x, labels: y, mode: mode, graph: data.graph)
        return Self.scores(parameters: weights.map(\.parameter), gradients: gradients)
    }

    /// |θ ⊙ g| for loss gradients `gradients` already computed for `parameters`.
    static func scores(parameters: [Parameter], gradients: [Tensor]) -> [Tensor] {
        zip(parameters, gradients).map { p, g in p.value.zipped(with: g) { Swift.abs($0 * $1) } }
    }
}
