import InitiumCore

/// The rescaling of "Robust Pruning at Initialization" (Hayou, Ton, Doucet & Teh, ICLR 2021):
/// after pruning, every output unit's surviving fan-in is scaled so its pre-activation variance
/// returns to its value before pruning, keeping an edge-of-chaos initialization on the edge.
///
/// For unit (row) i of a layer with weight W (`[out, in]`, or `[out, in/g, k…]` with a row being
/// everything feeding output channel i) and mask δ:
///
///     W_ij ← W_ij δ_ij ρ_i,   ρ_i = √( Σ_k W_ik² / Σ_k W_ik² δ_ik ).
///
/// The paper writes ρ with the initialization variance, ρ_i = 1/√(Σ_k W_ik² δ_ik / σ_w²); the
/// numerator here is the row's own squared norm before pruning, whose expectation is that σ_w²
/// for weights drawn with variance σ_w²/fan_in, and which needs no knowledge of the scheme. (This is
/// a reading of the paper's text, not of official code.) Rows with no surviving
/// weight are left at zero.
public enum RobustRescaling {
    /// Rescales the surviving weights of `weights` in place; `dense` are their values before the
    /// mask removed anything (same order). Returns the mean factor ρ over rescaled rows per weight.
    @discardableResult
    public static func apply(to weights: [PrunableWeight], denseValues dense: [Tensor], mask: PruningMask) throws -> [Double] {
        guard dense.count == weights.count else {
            throw InitiumError.internalFailure("rescaling needs the dense values of every prunable weight")
        }
        return try zip(weights, dense).map { weight, before in
            guard let m = mask[weight.path], before.shape == weight.parameter.shape, let rows = before.shape.first, rows > 0 else {
                throw InitiumError.internalFailure("no mask or mismatched values for \(weight.path)")
            }
            let rowLength = before.count / rows
            var factorSum = 0.0, rescaledRows = 0
            var value = weight.parameter.value
            before.withUnsafeBufferPointer { w in
                m.withUnsafeBufferPointer { d in
                    value.withUnsafeMutableBufferPointer { out in
                        for i in 0..<rows {
                            var total = 0.0, kept = 0.0
                            for j in (i * rowLength)..<((i + 1) * rowLength) {
                                let sq = Double(w[j]) * Double(w[j])
                                total += sq
                                kept += sq * Double(d[j])
                            }
                            guard kept > 0 else { continue }
                            let rho = (total / kept).squareRoot()
                            for j in (i * rowLength)..<((i + 1) * rowLength) { out[j] = Float(Double(w[j]) * rho) * d[j] }
                            factorSum += rho
                            rescaledRows += 1
                        }
                    }
                }
            }
            weight.parameter.value = value
            return rescaledRows == 0 ? 1 : factorSum / Double(rescaledRows)
        }
    }
}
