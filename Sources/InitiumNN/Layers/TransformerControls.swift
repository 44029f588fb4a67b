import InitiumCore

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
    var normalization: TransformerNorm { get }
    /// α in LN(α·x + f(x)) (DeepNorm) — 1 for the other placements.
    var skipScale: Float { get set }
}


/// An embedding table as recipes and probes see it: its weight `[count, dim]` is looked up, and one row may be
/// the padding row (kept at zero, PyTorch's `padding_idx`).
public protocol EmbeddingTable: Module {
    /// The padding row, if any.
    var paddingIndex: Int? { get }
}

extension MultiHeadAttention: AttentionLayer {
    public var headCount: Int { heads }
    public var headDimension: Int { headWidth }
    public var isCausal: Bool { causal }
    public var logitScale: Float {
        get { scale }
        set { scale = newValue }
    }
}

extension TransformerBlock: TransformerBlockLayer {
    public var normalization: TransformerNorm { norm }
    public var skipScale: Float {
        get { alpha }
        set { alpha = newValue }
    }
}

extension BertLayer: TransformerBlockLayer {
    /// BERT's blocks are post-LN.
    public var normalization: TransformerNorm { .post }
    public var skipScale: Float {
        get { alpha }
        set { alpha = newValue }
    }
}

extension Embedding: EmbeddingTable {}
