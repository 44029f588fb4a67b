import Foundation

/// Layer and group normalization: both normalize contiguous rows of the input with the row's own
/// mean and biased variance, then apply an affine map, so they share one fused kernel.
///
/// - Layer normalization (Ba, Kiros & Hinton, "Layer Normalization", 2016): a row is the last
///   axes of the input, and γ, β have the shape of those axes.
/// - Group normalization (Wu & He, "Group Normalization", ECCV 2018): a row is one example's
///   group of c/groups channels with all their spatial positions, and γ, β are per channel.
extension Tensor {
    /// Layer normalization over the last `normalizedShape.count` axes, PyTorch's `LayerNorm`:
    /// y = γ ⊙ (x − μ)/√(σ² + ε) + β with μ, σ² (biased) over those axes.
    ///
    /// - Parameters:
    ///   - scale, shift: γ and β with shape `normalizedShape`, or `nil` for 1 and 0.
    /// - Pullback: with x̂ the normalized row and ĝ = g ⊙ γ, ∂x = (ĝ − mean(ĝ) − x̂·mean(ĝ ⊙ x̂))/√(σ² + ε),
    ///   ∂γ = Σ_rows g ⊙ x̂, ∂β = Σ_rows g.
    public func layerNormalized(_ normalizedShape: [Int], scale: Tensor?, shift: Tensor?, epsilon: Float) throws -> Tensor {
        guard !normalizedShape.isEmpty, rank >= normalizedShape.count, Array(shape.suffix(normalizedShape.count)) == normalizedShape else {
            throw InitiumError.invalidShape(
                operation: "layerNorm", shape: shape, reason: "the last axes must be the normalized shape \(normalizedShape)")
        }
        for parameter in [scale, shift] {
            if let parameter, parameter.shape != normalizedShape {
                throw InitiumError.shapeMismatch(operation: "layerNorm parameters", lhs: normalizedShape, rhs: parameter.shape)
            }
        }
        let length = Shape.count(of: normalizedShape)
        let rows = RowNormalization(rows: length == 0 ? 0 : count / length, segments: length, segmentLength: 1, parameterPeriod: 1)
        return try rows.apply(self, scale: scale, shift: shift, epsilon: epsilon, operation: "layerNorm")
    }

    /// Group normalization, PyTorch's `GroupNorm`: for input `[n, c, …]`, each example's channels
    /// are split into `groups` groups of c/groups, normalized with the group's mean and biased
    /// variance, then y = γ[c]·x̂ + β[c].
    public func groupNormalized(groups: Int, scale: Tensor?, shift: Tensor?, epsilon: Float) throws -> Tensor {
        guard rank >= 2, groups >= 1, shape[1] % groups == 0 else {
            throw InitiumError.invalidShape(
                operation: "groupNorm", shape: shape, reason: "expected [batch, channels, …] with channels divisible by \(groups) groups")
        }
        for parameter in [scale, shift] {
            if let parameter, parameter.shape != [shape[1]] {
                throw InitiumError.shapeMismatch(operation: "groupNorm parameters", lhs: [shape[1]], rhs: parameter.shape)
            }
        }
        let spatial = Shape.count(of: Array(shape.dropFirst(2)))
        let rows = RowNormalization(
            rows: shape[0] * groups, segments: shape[1] / groups, segmentLength: spatial, parameterPeriod: groups)
        return try rows.apply(self, scale: scale, shift: shift, epsilon: epsilon, operation: "groupNorm")
    }
}

/// Rows of `segments · segmentLength` contiguous values, each normalized on its own; the affine
/// parameter of segment `s` in row `r` is `(r mod parameterPeriod)·segments + s`.
/// Layer norm: segments = normalized size, segmentLength 1, period 1. Group norm: segments =
/// channels per group, segmentLength = spatial size, period = groups.
struct RowNormalization: Sendable {
    let rows, segments, segmentLength, parameterPeriod: Int

    var rowLength: Int { segments * segmentLength }

    func apply(_ input: Tensor, scale: Tensor?, shift: Tensor?, epsilon: Float, operation: String) throws -> Tensor {
        guard rowLength > 0 else {
            throw InitiumError.invalidShape(operation: operation, shape: input.shape, reason: "nothing to normalize over")
        }
        let out = Tensor(uninitializedShape: input.shape)
        var mean = [Float](repeating: 0, count: rows), invStd = [Float](repeating: 0, count: rows)
        let (x, gamma) = (input.detached(), scale?.detached())
        mean.withUnsafeMutableBufferPointer { mu in
            invStd.withUnsafeMutableBufferPointer { inv in
                forward(
                    x.storage.base, scale: gamma?.storage.base, shift: shift?.storage.base, epsilon: epsilon,
                    into: out.storage.base, mean: mu.baseAddress!, invStd: inv.baseAddress!)
            }
        }
        let (savedMean, savedInvStd) = (mean, invStd)
        var inputs = [input]
        if let scale { inputs.append(scale) }
        if let shift { inputs.append(shift) }
        let parameterShape = scale?.shape ?? shift?.shape ?? []
        return out.recording(inputs: inputs) { g in
            var gx = Tensor(uninitializedShape: x.shape)
            savedMean.withUnsafeBufferPointer { mu in
                savedInvStd.withUnsafeBufferPointer { inv in
                    inputBackward(
                        g.storage.base, input: x.storage.base, scale: gamma?.storage.base,
                        mean: mu.baseAddress!, invStd: inv.baseAddress!, into: gx.storage.base)
                }
            }
            gx.node = nil
            guard scale != nil || shift != nil else { return [gx] }
            var gScale = Tensor(uninitializedShape: parameterShape), gShift = Tensor(uninitializedShape: parameterShape)
            savedMean.withUnsafeBufferPointer { mu in
                savedInvStd.withUnsafeBufferPointer { inv in
                    parameterBackward(
                        g.storage.base, input: x.storage.base, mean: mu.baseAddress!, invStd: inv.baseAddress!,
                        scaleGradient: gScale.storage.base, shiftGradient: gShift.storage.base)
                }
            }
            gScale.node = nil
            gShift.node = nil
            return [gx] + (scale == nil ? [] : [gScale]) + (shift == nil ? [] : [gShift])
        }
    }

    private func forEachRow(_ body: (Int) -> Void) {
        Parallel.forEachChunk(count: rows, minimumPerThread: max(1, (1 << 15) / rowLength)) { range in
            for r in range { body(r) }
        }
    }

    private func forward(
        _ x: UnsafePointer<Float>, scale: UnsafePointer<Float>?, shift: UnsafePointer<Float>?, epsilon: Float,
        into y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, invStd: UnsafeMutablePointer<Float>
    ) {
        let n = rowLength
        forEachRow { r in
            let src = x + r * n, dst = y + r * n
            let (total, squares) = VectorLoops.shiftedMoments(src, n, shift: src[0])
            let shiftedMean = total / Float(n)
            let mu = src[0] + shiftedMean
            let inv = 1 / (max(0, squares / Float(n) - shiftedMean * shiftedMean) + epsilon).squareRoot()
            let base = (r % parameterPeriod) * segments
            for s in 0..<segments {
                let a = (scale?[base + s] ?? 1) * inv
                let b = (shift?[base + s] ?? 0) - mu * a
                VectorLoops.affine(src + s * segmentLength, dst + s * segmentLength, segmentLength, scale: a, shift: b)
            }
            mean[r] = mu
            invStd[r] = inv
        }
    }

    private func inputBackward(
        _ g: UnsafePointer<Float>, input x: UnsafePointer<Float>, scale: UnsafePointer<Float>?,
        mean: UnsafePointer<Float>, invStd: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>
    ) {
        let n = rowLength
        forEachRow { r in
            let (gp, xp, dst) = (g + r * n, x + r * n, dx + r * n)
            let (mu, inv) = (mean[r], invStd[r])
            let base = (r % parameterPeriod) * segments
            // With ĝ = g·γ: Σĝ and Σĝ·x̂, segment by segment (γ is constant on a segment).
            var (sumG, sumGX): (Float, Float) = (0, 0)
            for s in 0..<segments {
                let gamma = scale?[base + s] ?? 1
                let (a, b) = VectorLoops.gradientMoments(gp + s * segmentLength, xp + s * segmentLength, segmentLength, mean: mu)
                sumG += gamma * a
                sumGX += gamma * b * inv
            }
            let (meanG, meanGX) = (sumG / Float(n), sumGX / Float(n))
            // ∂x = inv·(ĝ − mean(ĝ) − x̂·mean(ĝx̂)) = g·(inv·γ) + x·(−inv²·mean(ĝx̂)) + inv·(μ·inv·mean(ĝx̂) − mean(ĝ))
            let slope = inv * inv * meanGX
            for s in 0..<segments {
                let gamma = scale?[base + s] ?? 1
                let offset = s * segmentLength
                VectorLoops.combine(
                    gp + offset, xp + offset, dst + offset, segmentLength, a: inv * gamma, b: -slope, c: mu * slope - inv * meanG)
            }
        }
    }

    /// ∂γ and ∂β, each parameter summed by one thread over the rows that use it.
    private func parameterBackward(
        _ g: UnsafePointer<Float>, input x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
        invStd: UnsafePointer<Float>, scaleGradient: UnsafeMutablePointer<Float>, shiftGradient: UnsafeMutablePointer<Float>
    ) {
        let n = rowLength
        let parameters = parameterPeriod * segments
        Parallel.forEachChunk(count: parameters, minimumPerThread: max(1, (1 << 15) / max(1, rows * segmentLength))) { range in
            for p in range {
                let (period, s) = (p / segments, p % segments)
                var sumG: Double = 0, sumGX: Double = 0
                for r in stride(from: period, to: rows, by: parameterPeriod) {
                    let offset = r * n + s * segmentLength
                    var a: Float = 0, b: Float = 0
                    for j in offset..<(offset + segmentLength) {
                        a += g[j]
                        b += g[j] * (x[j] - mean[r]) * invStd[r]
                    }
                    sumG += Double(a)
                    sumGX += Double(b)
                }
                shiftGradient[p] = Float(sumG)
                scaleGradient[p] = Float(sumGX)
            }
        }
    }
}
