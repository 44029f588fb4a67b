import Foundation

/// Root-mean-square normalization (Zhang & Sennrich, "Root Mean Square Layer Normalization",
/// NeurIPS 2019), PyTorch's `nn.RMSNorm`.
extension Tensor {
    /// y = x / √(mean(x²) + ε) ⊙ γ over the last axis (no centring, no shift); γ has the last
    /// axis's size, or is `nil` for 1.
    ///
    /// Pullback in one pass per row: with r = 1/√(mean(x²) + ε), x̂ = x·r and ĝ = g ⊙ γ,
    /// ∂x = r·(ĝ − x̂·mean(ĝ ⊙ x̂)), ∂γ = Σ_rows g ⊙ x̂.
    public func rmsNormalized(scale: Tensor?, epsilon: Float) throws -> Tensor {
        guard rank >= 1, let n = shape.last, n > 0 else {
            throw InitiumError.invalidShape(operation: "rmsNorm", shape: shape, reason: "needs a non-empty last axis")
        }
        if let scale, scale.shape != [n] {
            throw InitiumError.shapeMismatch(operation: "rmsNorm scale", lhs: [n], rhs: scale.shape)
        }
        let rows = count / n
        let out = Tensor(uninitializedShape: shape)
        var inverse = [Float](repeating: 0, count: rows)
        let x = detached(), gamma = scale?.detached()
        let src = x.storage.base, dst = out.storage.base
        inverse.withUnsafeMutableBufferPointer { inv in
            let invBase = inv.baseAddress!
            Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, (1 << 15) / n)) { range in
                for r in range {
                    let row = src + r * n, y = dst + r * n
                    let (_, squares) = VectorLoops.shiftedMoments(row, n, shift: 0)
                    let rInv = 1 / (squares / Float(n) + epsilon).squareRoot()
                    invBase[r] = rInv
                    if let gamma {
                        let gp = gamma.storage.base
                        for j in 0..<n { y[j] = row[j] * rInv * gp[j] }
                    } else {
                        VectorLoops.affine(row, y, n, scale: rInv, shift: 0)
                    }
                }
            }
        }
        let savedInverse = inverse
        let inputs = scale.map { [self, $0] } ?? [self]
        return out.recording(inputs: inputs) { g in
            let gx = Tensor(uninitializedShape: x.shape)
            let gp = g.storage.base, dx = gx.storage.base
            let gammaBase = gamma?.storage.base
            savedInverse.withUnsafeBufferPointer { inv in
                Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, (1 << 15) / n)) { range in
                    for r in range {
                        let (xr, gr, d, rInv) = (src + r * n, gp + r * n, dx + r * n, inv[r])
                        // ĝ = g ⊙ γ into d, then d ← r·ĝ − r³·mean(ĝ ⊙ x)·x
                        if let gammaBase {
                            for j in 0..<n { d[j] = gr[j] * gammaBase[j] }
                        } else {
                            VectorLoops.copy(gr, d, n)
                        }
                        var dot: Float = 0
                        for j in 0..<n { dot += d[j] * xr[j] }
                        let slope = rInv * rInv * rInv * dot / Float(n)
                        for j in 0..<n { d[j] = rInv * d[j] - slope * xr[j] }
                    }
                }
            }
            guard gamma != nil else { return [gx] }
            let gGamma = Tensor(shape: [n], repeating: 0)
            let gg = gGamma.storage.base
            savedInverse.withUnsafeBufferPointer { inv in
                for r in 0..<rows {
                    let (xr, gr, rInv) = (src + r * n, gp + r * n, inv[r])
                    for j in 0..<n { gg[j] += gr[j] * xr[j] * rInv }
                }
            }
            return [gx, gGamma]
        }
    }
}
