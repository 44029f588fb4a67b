import InitiumCore

/// Where a transformer block normalizes, as typed in a model spec (`norm=pre|post|deepnorm|none`).
public enum BlockNormalization: String, Sendable, Hashable, CaseIterable {
    /// Pre-LN: x + f(LN(x)) (GPT-2, nanoGPT).
    case pre
    /// Post-LN: LN(x + f(x)) (the original Transformer, BERT).
    case post
    /// DeepNorm: LN(α·x + f(x)), post-LN with the skip up-weighted (Wang et al., DeepNet, 2022).
    case deepnorm
    /// No normalization: x + f(x) (T-Fixup's setting).
    case none
}

/// An attention layer as initialization recipes and probes see it, whatever its concrete type:
/// its shape and the factor s of its logits q·kᵀ·s, which recipes may set (1/√d_head by default,
/// 1/d_head under μP; Yang et al., "Tensor Programs V", 2022).
public protocol AttentionLayer: Module {
    /// Heads h.
    var headCount: Int { get }
    /// Features per head, width / h.
    var headDimension: Int { get }
    /// Whether each position attends only to itself and earlier positions (a decoder).
    var isCausal: Bool { get }
    /// The logit scale s in softmax(q·kᵀ·s).
    var logitScale: Float { get set }
}

/// A transformer block as recipes see it: where it normalizes and the factor α that multiplies
/// its skip connection (1 except under DeepNorm).
public protocol TransformerBlockLayer: Module {
    /// The block's normalization placement.
    var normalization: BlockNormalization { get }
    /// α in LN(α·x + f(x)) (DeepNorm) — 1 for the other placements.
    var skipScale: Float { get set }
}

/// A module whose output is the attention probabilities `[B, H, T, T]` of one attention layer
/// (each row a distribution over keys), reported to observers so probes can measure attention
/// entropy.
public protocol AttentionProbabilitiesOutput: Module {}

/// An embedding table as recipes and probes see it: its weight `[count, dim]` is looked up, and one row may be
/// the padding row (kept at zero, PyTorch's `padding_idx`).
public protocol EmbeddingTable: Module {
    /// The padding row, if any.
    var paddingIndex: Int? { get }
}
