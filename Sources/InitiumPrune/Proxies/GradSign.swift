import InitiumCore

/// GradSign: how consistently the examples' gradients agree in sign, weight by weight.
///
/// Zhang & Jia, "GradSign: Model Performance Inference with Theoretical Insights", ICLR 2022
/// (cmu-catalyst/GradSign). With gᵢ = ∇θ ℓ(f(xᵢ), yᵢ) the per-example gradient (batch size 1)
/// over the weights of every Linear/Conv layer, θ ∈ ℝᴾ:
///
///     sum form  τ = Σₖ |Σᵢ sign(gᵢₖ)|      (`zero-cost-nas-code/.../grad_conflict.py`, `np.nansum`)
///     mean form τ/P                       (`naswot-code/gradsign.py`, `np.nanmean`)
///
/// The two rank networks of different sizes differently, so both are reported.
enum GradSign {
    /// (sum, mean) from per-example weight gradients `[example][weight]`.
    static func score(perExample gradients: [[Tensor]]) -> (sum: Double, mean: Double) {
        guard let first = gradients.first else { return (0, 0) }
        var total = 0.0
        var count = 0
        for w in first.indices {
            let size = first[w].count
            var votes = [Int](repeating: 0, count: size)
            for example in gradients {
                example[w].withUnsafeBufferPointer { g in
                    for k in 0..<size { votes[k] += g[k] > 0 ? 1 : (g[k] < 0 ? -1 : 0) }
                }
            }
            total += votes.reduce(0.0) { $0 + Double(abs($1)) }
            count += size
        }
        return (total, count == 0 ? 0 : total / Double(count))
    }
}
