import InitiumCore

/// Signed supermask: masks with entries −1, 0 and +1, so a fixed random weight can be removed or
/// have its sign flipped. Of a layer's positive scores the round(d·n₊) largest give +1, of its
/// negative scores the round(d·n₋) most negative give −1, and the rest 0, so a fraction d
/// survives (the score-threshold variant: τ± set so a fraction k of the positive and of the
/// negative scores survive, computed here exactly instead of on 5 000 sampled entries).
///
/// Koster, Grothe & Rauber, "Signing the Supermask: Keep, Hide, Invert", ICLR 2022
/// (kosnil/signed_supermasks `custom_layers.py`). Straight-through: the forward uses the
/// discrete mask, the backward treats it as the identity in the scores (``SupermaskTraining``).
public struct SignedSupermask: SupermaskRule {
    /// The signed rule.
    public init() {}

    public var name: String { "signed" }

    public func effectiveMask(scores: Tensor, density: Double) throws -> Tensor {
        try PruningMask.validate(density: density)
        var positive = scores.scalars.filter { $0 > 0 }
        var negative = scores.scalars.filter { $0 < 0 }.map { -$0 }
        let keepPositive = Int((density * Double(positive.count)).rounded())
        let keepNegative = Int((density * Double(negative.count)).rounded())
        let upper = keepPositive == 0 ? Float.infinity : Selection.kthLargest(&positive, keepPositive)
        let lower = keepNegative == 0 ? Float.infinity : Selection.kthLargest(&negative, keepNegative)
        return scores.mapped { s in s > 0 && s >= upper ? 1 : (s < 0 && -s >= lower ? -1 : 0) }
    }

    /// mask = stop_grad(m̂) + s − stop_grad(s): the gradient reaches s unchanged.
    public func scoreGradient(maskGradient: Tensor, scores: Tensor) -> Tensor { maskGradient }
}
