import InitiumCore

/// Batch normalization over axis 1, PyTorch's `nn.BatchNorm1d` (`[n, c]` or `[n, c, l]`),
/// `BatchNorm2d` (`[n, c, h, w]`) and `BatchNorm3d` in one layer: statistics are taken per channel
/// over every other axis. Ioffe & Szegedy, "Batch Normalization", ICML 2015.
///
/// - Training: y = γ·(x − μ_B)/√(σ²_B + ε) + β with the batch mean and biased variance, and the
///   running statistics move towards the batch's: r ← (1 − momentum)·r + momentum·b, using the
///   unbiased variance m/(m − 1)·σ²_B for the running variance (m values per channel).
/// - Inference: the same map with the running mean and variance.
///
/// Defaults match PyTorch: momentum 0.1, ε = 1e-5, γ = 1, β = 0, running mean 0, running
/// variance 1. γ and β are the parameters `weight` and `bias`; the running statistics are the
/// buffers `running_mean` and `running_var` (see ``BufferedModule``).
public final class BatchNorm: BufferedModule {
    /// γ, `[channels]`, or `nil` without an affine map.
    public let weight: Parameter?
    /// β, `[channels]`, or `nil` without an affine map.
    public let bias: Parameter?
    /// The running mean, `[channels]` (not trainable).
    public let runningMean: Parameter
    /// The running (unbiased) variance, `[channels]` (not trainable).
    public let runningVariance: Parameter
    /// The weight of the newest batch in the running statistics.
    public let momentum: Float
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// Training batches seen (PyTorch's `num_batches_tracked`).
    public private(set) var batchesTracked = 0
    /// What this layer is in its model.
    public var roles: Set<LayerRole> = []

    /// A batch-norm layer for `channels` channels.
    public init(_ channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, affine: Bool = true) throws {
        guard channels > 0, momentum >= 0, momentum <= 1, epsilon >= 0 else {
            throw InitiumError.invalidArgument(
                "BatchNorm(\(channels)): needs channels > 0, momentum in [0, 1] and epsilon ≥ 0")
        }
        weight = affine ? Parameter(Tensor.ones([channels])) : nil
        bias = affine ? Parameter(Tensor.zeros([channels])) : nil
        runningMean = Parameter(Tensor.zeros([channels]), isTrainable: false)
        runningVariance = Parameter(Tensor.ones([channels]), isTrainable: false)
        self.momentum = momentum
        self.epsilon = epsilon
    }

    /// The number of channels.
    public var channels: Int { runningMean.shape[0] }

    /// A normalization.
    public var kind: LayerKind { .normalization }

    public var localParameters: [(name: String, parameter: Parameter)] {
        (weight.map { [("weight", $0)] } ?? []) + (bias.map { [("bias", $0)] } ?? [])
    }

    public var localBuffers: [(name: String, buffer: Parameter)] {
        [("running_mean", runningMean), ("running_var", runningVariance)]
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        guard input.rank >= 2, input.shape[1] == channels else {
            throw InitiumError.invalidShape(
                operation: "batchNorm", shape: input.shape, reason: "expected [batch, \(channels), …] for \(channels) channels")
        }
        let (gamma, beta) = (weight.map(context.read), bias.map(context.read))
        guard context.isTraining else {
            let inverseStd = (runningVariance.value + epsilon).sqrt().mapped { 1 / $0 }
            let scale = try gamma.map { try $0 * inverseStd } ?? inverseStd
            let shift = try (beta ?? Tensor.zeros([channels])) - runningMean.value * scale
            return try Tensor.channelAffine(input, scale: scale, shift: shift)
        }
        let (y, mean, variance) = try Tensor.batchNormalized(input, scale: gamma, shift: beta, epsilon: epsilon)
        let m = Float(input.count / channels)
        updateRunning(runningMean, with: mean, factor: 1)
        updateRunning(runningVariance, with: variance, factor: m / (m - 1))
        batchesTracked += 1
        return y
    }

    private func updateRunning(_ running: Parameter, with batch: Tensor, factor: Float) {
        let (keep, take) = (1 - momentum, momentum * factor)
        running.value.withUnsafeMutableBufferPointer { r in
            batch.withUnsafeBufferPointer { b in
                for c in r.indices { r[c] = keep * r[c] + take * b[c] }
            }
        }
    }
}
