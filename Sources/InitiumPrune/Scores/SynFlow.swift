import InitiumCore
import InitiumNN

/// SynFlow, iterative synaptic flow: s = |θ ⊙ ∂R/∂θ| with R = 𝟙ᵀ f_{|θ|}(𝟙), the sum of the
/// outputs of the network with every parameter replaced by its absolute value, on one all-ones
/// input. Data-free and label-free.
///
/// Tanaka, Kunin, Yamins & Ganguli, "Pruning neural networks without any data by iteratively
/// conserving synaptic flow", NeurIPS 2020. Follows Synaptic-Flow (`Pruners/pruners.py: SynFlow`):
/// all parameters (biases and normalization included) are linearized to |θ| and restored after,
/// the input is 1 of shape `[1, …]`, and the model runs in eval mode, so batch normalization
/// applies its running statistics (mean 0, variance 1 at initialization: an affine map with |γ|,
/// |β|, as zero-cost-nas's `bn=False` copy). The paper's conservation law holds: in a bias-free
/// ReLU network the scores of every layer sum to R, and rescaling a layer by c and the next by
/// 1/c leaves every score unchanged. Iterating 100 rounds with an exponential schedule
/// (``PruningPlan``) is what avoids layer collapse.
public struct SynFlowScore: SaliencyScore {
    /// A SynFlow score.
    public init() {}

    public var name: String { "synflow" }
    public var needsData: Bool { false }

    public func scores(model: any Module, weights: [PrunableWeight], data: ScoringData) throws -> [Tensor] {
        let parameters = model.parameters
        let saved = parameters.map(\.value)
        defer { for (p, v) in zip(parameters, saved) { p.value = v } }
        for p in parameters { p.value = p.value.mapped(Swift.abs) }
        let weightParameters = weights.map(\.parameter)
        return try Gradients.withTrainable(weightParameters) {
            model.zeroGradients()
            defer { model.zeroGradients() }
            let ones = Tensor.ones([1] + data.exampleShape)
            let context = ForwardContext(mode: .inference, recordsGradients: true)
            context.graph = try data.graphTask.map(GraphBatch.isolatedNode(task:))
            let output = try model.forward(ones, context: context)
            let r = try output.sum()
            guard r.scalar.isFinite else {
                throw InitiumError.invalidArgument(
                    "SynFlow's R = Σ f_|θ|(1) is \(r.scalar) in float32; the network is too deep or its weights too large for this score")
            }
            try r.backward()
            return weightParameters.map { p in
                let g = p.gradient ?? Tensor.zeros(p.shape)
                return p.value.zipped(with: g) { Swift.abs($0 * $1) }
            }
        }
    }
}
