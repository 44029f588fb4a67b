import InitiumCore
import InitiumNN

/// The fisher proxy: the diagonal Fisher information of a per-channel gate on every layer output.
///
/// Theis et al., "Faster gaze prediction with dense networks and Fisher pruning", 2018, and
/// Turner et al., "BlockSwap", ICLR 2020; zero-cost-nas `foresight/pruners/measures/fisher.py`.
/// For every Linear/Conv layer with output a (before the activation) and g = ∂L/∂a for the mean
/// cross-entropy L of the batch, channel k scores
///
///     F_k = ½ · meanₙ (Σ_spatial a_{nk} g_{nk})²,
///
/// and the proxy is Σ over layers and channels. The gradient with respect to each layer output
/// comes from ``ForwardContext/interceptor``: the output a is replaced by a + z with z a zero
/// parameter, so ∂L/∂z = ∂L/∂a (the reference hooks an identity op after each layer instead).
enum FisherProxy {
    /// Σ over layers and channels of F_k on one batch.
    static func score(_ model: any Module, inputs: Tensor, labels: [Int32], mode: ForwardContext.Mode) throws -> Double {
        var gates: [(output: Tensor, probe: Parameter)] = []
        let context = ForwardContext(mode: mode, recordsGradients: true)
        context.interceptor = { module, output in
            guard module is any WeightedLayer else { return output }
            let probe = Parameter(Tensor.zeros(output.shape))
            gates.append((output.detached(), probe))
            return try output + probe.tracked
        }
        model.zeroGradients()
        defer { model.zeroGradients() }
        let loss = try model.forward(inputs, context: context).softmaxCrossEntropy(labels: labels)
        guard loss.scalar.isFinite else { throw InitiumError.nonFiniteLoss(step: 0, value: loss.scalar) }
        try loss.backward()
        return gates.reduce(0.0) { total, gate in
            total + channelFisher(output: gate.output, gradient: gate.probe.gradient ?? Tensor.zeros(gate.output.shape))
        }
    }

    /// Σ_k ½ meanₙ (Σ_spatial a g)² for an output and its gradient `[n, channels, …]`.
    static func channelFisher(output a: Tensor, gradient g: Tensor) -> Double {
        guard a.rank >= 2, a.shape[0] > 0 else { return 0 }
        let (n, channels) = (a.shape[0], a.shape[1])
        let spatial = a.count / max(n * channels, 1)
        return a.withUnsafeBufferPointer { ap in
            g.withUnsafeBufferPointer { gp in
                var total = 0.0
                for k in 0..<channels {
                    var squares = 0.0
                    for i in 0..<n {
                        var gate = 0.0
                        let base = (i * channels + k) * spatial
                        for s in 0..<spatial { gate += Double(ap[base + s]) * Double(gp[base + s]) }
                        squares += gate * gate
                    }
                    total += 0.5 * squares / Double(n)
                }
                return total
            }
        }
    }
}
