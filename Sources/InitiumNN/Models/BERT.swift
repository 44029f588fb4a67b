import Foundation
import InitiumCore

/// A BERT encoder with a classification head (Devlin et al., "BERT: Pre-training of Deep
/// Bidirectional Transformers for Language Understanding", NAACL 2019), with Hugging Face
/// `BertModel`'s layout and names so real checkpoints load unchanged:
///
///     e = LN(word[ids] + position[0..<T] + token_type[0])             embeddings.*
///     per layer: a = LN(attention.output.dense(MHA(x)) + x)            encoder.layer.{i}.attention.*
///                x = LN(output.dense(GELU(intermediate.dense(a))) + a)  .intermediate.dense, .output.*
///
/// post-LN, exact GELU (or the config's `hidden_act`), LayerNorm ε 1e-12, bidirectional
/// attention that hides padded keys (ids equal to the pad id). The sentence vector is the mean
/// of the final hidden states over non-pad tokens (sentence-transformers' mean pooling) or, with
/// `[CLS]` pooling, tanh(`pooler.dense`(h₀)) as Hugging Face's `BertPooler`; `classifier` maps
/// it to the class logits. Input: token ids `[batch, T]` padded at the end; output `[batch, classes]`.
public final class BERT: Module {
    /// How the sequence becomes one vector for the classifier.
    public enum Pooling: String, Sendable, Hashable, CaseIterable {
        /// The mean over non-pad tokens.
        case mean
        /// tanh(`pooler.dense`(h of `[CLS]`)).
        case cls
    }

    /// The sizes and options.
    public let configuration: Configuration
    /// `embeddings`.
    public let embeddings: BertEmbeddings
    /// `encoder.layer.{i}`.
    public let layers: [BertLayer]
    /// `pooler.dense`, with `[CLS]` pooling.
    public let pooler: Linear?
    /// `classifier` `[classes, width]`.
    public let classifier: Linear
    /// `embeddings`, `encoder`, `pooler`, `classifier`.
    public let children: [(name: String, module: any Module)]
    private let encoder: NamedContainer
    private let poolerGroup: NamedContainer?

    /// A model for `classCount` classes, PyTorch-default initialized from the scope's key (no
    /// key: zeros), embeddings N(0, 1) with the pad row zero.
    public init(_ configuration: Configuration, classCount: Int, scope: Scope) throws {
        let c = configuration
        self.configuration = c
        var list = ChildList(scope)
        embeddings = try list.add("embeddings") { try BertEmbeddings(c, scope: $0) }
        var built: [BertLayer] = []
        encoder = try list.addGroup("encoder") { scope in
            var group = ChildList(scope)
            try group.addGroup("layer") { scope in
                var layerList = ChildList(scope)
                for _ in 0..<c.layers { built.append(try layerList.append { try BertLayer(c, scope: $0) }) }
                return Sequential(layerList)
            }
            return NamedContainer(group)
        }
        layers = built
        var pooler: Linear?
        poolerGroup = c.pooling == .cls
            ? try list.addGroup("pooler") { scope in
                var group = ChildList(scope)
                pooler = try group.add("dense") { Linear(c.width, c.width, scope: $0) }
                return NamedContainer(group)
            }
            : nil
        self.pooler = pooler
        classifier = try list.add("classifier") { Linear(c.width, classCount, scope: $0) }
        classifier.roles = [.classifier]
        children = list.entries
    }

    /// A model: runs its children.
    public var kind: LayerKind { .container }

    /// Token ids `[batch, T]` → class logits `[batch, classes]`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let (hidden, padding) = try encode(input, context: context)
        let pooled: Tensor
        switch configuration.pooling {
        case .mean: pooled = try Self.meanPool(hidden, padding: padding)
        case .cls:
            let first = try hidden.slice(axis: 1, 0..<1).reshaped([hidden.shape[0], configuration.width])
            pooled = try poolerGroup!.forward(child: pooler!, first, context: context).tanh()
        }
        return try forward(child: classifier, pooled, context: context)
    }

    /// The final hidden states `[batch, T, width]` of token ids `[batch, T]` and their padding flags.
    public func encode(_ input: Tensor, context: ForwardContext) throws -> (hidden: Tensor, padding: [Bool]) {
        let ids = input.rank == 1 ? try input.reshaped([1, input.shape[0]]) : input
        guard ids.rank == 2, ids.shape[1] > 0 else {
            throw InitiumError.invalidShape(operation: "bert", shape: input.shape, reason: "expected token ids [batch, sequence]")
        }
        guard ids.shape[1] <= configuration.context else {
            throw InitiumError.invalidArgument(
                "bert: a sequence of \(ids.shape[1]) tokens is longer than the model's \(configuration.context) positions")
        }
        let padding = AttentionMask.keyPadding(of: ids, paddingToken: configuration.padToken)
        let previous = context.keyPadding
        context.keyPadding = padding
        defer { context.keyPadding = previous }
        var x = try forward(child: embeddings, ids, context: context)
        x = try forward(child: encoder, x, context: context)
        return (x, padding)
    }

    /// Mean-pooled, L2-normalized sentence embeddings `[batch, width]` of token ids `[batch, T]`,
    /// as sentence-transformers computes them (all-MiniLM-L6-v2's `Pooling` then `Normalize`):
    /// s = Σₜ mₜhₜ / max(Σₜ mₜ, 1e-9), then s / max(‖s‖₂, 1e-12), m the non-padding mask.
    /// Inference mode, no gradients.
    public func sentenceEmbeddings(_ ids: Tensor) throws -> Tensor {
        let (hidden, padding) = try encode(ids.detached(), context: ForwardContext(mode: .inference))
        let pooled = try Self.meanPool(hidden, padding: padding)
        let norms = try pooled.squared().sum(axes: [1], keepDims: true).sqrt().mapped { Swift.max($0, 1e-12) }
        return try pooled / norms
    }

    /// Σₜ mₜhₜ / max(Σₜ mₜ, 1e-9) over non-padding positions of `[batch, T, width]`.
    static func meanPool(_ hidden: Tensor, padding: [Bool]) throws -> Tensor {
        let (batch, length) = (hidden.shape[0], hidden.shape[1])
        let mask = try Tensor(shape: [batch, length, 1], scalars: padding.map { $0 ? 0 : 1 })
        var counts = try mask.sum(axes: [1])
        counts = counts.mapped { Swift.max($0, 1e-9) }
        return try (hidden * mask).sum(axes: [1]) / counts
    }

    /// A `bert:` spec's sizes and options, or those of a pretrained directory's `config.json`.
    public struct Configuration: ModelConfiguration, Hashable {
        /// Encoder layers.
        public var layers: Int
        /// The width (hidden size).
        public var width: Int
        /// Attention heads (dividing the width).
        public var heads: Int
        /// The feed-forward (intermediate) width.
        public var ffn: Int
        /// Rows of the word table.
        public var vocabulary: Int
        /// Rows of the position table (the longest sequence).
        public var context: Int
        /// Rows of the token-type table.
        public var typeVocabulary: Int
        /// LayerNorm ε.
        public var epsilon: Float
        /// The feed-forward activation.
        public var activation: Activation
        /// The padding token id (its word row starts at zero and gets no gradient).
        public var padToken: Int
        /// How the classifier's input is pooled.
        public var pooling: Pooling
        /// The Hugging Face directory the weights come from, or `nil` for a model from scratch.
        public var pretrained: String?

        /// A configuration; throws naming the parameter when `heads` does not divide `width`.
        public init(
            layers: Int, width: Int, heads: Int, ffn: Int, vocabulary: Int = 30522, context: Int = 512, typeVocabulary: Int = 2,
            epsilon: Float = 1e-12, activation: Activation = .gelu, padToken: Int = 0, pooling: Pooling = .mean,
            pretrained: String? = nil
        ) throws {
            guard width % heads == 0 else {
                throw InitiumError.invalidArgument("bert: `heads` (\(heads)) must divide the width (\(width))")
            }
            guard (0..<vocabulary).contains(padToken) else {
                throw InitiumError.invalidArgument("bert: pad token \(padToken) is outside the vocabulary of \(vocabulary)")
            }
            (self.layers, self.width, self.heads, self.ffn) = (layers, width, heads, ffn)
            (self.vocabulary, self.context, self.typeVocabulary, self.epsilon) = (vocabulary, context, typeVocabulary, epsilon)
            (self.activation, self.padToken, self.pooling, self.pretrained) = (activation, padToken, pooling, pretrained)
        }

        /// Embeddings, layers, pooler (when kept) — the classifier's are added by the data's classes.
        public var parameterCount: Int? {
            let (d, f) = (Double(width), Double(ffn))
            let embeddings = Double(vocabulary + context + typeVocabulary) * d + 2 * d
            let layer = 4 * (d * d + d) + 2 * d + (f * d + f) + (d * f + d) + 2 * d
            let total = embeddings + Double(layers) * layer + (pooling == .cls ? d * d + d : 0)
            return total < 9e18 ? Int(total) : nil
        }

        /// The model (with the pretrained weights when ``pretrained`` is set and a fresh
        /// classifier), after checking the data's sequence length.
        public func build(spec: String, activation: Activation, inputShape: [Int], classCount: Int, scope: Scope) throws -> any Module {
            guard inputShape.count == 1, inputShape[0] <= context else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: spec, reason: "the data's sequences \(inputShape) are longer than the \(context) positions")
            }
            guard let pretrained else { return try BERT(self, classCount: classCount, scope: scope) }
            return try BertCheckpoint.load(directory: pretrained, configuration: self, classCount: classCount, scope: scope)
        }
    }
}

/// Hugging Face's `BertEmbeddings`: `word_embeddings`, `position_embeddings`,
/// `token_type_embeddings` (every token of type 0) summed, then `LayerNorm`.
public final class BertEmbeddings: Module {
    /// `word_embeddings` `[vocabulary, width]`, pad row zero.
    public let word: Embedding
    /// `position_embeddings` `[context, width]`.
    public let position: Embedding
    /// `token_type_embeddings` `[types, width]`.
    public let tokenType: Embedding
    /// `LayerNorm`.
    public let norm: LayerNorm
    /// The four, in Hugging Face's order.
    public let children: [(name: String, module: any Module)]

    /// The embeddings of `configuration`.
    public init(_ configuration: BERT.Configuration, scope: Scope) throws {
        let c = configuration
        var list = ChildList(scope)
        word = try list.add("word_embeddings") { try Embedding(c.vocabulary, c.width, paddingIndex: c.padToken, scope: $0) }
        position = try list.add("position_embeddings") { try Embedding(c.context, c.width, scope: $0) }
        tokenType = try list.add("token_type_embeddings") { try Embedding(c.typeVocabulary, c.width, scope: $0) }
        norm = try list.add("LayerNorm") { _ in try LayerNorm([c.width], epsilon: c.epsilon) }
        word.roles = [.embedding, .input]
        position.roles = [.positionEmbedding]
        children = list.entries
    }

    /// Computes more than its children (the sum).
    public var kind: LayerKind { .block }

    /// Token ids `[batch, T]` → `[batch, T, width]`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let length = input.shape[1]
        let positions = try Tensor(shape: [length], scalars: (0..<length).map(Float.init))
        let x = try forward(child: word, input, context: context)
            + forward(child: position, positions, context: context)
            + forward(child: tokenType, Tensor.zeros([1]), context: context)
        return try forward(child: norm, x, context: context)
    }
}

/// One Hugging Face `BertLayer`: `attention.self` (``MultiHeadAttention`` with `query`, `key`,
/// `value`), `attention.output` (`dense`, `LayerNorm`), `intermediate.dense`, `output`
/// (`dense`, `LayerNorm`); post-LN residuals.
public final class BertLayer: Module {
    /// `attention.self`.
    public let attention: MultiHeadAttention
    /// `attention.output.dense` and `attention.output.LayerNorm`.
    public let attentionOutput: BertResidualOutput
    /// `intermediate.dense`.
    public let intermediate: Linear
    /// The feed-forward activation.
    public let activation: ActivationLayer
    /// `output.dense` and `output.LayerNorm`.
    public let output: BertResidualOutput
    /// `attention`, `intermediate`, `output`.
    public let children: [(name: String, module: any Module)]
    private let attentionGroup: NamedContainer
    private let intermediateGroup: NamedContainer

    /// A layer of `configuration`, PyTorch-default initialized from the scope's key.
    public init(_ configuration: BERT.Configuration, scope: Scope) throws {
        let c = configuration
        var list = ChildList(scope)
        var selfAttention: MultiHeadAttention?
        var attentionOut: BertResidualOutput?
        attentionGroup = try list.addGroup("attention") { scope in
            var group = ChildList(scope)
            selfAttention = try group.add("self") {
                try MultiHeadAttention(
                    width: c.width, heads: c.heads, causal: false, projections: .separate(query: "query", key: "key", value: "value"),
                    outputName: nil, scope: $0)
            }
            attentionOut = try group.add("output") { try BertResidualOutput(c.width, c.width, epsilon: c.epsilon, scope: $0) }
            return NamedContainer(group)
        }
        attention = selfAttention!
        attentionOutput = attentionOut!
        attentionOutput.dense.roles = [.attentionOutput, .residualBranchOutput]
        var dense: Linear?
        var act: ActivationLayer?
        intermediateGroup = try list.addGroup("intermediate") { scope in
            var group = ChildList(scope)
            dense = try group.add("dense") { Linear(c.width, c.ffn, scope: $0) }
            act = try group.add("intermediate_act_fn") { _ in ActivationLayer(c.activation) }
            return NamedContainer(group)
        }
        intermediate = dense!
        activation = act!
        intermediate.roles = [.feedForwardInput]
        output = try list.add("output") { try BertResidualOutput(c.ffn, c.width, epsilon: c.epsilon, scope: $0) }
        output.dense.roles = [.feedForwardOutput, .residualBranchOutput]
        children = list.entries
    }

    /// A residual block.
    public var kind: LayerKind { .block }

    /// α multiplying both skips, LN(f(x) + α·x): 1 is BERT; recipes such as DeepNet set it.
    public var alpha: Float = 1

    /// `[batch, T, width] → [batch, T, width]`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let width = attention.width
        let rows = try input.reshaped([-1, width])
        let mixed = try attentionGroup.forward(child: attention, input, context: context).reshaped([-1, width])
        let a = try attentionOutput.forward(mixed, residual: alpha == 1 ? rows : rows * alpha, context: context)
        var h = try intermediateGroup.forward(child: intermediate, a, context: context)
        h = try intermediateGroup.forward(child: activation, h, context: context)
        return try output.forward(h, residual: alpha == 1 ? a : a * alpha, context: context).reshaped(input.shape)
    }
}

/// Hugging Face's `BertSelfOutput` / `BertOutput`: LN(`dense`(x) + residual), on rows `[n, width]`.
public final class BertResidualOutput: Module {
    /// `dense`.
    public let dense: Linear
    /// `LayerNorm`.
    public let norm: LayerNorm
    /// `dense`, `LayerNorm`.
    public let children: [(name: String, module: any Module)]

    /// A projection from `inner` to `width` features and a norm with `epsilon`.
    public init(_ inner: Int, _ width: Int, epsilon: Float, scope: Scope) throws {
        var list = ChildList(scope)
        dense = try list.add("dense") { Linear(inner, width, scope: $0) }
        norm = try list.add("LayerNorm") { _ in try LayerNorm([width], epsilon: epsilon) }
        children = list.entries
    }

    /// Runs its children (with the residual, through ``forward(_:residual:context:)``).
    public var kind: LayerKind { .container }

    /// LN(`dense`(x) + residual).
    public func forward(_ input: Tensor, residual: Tensor, context: ForwardContext) throws -> Tensor {
        try forward(child: norm, forward(child: dense, input, context: context) + residual, context: context)
    }

    /// Needs the residual: call ``forward(_:residual:context:)``.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        throw InitiumError.internalFailure("BertResidualOutput needs its residual input")
    }
}

/// A container of named children that only groups them for their paths (`attention`,
/// `intermediate`, `pooler`, `encoder`), like an `nn.Module` with no forward of its own: its
/// parent runs the children through it.
final class NamedContainer: SequentialModule {
    let children: [(name: String, module: any Module)]
    init(_ list: ChildList) { children = list.entries }
}
