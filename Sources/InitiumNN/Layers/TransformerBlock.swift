import Foundation
import InitiumCore

/// Where a transformer block normalizes its residual stream.
///
/// - `pre` (GPT-2, nanoGPT): x ← x + f(LN(x)) for each sublayer f;
/// - `post` (Vaswani et al. 2017, BERT): x ← LN(x + f(x));
/// - `deepnorm` (Wang et al., "DeepNet: Scaling Transformers to 1,000 Layers", 2022):
///   x ← LN(α·x + f(x)), α multiplying the skip, not the branch;
/// - `none`: x ← x + f(x), no normalization (T-Fixup's setting).
public enum TransformerNorm: String, Sendable, Hashable, CaseIterable {
    case pre, post, deepnorm, none
}

/// A transformer's feed-forward sublayer, nanoGPT's `MLP`: `c_fc` `[ffn, d]` → GELU → `c_proj`
/// `[d, ffn]`, on `[batch, T, d]` (the projections act on the last axis).
public final class FeedForward: Module {
    /// The expanding projection.
    public let expand: Linear
    /// The activation.
    public let activation: ActivationLayer
    /// The contracting projection (a residual branch's output).
    public let contract: Linear
    /// `c_fc`, `gelu`, `c_proj`.
    public let children: [(name: String, module: any Module)]

    /// A feed-forward sublayer of width `width` and inner width `inner` with `activation`,
    /// PyTorch-default initialized from the scope's key.
    public init(width: Int, inner: Int, activation: Activation, bias: Bool = true, scope: Scope) throws {
        var list = ChildList(scope)
        expand = try list.add("c_fc") { Linear(width, inner, bias: bias, scope: $0) }
        self.activation = try list.add("gelu") { _ in ActivationLayer(activation) }
        contract = try list.add("c_proj") { Linear(inner, width, bias: bias, scope: $0) }
        expand.roles = [.feedForwardInput]
        contract.roles = [.feedForwardOutput, .residualBranchOutput]
        children = list.entries
    }

    /// Runs its children in order (on rows).
    public var kind: LayerKind { .container }

    /// `[batch, T, d] → [batch, T, d]`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let rows = try input.reshaped([-1, expand.inFeatures])
        var x = try forward(child: expand, rows, context: context)
        x = try forward(child: activation, x, context: context)
        x = try forward(child: contract, x, context: context)
        return try x.reshaped(input.shape)
    }
}

/// A GPT transformer block with nanoGPT's names: `ln_1`, `attn` (``MultiHeadAttention``, fused
/// `c_attn` or separate `q_proj`/`k_proj`/`v_proj`, then `c_proj`), `ln_2`, `mlp`
/// (``FeedForward``). The residual stream `[batch, T, d]` is normalized as ``norm`` says:
///
///     pre:      x ← x + attn(ln_1(x));     x ← x + mlp(ln_2(x))
///     post:     x ← ln_1(x + attn(x));     x ← ln_2(x + mlp(x))
///     deepnorm: x ← ln_1(α·x + attn(x));   x ← ln_2(α·x + mlp(x))
///     none:     x ← x + attn(x);           x ← x + mlp(x)        (no ln_1, ln_2)
///
/// Layer norms have ε = 1e-5 (nanoGPT). The block's output is reported (the residual stream).
public final class TransformerBlock: Module {
    /// Where the block normalizes.
    public let norm: TransformerNorm
    /// DeepNorm's skip multiplier α (used only with `.deepnorm`; recipes set it, e.g.
    /// (2N)^{1/4} for an N-layer decoder).
    public var alpha: Float
    /// The norm before (pre) or after (post, deepnorm) attention, or `nil` with `.none`.
    public let ln1: LayerNorm?
    /// The attention sublayer.
    public let attention: MultiHeadAttention
    /// The norm before (pre) or after (post, deepnorm) the feed-forward sublayer, or `nil`.
    public let ln2: LayerNorm?
    /// The feed-forward sublayer.
    public let mlp: FeedForward
    /// `ln_1`, `attn`, `ln_2`, `mlp`.
    public let children: [(name: String, module: any Module)]

    /// A block of width `width`, `heads` heads and feed-forward width `inner`.
    public init(
        width: Int, heads: Int, inner: Int, norm: TransformerNorm, causal: Bool, fused: Bool,
        activation: Activation, alpha: Float = 1, scope: Scope
    ) throws {
        var list = ChildList(scope)
        self.norm = norm
        self.alpha = alpha
        ln1 = norm == .none ? nil : try list.add("ln_1") { _ in try LayerNorm([width]) }
        attention = try list.add("attn") {
            try MultiHeadAttention(
                width: width, heads: heads, causal: causal,
                projections: fused ? .fused("c_attn") : .separate(query: "q_proj", key: "k_proj", value: "v_proj"),
                outputName: "c_proj", scope: $0)
        }
        ln2 = norm == .none ? nil : try list.add("ln_2") { _ in try LayerNorm([width]) }
        mlp = try list.add("mlp") { try FeedForward(width: width, inner: inner, activation: activation, scope: $0) }
        children = list.entries
    }

    /// A residual block: computes more than its children.
    public var kind: LayerKind { .block }

    /// `[batch, T, d] → [batch, T, d]`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        var x = input
        for (sublayer, layerNorm) in [(attention as any Module, ln1), (mlp as any Module, ln2)] {
            switch norm {
            case .pre:
                x = try x + forward(child: sublayer, forward(child: layerNorm!, x, context: context), context: context)
            case .post:
                x = try forward(child: layerNorm!, x + forward(child: sublayer, x, context: context), context: context)
            case .deepnorm:
                x = try forward(child: layerNorm!, x * alpha + forward(child: sublayer, x, context: context), context: context)
            case .none:
                x = try x + forward(child: sublayer, x, context: context)
            }
        }
        return x
    }
}
