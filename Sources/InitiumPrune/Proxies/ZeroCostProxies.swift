import InitiumCore
import InitiumInit
import InitiumNN

/// Zero-cost proxies: scores of an untrained network meant to rank architectures by their
/// accuracy after training.
///
/// Abdelfattah, Mehrotra, Dudziak & Lane, "Zero-Cost Proxies for Lightweight NAS", ICLR 2021
/// (SamsungLabs/zero-cost-nas), plus GradSign (Zhang & Jia, ICLR 2022). Every per-weight score is
/// summed over the weights of all Linear/Conv layers, the classifier included
/// (`foresight/pruners/predictive.py: sum_arr`); the pruning scores of this module are reused:
///
/// - `synflow`: Σ |θ ⊙ ∂R/∂θ| (``SynFlowScore``, data-free);
/// - `snip`: Σ |θ ⊙ ∇L| (``SNIPScore``);
/// - `grasp`: −Σ θ ⊙ Hg with T = 1 (``GraSPScore``);
/// - `fisher`: ``FisherProxy``;
/// - `grad_norm`: Σ_layers ‖∂L/∂W‖₂;
/// - `jacob_cov`: ``JacobianCovariance``;
/// - `gradsign_sum`, `gradsign_mean`: ``GradSign``.
///
/// Data-driven proxies use one batch (zero-cost-nas: 64 random training examples) with the model
/// in training mode; synflow uses eval mode.
public struct ProxyScores: Sendable, Codable, Equatable {
    /// Σ |θ ⊙ ∂R/∂θ|.
    public var synflow: Double
    /// Σ |θ ⊙ ∇L|.
    public var snip: Double
    /// −Σ θ ⊙ Hg.
    public var grasp: Double
    /// Σ ½ meanₙ(Σ a·g)² per channel.
    public var fisher: Double
    /// Σ ‖∂L/∂W‖.
    public var gradNorm: Double
    /// −Σ log(λ + k) + 1/(λ + k).
    public var jacobCov: Double
    /// Σₖ |Σᵢ sign gᵢₖ|.
    public var gradsignSum: Double
    /// GradSign's sum over the number of weights.
    public var gradsignMean: Double

    enum CodingKeys: String, CodingKey {
        case synflow, snip, grasp, fisher, gradNorm = "grad_norm", jacobCov = "jacob_cov"
        case gradsignSum = "gradsign_sum", gradsignMean = "gradsign_mean"
    }

    /// The proxies of a freshly initialized network: θ₀ from `recipe` with `RandomKey(seed:)` (the
    /// weights `initium train --seed` starts from) and `batchSize` training examples drawn with
    /// `RandomKey(seed:).fold("proxies")`.
    public static func measure(
        recipe: ModelRecipe, train: Dataset, batchSize: Int, seed: UInt64, progress: ((Int, Int) -> Void)? = nil
    ) throws -> ProxyScores {
        guard batchSize >= 2 else { throw InitiumError.invalidArgument("`batchSize` must be at least 2 for the proxies, got \(batchSize)") }
        let key = RandomKey(seed: seed)
        let model = try recipe.make(key: key, for: train, batchSize: batchSize)
        let batch = try ScoringData.sample(batchSize, from: train, key: key.fold("proxies"))
        return try measure(model, inputs: batch.inputs!, labels: batch.labels!, progress: progress)
    }

    /// The proxies of `model` at its current weights on one labelled batch. `progress` counts the
    /// per-example passes of GradSign, the slow part.
    public static func measure(
        _ model: any Module, inputs: Tensor, labels: [Int32], progress: ((Int, Int) -> Void)? = nil
    ) throws -> ProxyScores {
        let weights = try PrunableSelection.allWeights.weights(of: model)
        let data = ScoringData(inputs: inputs, labels: labels, exampleShape: Array(inputs.shape.dropFirst()), key: RandomKey(seed: 0))
        func total(_ tensors: [Tensor]) -> Double {
            tensors.reduce(0.0) { sum, t in sum + t.withUnsafeBufferPointer { $0.reduce(0.0) { $0 + Double($1) } } }
        }
        let synflow = total(try SynFlowScore().scores(model: model, weights: weights, data: data))
        // SNIP, GraSP at temperature 1 and grad_norm share one loss gradient.
        let parameters = weights.map(\.parameter)
        let gradients = try Gradients.ofLoss(model: model, parameters: parameters, inputs: inputs, labels: labels, mode: .training)
        let snip = total(SNIPScore.scores(parameters: parameters, gradients: gradients))
        let grasp = -total(try GraSPScore(temperature: 1, mode: .training).scores(
            model: model, parameters: parameters, inputs: inputs, labels: labels, gradients: gradients))
        let gradNorm = gradients.reduce(0.0) { $0 + Gradients.norm([$1]) }
        let jacobCov = try JacobianCovariance.score(model, inputs: inputs, mode: .training)

        let fisher = try FisherProxy.score(model, inputs: inputs, labels: labels, mode: .training)
        let perExample = try Gradients.perExample(
            model: model, parameters: weights.map(\.parameter), inputs: inputs, labels: labels, mode: .training, progress: progress)
        let sign = GradSign.score(perExample: perExample)
        return ProxyScores(
            synflow: synflow, snip: snip, grasp: grasp, fisher: fisher, gradNorm: gradNorm,
            jacobCov: jacobCov, gradsignSum: sign.sum, gradsignMean: sign.mean)
    }
}
