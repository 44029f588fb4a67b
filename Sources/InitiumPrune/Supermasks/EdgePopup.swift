import InitiumCore

/// Edge-popup: each layer keeps the weights whose scores have the k = round(d·n) largest
/// magnitudes, m = 1[|s| ≥ k-th largest |s| of the layer].
///
/// Ramanujan, Wortsman, Kembhavi, Farhadi & Rastegari, "What's Hidden in a Randomly Weighted
/// Neural Network?", CVPR 2020 (allenai/hidden-networks `utils/conv_type.py: GetSubnet`, with
/// `prune_rate` the kept fraction). Top-k is per layer, with the layer-wise mask selection of
/// ``PruningMask/keepingTop(_:paths:density:scope:within:)``. The top-k step passes the gradient
/// straight through (`GetSubnet.backward` returns it unchanged) and the |·| before it multiplies
/// by sign(s): ∂L/∂s = ∂L/∂m ⊙ sign(s), for every score (``SupermaskTraining``).
public struct EdgePopup: SupermaskRule {
    /// The edge-popup rule.
    public init() {}

    public var name: String { "edge-popup" }

    public func effectiveMask(scores: Tensor, density: Double) throws -> Tensor {
        try PruningMask.keepingTop([scores.mapped(Swift.abs)], paths: ["scores"], density: density, scope: .layerwise).masks[0]
    }

    /// ∂L/∂s = ∂L/∂m ⊙ sign(s): straight through the top-k, then through |s|.
    public func scoreGradient(maskGradient: Tensor, scores: Tensor) -> Tensor {
        maskGradient.zipped(with: scores) { g, s in s > 0 ? g : (s < 0 ? -g : 0) }
    }
}
