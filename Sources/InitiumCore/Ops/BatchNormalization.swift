import Foundation

/// Batch normalization over axis 1 of `[n, c, …]` with fused forward and backward kernels, and
/// the per-channel affine map that batch normalization becomes at inference.
///
/// Ioffe & Szegedy, "Batch Normalization: Accelerating Deep Network Training by Reducing Internal
/// Covariate Shift", ICML 2015. Each channel's statistics are reduced by one thread in a fixed
/// order, so results do not depend on the thread count.
extension Tensor {
    /// Normalizes each channel with the batch's statistics (training mode):
    /// y = γ·(x − μ_c)/√(σ²_c + ε) + β, with μ_c and the biased variance σ²_c taken over the batch
    /// and every spatial position of channel c.
    ///
    /// - Parameters:
    ///   - input: `[n, c, …]` (rank ≥ 2).
    ///   - scale, shift: γ and β, `[c]` each, or `nil` for 1 and 0.
    /// - Returns: the output and the batch mean and biased variance, `[c]` each (not differentiable),
    ///   for updating running statistics.
    ///
    /// Pullback (m values per channel, x̂ = (x − μ)/√(σ² + ε)): ∂β = Σ g, ∂γ = Σ g·x̂,
    /// ∂x = γ/√(σ² + ε) · (g − Σg/m − x̂·Σ(g·x̂)/m).
    public static func batchNormalized(
        _ input: Tensor, scale: Tensor?, shift: Tensor?, epsilon: Float
    ) throws -> (output: Tensor, mean: Tensor, variance: Tensor) {
        let shape = try ChannelShape(input.shape, scale: scale?.shape, shift: shift?.shape, operation: "batchNorm")
        guard shape.valuesPerChannel > 1 else {
            throw InitiumError.invalidShape(
                operation: "batchNorm", shape: input.shape, reason: "batch statistics need more than one value per channel")
        }
        let out = Tensor(uninitializedShape: input.shape)
        let mean = Tensor(uninitializedShape: [shape.channels])
        let variance = Tensor(uninitializedShape: [shape.channels])
        shape.normalize(
            input.storage.base, scale: scale?.storage.base, shift: shift?.storage.base, epsilon: epsilon,
            into: out.storage.base, mean: mean.storage.base, variance: variance.storage.base)
        let (x, savedMean, savedVariance) = (input.detached(), mean, variance)
        let gamma = scale?.detached()
        var inputs = [input]
        if let scale { inputs.append(scale) }
        if let shift { inputs.append(shift) }
        let output = out.recording(inputs: inputs) { g in
            var gx = Tensor(uninitializedShape: x.shape)
            var gScale = Tensor(uninitializedShape: [shape.channels])
            var gShift = Tensor(uninitializedShape: [shape.channels])
            shape.normalizeBackward(
                g.storage.base, input: x.storage.base, mean: savedMean.storage.base, variance: savedVariance.storage.base,
                scale: gamma?.storage.base, epsilon: epsilon,
                into: gx.storage.base, scaleGradient: gScale.storage.base, shiftGradient: gShift.storage.base)
            gx.node = nil
            gScale.node = nil
            gShift.node = nil
            return [gx] + (scale == nil ? [] : [gScale]) + (shift == nil ? [] : [gShift])
        }
        return (output, mean, variance)
    }

    /// The per-channel affine map y[n, c, …] = x[n, c, …]·a[c] + b[c] (batch normalization at
    /// inference, with a = γ/√(running σ² + ε) and b = β − running μ·a).
    /// Pullbacks: ∂x = g·a[c], ∂a[c] = Σ g·x, ∂b[c] = Σ g.
    public static func channelAffine(_ input: Tensor, scale: Tensor, shift: Tensor) throws -> Tensor {
        let shape = try ChannelShape(input.shape, scale: scale.shape, shift: shift.shape, operation: "channelAffine")
        let out = Tensor(uninitializedShape: input.shape)
        let (x, a) = (input.detached(), scale.detached())
        let (xp, ap, bp, yp) = (x.storage.base, a.storage.base, shift.storage.base, out.storage.base)
        shape.forEachChannel { c in
            let (sa, sb) = (ap[c], bp[c])
            shape.forEachSegment(of: c) { offset, length in
                VectorLoops.affine(xp + offset, yp + offset, length, scale: sa, shift: sb)
            }
        }
        return out.recording(inputs: [input, scale, shift]) { g in
            var gx = Tensor(uninitializedShape: x.shape)
            var ga = Tensor(uninitializedShape: [shape.channels])
            var gb = Tensor(uninitializedShape: [shape.channels])
            let (gp, dxp, dap, dbp) = (g.storage.base, gx.storage.base, ga.storage.base, gb.storage.base)
            let (xp, ap) = (x.storage.base, a.storage.base)
            shape.forEachChannel { c in
                let sa = ap[c]
                var sumG: Double = 0, sumGX: Double = 0
                shape.forEachSegment(of: c) { offset, length in
                    let (s, sx) = VectorLoops.gradientMoments(gp + offset, xp + offset, length, mean: 0)
                    VectorLoops.affine(gp + offset, dxp + offset, length, scale: sa, shift: 0)
                    sumG += Double(s)
                    sumGX += Double(sx)
                }
                dap[c] = Float(sumGX)
                dbp[c] = Float(sumG)
            }
            gx.node = nil
            ga.node = nil
            gb.node = nil
            return [gx, ga, gb]
        }
    }
}

/// `[n, c, …]` seen as n·c contiguous segments of `spatial` values, with per-channel kernels.
struct ChannelShape: Sendable {
    let batch, channels, spatial: Int

    /// Validates rank ≥ 2 and per-channel parameter shapes `[c]`.
    init(_ shape: [Int], scale: [Int]?, shift: [Int]?, operation: String) throws {
        guard shape.count >= 2 else {
            throw InitiumError.invalidShape(operation: operation, shape: shape, reason: "expected [batch, channels, …]")
        }
        for parameter in [scale, shift] {
            if let parameter, parameter != [shape[1]] {
                throw InitiumError.shapeMismatch(operation: "\(operation) parameters for \(shape[1]) channels", lhs: shape, rhs: parameter)
            }
        }
        batch = shape[0]
        channels = shape[1]
        spatial = Shape.count(of: Array(shape.dropFirst(2)))
    }

    /// Values that share one channel's statistics.
    var valuesPerChannel: Int { batch * spatial }

    /// Runs `body(c)` for every channel, channels split across threads.
    func forEachChannel(_ body: (Int) -> Void) {
        Parallel.forEachChunk(count: channels, minimumPerThread: max(1, (1 << 15) / max(1, valuesPerChannel))) { range in
            for c in range { body(c) }
        }
    }

    /// Calls `body(offset, length)` for each contiguous run of channel `c`'s values.
    @inline(__always)
    func forEachSegment(of c: Int, _ body: (Int, Int) -> Void) {
        for n in 0..<batch { body((n * channels + c) * spatial, spatial) }
    }

    /// Batch mean and biased variance of every channel, and y = x·a + b with a = γ/√(σ² + ε),
    /// b = β − μ·a. The statistics come from one pass of shifted sums (shift = the channel's first
    /// value, so the squares do not cancel), accumulated in Double across runs.
    func normalize(
        _ x: UnsafePointer<Float>, scale: UnsafePointer<Float>?, shift: UnsafePointer<Float>?, epsilon: Float,
        into y: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>, variance: UnsafeMutablePointer<Float>
    ) {
        let count = Double(valuesPerChannel)
        forEachChannel { c in
            let origin = x[c * spatial]
            var (total, squares): (Double, Double) = (0, 0)
            forEachSegment(of: c) { offset, length in
                let (s, q) = VectorLoops.shiftedMoments(x + offset, length, shift: origin)
                total += Double(s)
                squares += Double(q)
            }
            let shiftedMean = total / count
            let sigma2 = Float(max(0, squares / count - shiftedMean * shiftedMean))
            let mu = Float(Double(origin) + shiftedMean)
            let a = (scale?[c] ?? 1) / (sigma2 + epsilon).squareRoot()
            let b = (shift?[c] ?? 0) - mu * a
            forEachSegment(of: c) { offset, length in
                VectorLoops.affine(x + offset, y + offset, length, scale: a, shift: b)
            }
            mean[c] = mu
            variance[c] = sigma2
        }
    }

    /// ∂x, ∂γ, ∂β of ``normalize(_:scale:shift:epsilon:into:mean:variance:)``: one pass for Σg and
    /// Σg·(x − μ), one for ∂x = k·(g − Σg/m − (x − μ)·Σg(x − μ)/(m(σ² + ε))), k = γ/√(σ² + ε).
    func normalizeBackward(
        _ g: UnsafePointer<Float>, input x: UnsafePointer<Float>, mean: UnsafePointer<Float>,
        variance: UnsafePointer<Float>, scale: UnsafePointer<Float>?, epsilon: Float,
        into dx: UnsafeMutablePointer<Float>, scaleGradient: UnsafeMutablePointer<Float>,
        shiftGradient: UnsafeMutablePointer<Float>
    ) {
        let count = Float(valuesPerChannel)
        forEachChannel { c in
            let mu = mean[c]
            let invStd = 1 / (variance[c] + epsilon).squareRoot()
            var (sumG, sumGCentered): (Double, Double) = (0, 0)
            forEachSegment(of: c) { offset, length in
                let (s, q) = VectorLoops.gradientMoments(g + offset, x + offset, length, mean: mu)
                sumG += Double(s)
                sumGCentered += Double(q)
            }
            let k = (scale?[c] ?? 1) * invStd
            let meanG = Float(sumG) / count
            let slope = invStd * invStd * Float(sumGCentered) / count
            forEachSegment(of: c) { offset, length in
                VectorLoops.combine(g + offset, x + offset, dx + offset, length, a: k, b: -k * slope, c: k * (mu * slope - meanG))
            }
            shiftGradient[c] = Float(sumG)
            scaleGradient[c] = Float(sumGCentered) * invStd
        }
    }
}
