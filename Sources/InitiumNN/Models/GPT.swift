import Foundation
import InitiumCore

/// A byte-level decoder-only transformer language model with nanoGPT's layout and names
/// (Radford et al., "Language Models are Unsupervised Multitask Learners", 2019; karpathy/nanoGPT
/// `model.py`): token table `transformer.wte` `[256, d]` and learned positions `transformer.wpe`
/// `[context, d]`, blocks `transformer.h.{i}` (``TransformerBlock``: `ln_1`, `attn.c_attn`
/// `[3d, d]`, `attn.c_proj`, `ln_2`, `mlp.c_fc`, `mlp.c_proj`; causal attention, exact GELU),
/// a final `transformer.ln_f` with pre-LN, and the head `lm_head` (no bias), tied to `wte` by
/// default (then it owns no parameter). With `norm=deepnorm` every block's skip multiplier α
/// starts at DeepNet's decoder-only value (2N)^{1/4} for N blocks (Wang et al. 2022, Table 1);
/// a recipe may set ``TransformerBlock/alpha`` otherwise.
///
/// Input: token ids `[batch, T]` (or one sequence `[T]`), T ≤ context; output: next-token
/// logits `[batch·T, 256]`, rows in (example, position) order, so the cross-entropy of the
/// labels `[batch·T]` is the mean loss per token.
public final class GPT: Module {
    /// The sizes and options.
    public let configuration: Configuration
    /// `transformer`: embeddings, blocks and the final norm.
    public let transformer: GPTTransformer
    /// The output head: a ``TiedOutputHead`` reading `wte`, or a `Linear` `[256, d]` without bias.
    public let head: any Module
    /// `transformer`, `lm_head`.
    public let children: [(name: String, module: any Module)]

    /// A model with PyTorch-default initialization from the scope's key (no key: zeros).
    public init(_ configuration: Configuration, scope: Scope) throws {
        self.configuration = configuration
        var list = ChildList(scope)
        let transformer = try list.add("transformer") { try GPTTransformer(configuration, scope: $0) }
        self.transformer = transformer
        if configuration.tied {
            let head = try list.add("lm_head") { _ in TiedOutputHead(tiedTo: transformer.tokenEmbedding) }
            head.roles = [.classifier]
            self.head = head
        } else {
            let head = try list.add("lm_head") { Linear(configuration.width, Configuration.vocabulary, bias: false, scope: $0) }
            head.roles = [.classifier]
            self.head = head
        }
        children = list.entries
    }

    /// A model: runs its children.
    public var kind: LayerKind { .container }

    /// Token ids `[batch, T]` → logits `[batch·T, 256]`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let ids = input.rank == 1 ? try input.reshaped([1, input.shape[0]]) : input
        guard ids.rank == 2, ids.shape[1] > 0 else {
            throw InitiumError.invalidShape(operation: "gpt", shape: input.shape, reason: "expected token ids [batch, sequence]")
        }
        let hidden = try forward(child: transformer, ids, context: context)
        return try forward(child: head, hidden.reshaped([-1, configuration.width]), context: context)
    }

    /// A `gpt:` spec's sizes and options.
    public struct Configuration: ModelConfiguration, Hashable {
        /// The byte vocabulary.
        public static let vocabulary = 256
        /// Blocks.
        public var layers: Int
        /// The width d.
        public var width: Int
        /// Attention heads (dividing the width).
        public var heads: Int
        /// The longest sequence (rows of `wpe`).
        public var context: Int
        /// Where blocks normalize.
        public var norm: TransformerNorm
        /// The feed-forward width (4·width by default).
        public var ffn: Int
        /// Whether `lm_head` reads `wte`.
        public var tied: Bool
        /// Whether q, k, v are one `c_attn` projection (else `q_proj`, `k_proj`, `v_proj`).
        public var fused: Bool

        /// A configuration; throws when `heads` does not divide `width`.
        public init(
            layers: Int, width: Int, heads: Int, context: Int, norm: TransformerNorm = .pre, ffn: Int? = nil,
            tied: Bool = true, fused: Bool = true
        ) throws {
            guard width % heads == 0 else {
                throw InitiumError.invalidArgument("gpt: `heads` (\(heads)) must divide `width` (\(width))")
            }
            (self.layers, self.width, self.heads, self.context, self.norm) = (layers, width, heads, context, norm)
            (self.ffn, self.tied, self.fused) = (ffn ?? 4 * width, tied, fused)
        }

        /// Embeddings, blocks (two norms, attention, feed-forward), final norm and untied head.
        public var parameterCount: Int? {
            let (d, v) = (Double(width), Double(Self.vocabulary))
            let norms = norm == .none ? 0.0 : 4 * d
            let block = norms + (3 * d * d + 3 * d) + (d * d + d) + 2 * Double(ffn) * d + Double(ffn) + d
            let total = v * d + Double(context) * d + Double(layers) * block + (norm == .pre ? 2 * d : 0) + (tied ? 0 : v * d)
            return total < 9e18 ? Int(total) : nil
        }

        /// The model, after checking the data: sequences no longer than `context`, 256 classes.
        public func build(spec: String, activation: Activation, inputShape: [Int], classCount: Int, scope: Scope) throws -> any Module {
            guard inputShape.count == 1, inputShape[0] <= context else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: spec, reason: "the data's sequences \(inputShape) are longer than the context (\(context))")
            }
            guard classCount == Self.vocabulary else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: spec, reason: "a byte-level model predicts 256 classes, the data has \(classCount)")
            }
            return try GPT(self, scope: scope)
        }
    }
}

/// nanoGPT's `transformer` module: `wte`, `wpe`, the blocks `h`, and `ln_f` (pre-LN only).
/// Token ids `[batch, T]` → the final residual stream `[batch, T, d]`.
public final class GPTTransformer: Module {
    /// `wte` `[256, d]`.
    public let tokenEmbedding: Embedding
    /// `wpe` `[context, d]`.
    public let positionEmbedding: Embedding
    /// `h`: the blocks, named `0`, `1`, ….
    public let blocks: Sequential
    /// `ln_f`, with pre-LN only.
    public let finalNorm: LayerNorm?
    /// `wte`, `wpe`, `h`, `ln_f`.
    public let children: [(name: String, module: any Module)]

    /// The body of `configuration`'s model.
    public init(_ configuration: GPT.Configuration, scope: Scope) throws {
        let c = configuration
        var list = ChildList(scope)
        tokenEmbedding = try list.add("wte") { try Embedding(GPT.Configuration.vocabulary, c.width, scope: $0) }
        tokenEmbedding.roles = [.embedding, .input]
        positionEmbedding = try list.add("wpe") { try Embedding(c.context, c.width, scope: $0) }
        positionEmbedding.roles = [.positionEmbedding]
        let alpha = c.norm == .deepnorm ? Float(pow(2 * Double(c.layers), 0.25)) : 1
        blocks = try list.addGroup("h") { scope in
            var blockList = ChildList(scope)
            for _ in 0..<c.layers {
                try blockList.append {
                    try TransformerBlock(
                        width: c.width, heads: c.heads, inner: c.ffn, norm: c.norm, causal: true, fused: c.fused,
                        activation: .gelu, alpha: alpha, scope: $0)
                }
            }
            return Sequential(blockList)
        }
        finalNorm = c.norm == .pre ? try list.add("ln_f") { _ in try LayerNorm([c.width]) } : nil
        children = list.entries
    }

    /// Runs its children.
    public var kind: LayerKind { .container }

    /// Token ids `[batch, T]`, T ≤ context → `[batch, T, d]`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let length = input.shape[1]
        guard length <= positionEmbedding.count else {
            throw InitiumError.invalidArgument(
                "gpt: a sequence of \(length) tokens is longer than the model's context of \(positionEmbedding.count)")
        }
        let tokens = try forward(child: tokenEmbedding, input, context: context)
        let positions = try Tensor(shape: [length], scalars: (0..<length).map(Float.init))
        var x = try tokens + forward(child: positionEmbedding, positions, context: context)
        x = try forward(child: blocks, x, context: context)
        if let finalNorm { x = try forward(child: finalNorm, x, context: context) }
        return x
    }
}

extension ModelFamily {
    /// `gpt:layers=L,width=D,heads=H,context=T[,norm=pre|post|deepnorm|none][,ffn=F][,tie=true|false][,fused=true|false]`.
    public static let gpt = ModelFamily.keyed(
        "gpt", syntax: "gpt:layers=L,width=D,heads=H,context=T[,norm=pre|post|deepnorm|none][,ffn=4D][,tie=true][,fused=true]",
        example: "gpt:layers=4,width=128,heads=4,context=128",
        summary: "byte-level decoder-only transformer language model (nanoGPT names, vocabulary 256)", input: .tokens,
        required: ["layers", "width", "heads", "context"], optional: ["norm", "ffn", "tie", "fused"]
    ) { values in
        let width = try values.positiveInteger("width"), heads = try values.positiveInteger("heads")
        guard width % heads == 0 else { throw values.error("'heads' (\(heads)) must divide 'width' (\(width))") }
        return try GPT.Configuration(
            layers: values.positiveInteger("layers"), width: width, heads: heads, context: values.positiveInteger("context"),
            norm: values.choice("norm", default: TransformerNorm.pre), ffn: values.positiveInteger("ffn", default: 4 * width),
            tied: values.boolean("tie", default: true), fused: values.boolean("fused", default: true))
    }
}

extension GPT: SequenceModel {
    /// The positional table's length.
    public var contextLength: Int { configuration.context }
    /// 256 bytes.
    public var vocabularySize: Int { Configuration.vocabulary }
}
