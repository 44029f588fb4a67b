import Foundation
import InitiumCore

/// Multi-head scaled dot-product self-attention (Vaswani et al., "Attention Is All You Need",
/// NeurIPS 2017), in nanoGPT's and Hugging Face BERT's layouts:
///
///     q, k, v = x·W_qᵀ + b_q, x·W_kᵀ + b_k, x·W_vᵀ + b_v          (heads contiguous in the width)
///     P_h = softmax(s·q_h·k_hᵀ + M),  o = concat_h(P_h·v_h)·W_oᵀ + b_o
///
/// with s the ``scale`` (1/√d_head by default; μP sets 1/d_head) and M the additive mask: −∞
/// above the diagonal when ``causal``, and at padded keys (``ForwardContext/keyPadding``).
///
/// The projections are either fused, one `Linear` `[3d, d]` whose rows are q, k, v (nanoGPT's
/// `c_attn`, with per-block fans fan_in = fan_out = d for initializers), or three `Linear`
/// `[d, d]` (`q_proj`/`k_proj`/`v_proj`, or BERT's `query`/`key`/`value`). The output projection
/// (`c_proj`) is optional: BERT keeps it in its `attention.output` block. The probabilities
/// `[batch, heads, T, T]` pass through the parameter-free child ``AttentionProbabilities``, so
/// observers see them. Input and output are `[batch, T, d]`.
public final class MultiHeadAttention: Module {
    /// The names of the projections in the state dictionary.
    public enum Projections: Sendable, Hashable {
        /// One fused `[3d, d]` projection with this name (nanoGPT: `c_attn`).
        case fused(String)
        /// Separate query, key and value projections with these names (`q_proj`, `k_proj`,
        /// `v_proj`; BERT: `query`, `key`, `value`).
        case separate(query: String, key: String, value: String)
    }

    /// The number of heads.
    public let heads: Int
    /// The width d (heads · head width).
    public let width: Int
    /// Whether each position attends only to itself and earlier positions.
    public let causal: Bool
    /// The multiplier of the attention logits q·kᵀ: 1/√d_head by default (μP: 1/d_head).
    public var scale: Float
    /// The fused projection, or `nil` with separate ones.
    public let queryKeyValue: Linear?
    /// The separate query, key and value projections, or `nil` when fused.
    public let query: Linear?, key: Linear?, value: Linear?
    /// The output projection, or `nil`.
    public let output: Linear?
    /// The softmax over keys.
    public let probabilities: AttentionProbabilities
    /// The children: the projections, `probabilities`, then the output projection.
    public let children: [(name: String, module: any Module)]

    /// Attention of `width` split into `heads` heads; projections PyTorch-default initialized
    /// from the scope's key (no key: zeros). Throws when `heads` does not divide `width`.
    public init(
        width: Int, heads: Int, causal: Bool, projections: Projections, outputName: String?, bias: Bool = true, scope: Scope
    ) throws {
        guard width > 0, heads > 0, width % heads == 0 else {
            throw InitiumError.invalidArgument("attention: `heads` (\(heads)) must divide the width (\(width))")
        }
        self.width = width
        self.heads = heads
        self.causal = causal
        scale = 1 / Float(width / heads).squareRoot()
        var list = ChildList(scope)
        switch projections {
        case let .fused(name):
            let fused = try list.add(name) { Linear(width, 3 * width, bias: bias, scope: $0) }
            fused.roles = [.attentionQueryKeyValue]
            fused.fans = WeightLayout.Fans(fanIn: width, fanOut: width)
            (queryKeyValue, query, key, value) = (fused, nil, nil, nil)
        case let .separate(q, k, v):
            let (lq, lk, lv) = (
                try list.add(q) { Linear(width, width, bias: bias, scope: $0) },
                try list.add(k) { Linear(width, width, bias: bias, scope: $0) },
                try list.add(v) { Linear(width, width, bias: bias, scope: $0) })
            lq.roles = [.attentionQuery]
            lk.roles = [.attentionKey]
            lv.roles = [.attentionValue]
            (queryKeyValue, query, key, value) = (nil, lq, lk, lv)
        }
        probabilities = try list.add("probabilities") { _ in AttentionProbabilities(causal: causal) }
        output = try outputName.map { name in try list.add(name) { Linear(width, width, bias: bias, scope: $0) } }
        output?.roles = [.attentionOutput, .residualBranchOutput]
        children = list.entries
    }

    /// Attention with its own output: a block of its children's work.
    public var kind: LayerKind { .block }

    /// The width of one head.
    public var headWidth: Int { width / heads }

    /// `[batch, T, d] → [batch, T, d]`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        guard input.rank == 3, input.shape[2] == width else {
            throw InitiumError.invalidShape(operation: "attention", shape: input.shape, reason: "expected [batch, sequence, \(width)]")
        }
        let (batch, length) = (input.shape[0], input.shape[1])
        let rows = try input.reshaped([batch * length, width])
        /// `[batch·T, d]` → `[batch, heads, T, d_head]`.
        func split(_ x: Tensor) throws -> Tensor {
            try x.reshaped([batch, length, heads, headWidth]).permuted([0, 2, 1, 3])
        }
        let q: Tensor, k: Tensor, v: Tensor
        if let queryKeyValue {
            let stacked = try forward(child: queryKeyValue, rows, context: context)
                .reshaped([batch, length, 3, heads, headWidth]).permuted([2, 0, 3, 1, 4])
            let parts = try (0..<3).map { try stacked.slice(axis: 0, $0..<($0 + 1)).reshaped([batch, heads, length, headWidth]) }
            (q, k, v) = (parts[0], parts[1], parts[2])
        } else {
            q = try split(forward(child: query!, rows, context: context))
            k = try split(forward(child: key!, rows, context: context))
            v = try split(forward(child: value!, rows, context: context))
        }
        let scores = try q.matmul(k, transposeOther: true, alpha: scale)
        let p = try forward(child: probabilities, scores, context: context)
        let mixed = try p.matmul(v).permuted([0, 2, 1, 3]).reshaped([batch * length, width])
        let projected = try output.map { try forward(child: $0, mixed, context: context) } ?? mixed
        return try projected.reshaped([batch, length, width])
    }
}

/// The attention probabilities: softmax over the keys of scores `[batch, heads, queries, keys]`,
/// hiding later keys when causal and padded keys (``ForwardContext/keyPadding``) with an additive
/// −∞ mask (``InitiumCore/Tensor/softmax(mask:)``). Parameter-free; it exists so the
/// probabilities are reported to observers (attention entropy, rank-collapse probes).
public final class AttentionProbabilities: Module {
    /// Whether each query sees only itself and earlier keys.
    public let causal: Bool

    /// A softmax over keys, causal or not.
    public init(causal: Bool) { self.causal = causal }

    /// Attention probabilities.
    public var kind: LayerKind { .attentionProbabilities }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let mask = AttentionMask(causal: causal, keyPadding: context.keyPadding)
        return try input.softmax(mask: mask.isEmpty ? nil : mask)
    }
}
