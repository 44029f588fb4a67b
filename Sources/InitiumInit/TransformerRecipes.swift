import Foundation
import InitiumCore
import InitiumNN

/// GPT-2 as nanoGPT initializes it (Radford et al., 2019; karpathy/nanoGPT `model.py`): every
/// Linear weight and both embeddings N(0, σ²) with σ = 0.02, biases 0, LayerNorm 1/0, then the two
/// residual output projections per block (`attn.c_proj`, `mlp.c_proj`) N(0, (σ/√(2L))²).
struct GPT2Recipe: TransformerRecipe {
    let std: Double
    var name: String { "gpt2" }

    func plan(for shape: TransformerShape) throws -> TransformerPlan {
        var draws = Dictionary(uniqueKeysWithValues: TransformerPart.allCases.map { ($0, TransformerDraw.normal(std: std)) })
        let residual = TransformerDraw.normal(std: std / (2 * Double(shape.layers)).squareRoot())
        draws[.attentionOutput] = residual
        draws[.feedForwardOutput] = residual
        return TransformerPlan(draws: draws, values: ["residual_std": std / (2 * Double(shape.layers)).squareRoot()])
    }
}

/// Hugging Face BERT's `_init_weights` (Devlin et al., 2019; `modeling_bert.py`): every Linear and
/// Embedding weight N(0, σ²) with σ = `initializer_range` = 0.02, the word embedding's padding row
/// 0, biases 0, LayerNorm 1/0; no depth scaling.
struct BERTRecipe: TransformerRecipe {
    let std: Double
    var name: String { "bert" }

    func plan(for shape: TransformerShape) throws -> TransformerPlan {
        TransformerPlan(draws: Dictionary(uniqueKeysWithValues: TransformerPart.allCases.map { ($0, .normal(std: std)) }))
    }
}

/// SmallInit embedding (BlinkDL, "LayerNorm(SmallInit(Embedding)) in a Transformer", 2022): the
/// token embedding U(−b, b) with b = 10⁻⁴ and learned positions 0, so the first updates change the
/// directions of the embeddings (which a LayerNorm then amplifies); everything else as ``GPT2Recipe``.
struct SmallEmbeddingRecipe: TransformerRecipe {
    let bound: Double
    var name: String { "small-embed" }

    func plan(for shape: TransformerShape) throws -> TransformerPlan {
        var plan = try GPT2Recipe(std: 0.02).plan(for: shape)
        plan.draws[.tokenEmbedding] = .uniform(bound: bound)
        plan.draws[.positionEmbedding] = .zeros
        return plan
    }
}

/// T-Fixup (Huang, Perez, Ba & Volkovs, ICML 2020; layer6ai-labs/T-Fixup) for a model without
/// LayerNorm (`norm=none`), with N = L blocks: q, k Xavier-uniform with gain 1/√2; v the same times
/// s·√2; attention output and both feed-forward weights Xavier-uniform times s; the token embedding
/// N(0, d⁻¹) times (9N)^(−1/4); learned positions and an untied readout N(0, d⁻¹). The scale s is
/// (9N)^(−1/4) for a decoder (causal attention) and 0.67·N^(−1/4) for an encoder.
struct TFixupRecipe: TransformerRecipe {
    var name: String { "t-fixup" }

    func plan(for shape: TransformerShape) throws -> TransformerPlan {
        guard shape.normalizations == [.none] else {
            throw InitiumError.invalidArgument(
                "t-fixup replaces LayerNorm: build the model with norm=none (it has \(shape.normalizations.map(\.rawValue).sorted().joined(separator: ", ")))")
        }
        let n = Double(shape.layers)
        let s = shape.isCausal ? pow(9 * n, -0.25) : 0.67 * pow(n, -0.25)
        let embedding = 1 / Double(shape.width).squareRoot()
        let qk = TransformerDraw.xavierUniform(gain: 1 / 2.0.squareRoot())
        return TransformerPlan(
            draws: [
                .query: qk, .key: qk, .value: .scaled(qk, by: s * 2.0.squareRoot()),
                .attentionOutput: .scaled(.xavierUniform(gain: 1), by: s),
                .feedForwardInput: .scaled(.xavierUniform(gain: 1), by: s),
                .feedForwardOutput: .scaled(.xavierUniform(gain: 1), by: s),
                .tokenEmbedding: .scaled(.normal(std: embedding), by: pow(9 * n, -0.25)),
                .positionEmbedding: .normal(std: embedding), .otherEmbedding: .normal(std: embedding),
                .readout: .normal(std: embedding), .otherWeight: .xavierUniform(gain: 1),
            ],
            values: ["scale": s, "layers": n])
    }
}

/// DeepNet (Wang, Ma, Dong, Huang, Zhang & Wei, "DeepNet: Scaling Transformers to 1,000 Layers",
/// 2022) for post-LN blocks with DeepNorm, x ← LN(α·x + f(x)): α = (2L)^(1/4) and
/// β = (8L)^(−1/4) (the paper's decoder-only and encoder-only rows); q, k Xavier-normal with gain 1;
/// v, attention output and both feed-forward weights Xavier-normal with gain β; embeddings and an
/// untied readout N(0, 0.02²) as GPT-2.
struct DeepNetRecipe: TransformerRecipe {
    var name: String { "deepnet" }

    /// α and β for L blocks (encoder-only or decoder-only).
    static func constants(layers: Int) -> (alpha: Double, beta: Double) {
        (pow(2 * Double(layers), 0.25), pow(8 * Double(layers), -0.25))
    }

    func plan(for shape: TransformerShape) throws -> TransformerPlan {
        guard shape.normalizations == [.deepnorm] else {
            throw InitiumError.invalidArgument(
                "deepnet needs DeepNorm blocks: build the model with norm=deepnorm (it has \(shape.normalizations.map(\.rawValue).sorted().joined(separator: ", ")))")
        }
        let (alpha, beta) = Self.constants(layers: shape.layers)
        let one = TransformerDraw.xavierNormal(gain: 1), scaled = TransformerDraw.xavierNormal(gain: beta)
        return TransformerPlan(
            draws: [
                .query: one, .key: one, .value: scaled, .attentionOutput: scaled, .feedForwardInput: scaled, .feedForwardOutput: scaled,
                .tokenEmbedding: .normal(std: 0.02), .positionEmbedding: .normal(std: 0.02), .otherEmbedding: .normal(std: 0.02),
                .readout: .normal(std: 0.02), .otherWeight: one,
            ],
            skipScale: Float(alpha), values: ["alpha": alpha, "beta": beta])
    }
}

/// μP, the maximal-update parametrization for Adam (Yang, Hu et al., "Tensor Programs V", 2022;
/// microsoft/mup), with width multiplier m = d/d₀ against a base width d₀: embeddings N(0, σ²)
/// (input weights: width-independent), hidden weights (q, k, v, attention output, feed-forward)
/// N(0, σ²/m) with learning rate η/m, the query projection and the readout zero (mup's README and
/// `readout_zero_init`) with learning rate η/m, biases and norms at η, and attention logits scaled
/// by 1/(m·√d_head,₀) ∝ 1/d_head (equal to 1/√d_head at the base width, where μP is the standard
/// parametrization). Needs an untied readout (`tie=false`).
struct MaximalUpdateRecipe: TransformerRecipe {
    let baseWidth: Int
    let std: Double
    let zeroQuery: Bool
    var name: String { "mup" }

    func plan(for shape: TransformerShape) throws -> TransformerPlan {
        guard shape.hasOwnReadout else {
            throw InitiumError.invalidArgument("mup needs a readout of its own, not tied to the embedding: build the model with tie=false")
        }
        let m = Double(shape.width) / Double(baseWidth)
        let hidden = TransformerDraw.normal(std: std / m.squareRoot())
        let baseHeadDimension = Double(shape.headDimension) / m
        let hiddenRate = Float(1 / m)
        return TransformerPlan(
            draws: [
                .query: zeroQuery ? .zeros : hidden, .key: hidden, .value: hidden, .attentionOutput: hidden,
                .feedForwardInput: hidden, .feedForwardOutput: hidden,
                .tokenEmbedding: .normal(std: std), .positionEmbedding: .normal(std: std), .otherEmbedding: .normal(std: std),
                .readout: .zeros, .otherWeight: hidden,
            ],
            logitScale: Float(1 / (m * baseHeadDimension.squareRoot())),
            learningRateMultipliers: [
                .query: hiddenRate, .key: hiddenRate, .value: hiddenRate, .attentionOutput: hiddenRate,
                .feedForwardInput: hiddenRate, .feedForwardOutput: hiddenRate, .otherWeight: hiddenRate, .readout: hiddenRate,
            ],
            values: ["width_multiplier": m, "base_width": Double(baseWidth)])
    }
}

extension SchemeCatalog {
    /// The transformer recipes: GPT-2, BERT, SmallInit embedding, T-Fixup, DeepNet and μP.
    static let transformerEntries: [Entry] = [keepEntry,
        Entry(name: "gpt2", parameters: [ParameterInfo(name: "std", defaultValue: "0.02", summary: "σ of weights and embeddings")],
              summary: "transformers: N(0, σ²) everywhere, residual output projections σ/√(2L), biases 0",
              reference: "Radford et al. 2019; nanoGPT", level: .model) { spec in
            .model(TransformerInitializer(recipe: GPT2Recipe(std: try positive(spec, "std", default: 0.02))))
        },
        Entry(name: "bert", parameters: [ParameterInfo(name: "std", defaultValue: "0.02", summary: "initializer_range")],
              summary: "transformers: N(0, σ²) for every Linear and Embedding, padding row 0, biases 0",
              reference: "Devlin et al. 2019; Hugging Face _init_weights", level: .model) { spec in
            .model(TransformerInitializer(recipe: BERTRecipe(std: try positive(spec, "std", default: 0.02))))
        },
        Entry(name: "small-embed", parameters: [ParameterInfo(name: "bound", defaultValue: "0.0001", summary: "token embedding U(±bound)")],
              summary: "transformers: token embedding U(±1e-4), positions 0, the rest as gpt2",
              reference: "BlinkDL, SmallInitEmb 2022", level: .model) { spec in
            .model(TransformerInitializer(recipe: SmallEmbeddingRecipe(bound: try positive(spec, "bound", default: 1e-4))))
        },
        Entry(name: "t-fixup", parameters: [],
              summary: "transformers without LayerNorm: Xavier, v/out/FFN × (9N)^(-1/4) (decoder) or 0.67·N^(-1/4) (encoder)",
              reference: "Huang et al., ICML 2020", level: .model) { _ in
            .model(TransformerInitializer(recipe: TFixupRecipe()))
        },
        Entry(name: "deepnet", parameters: [],
              summary: "DeepNorm blocks: skip α = (2L)^(1/4); v/out/FFN Xavier-normal gain β = (8L)^(-1/4)",
              reference: "Wang et al., DeepNet 2022", level: .model) { _ in
            .model(TransformerInitializer(recipe: DeepNetRecipe()))
        },
        Entry(name: "mup",
              parameters: [ParameterInfo(name: "base", defaultValue: "64", summary: "base width d₀ (μP equals SP there)"),
                           ParameterInfo(name: "std", defaultValue: "0.02", summary: "σ at the base width"),
                           ParameterInfo(name: "zero-query", defaultValue: "1", summary: "1 zero-initializes the query projection")],
              summary: "μP for Adam: hidden N(0, σ²/m) with lr/m, zero readout and query, logits ∝ 1/d_head",
              reference: "Yang, Hu et al., Tensor Programs V 2022", level: .model) { spec in
            let base = try positiveInteger(spec, "base") ?? 64
            let zeroQuery = try spec.number("zero-query", default: 1, kind: kind)
            guard zeroQuery == 0 || zeroQuery == 1 else {
                throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "'zero-query' must be 0 or 1")
            }
            return .model(TransformerInitializer(recipe: MaximalUpdateRecipe(
                baseWidth: base, std: try positive(spec, "std", default: 0.02), zeroQuery: zeroQuery == 1)))
        },
    ]
}

/// Leaves every parameter as the model was built: the layers' construction-time defaults
/// (PyTorch's), or a checkpoint's weights for a model built from one (`bert:pretrained=DIR`,
/// whose fresh classifier keeps PyTorch's Linear default) — fine-tuning from pretrained weights.
struct KeepRecipe: ModelInitializer {
    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        InitializationLog(entries: [.init(path: "", action: "keep: weights as built")])
    }
}

extension SchemeCatalog {
    /// `keep`: no re-initialization (fine-tuning a pretrained model).
    static let keepEntry = Entry(
        name: "keep", parameters: [],
        summary: "no re-initialization: the model's weights as built (PyTorch defaults, or a pretrained checkpoint's)",
        reference: "fine-tuning (e.g. bert:pretrained=DIR)", level: .model
    ) { _ in .model(KeepRecipe()) }
}
