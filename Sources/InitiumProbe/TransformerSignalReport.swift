import Foundation
import InitiumCore
import InitiumNN

/// Token-geometry measures of transformer signal propagation.
public enum TokenGeometry {
    /// Rank collapse (Noci et al., "Signal Propagation in Transformers: Theoretical Perspectives
    /// and the Role of Rank Collapse", NeurIPS 2022): for each sequence X ∈ ℝ^{T×d} of a
    /// `[B, T, d]` batch, ρ = (2/(T(T−1)))·Σ_{i<j} ⟨xᵢ, xⱼ⟩/(‖xᵢ‖‖xⱼ‖), averaged over sequences
    /// (raw cosines, not mean-centred). ρ → 1 means every token carries the same direction. Tokens of
    /// zero norm count as orthogonal to everything. Sums in Double.
    public static func meanPairwiseCosine(_ tokens: Tensor) throws -> Double {
        guard tokens.rank == 3, tokens.shape[1] >= 2 else {
            throw InitiumError.invalidShape(operation: "meanPairwiseCosine", shape: tokens.shape, reason: "expected [batch, tokens ≥ 2, width]")
        }
        let (b, t, d) = (tokens.shape[0], tokens.shape[1], tokens.shape[2])
        return tokens.withUnsafeBufferPointer { p in
            var total = 0.0
            var norms = [Double](repeating: 0, count: t)
            for s in 0..<b {
                let base = s * t * d
                for i in 0..<t {
                    var n = 0.0
                    for k in 0..<d { let v = Double(p[base + i * d + k]); n += v * v }
                    norms[i] = n.squareRoot()
                }
                var sum = 0.0
                for i in 0..<t {
                    for j in (i + 1)..<t where norms[i] > 0 && norms[j] > 0 {
                        var dot = 0.0
                        for k in 0..<d { dot += Double(p[base + i * d + k]) * Double(p[base + j * d + k]) }
                        sum += dot / (norms[i] * norms[j])
                    }
                }
                total += 2 * sum / Double(t * (t - 1))
            }
            return total / Double(max(b, 1))
        }
    }

    /// Attention entropy per head (Zhai et al., "Stabilizing Transformer Training by Preventing
    /// Attention Entropy Collapse", ICML 2023): for probabilities A `[B, H, T, T]` (rows sum to 1),
    /// Ent_h = −(1/(B·T))·Σ_b Σ_i Σ_j A_bhij·ln A_bhij in nats, with 0·ln 0 = 0 (masked keys).
    /// Uniform attention over T keys gives ln T.
    public static func attentionEntropy(_ probabilities: Tensor) throws -> [Double] {
        guard probabilities.rank == 4, probabilities.shape[2] == probabilities.shape[3] || probabilities.shape[2] >= 1 else {
            throw InitiumError.invalidShape(operation: "attentionEntropy", shape: probabilities.shape, reason: "expected [batch, heads, queries, keys]")
        }
        let (b, h, t, k) = (probabilities.shape[0], probabilities.shape[1], probabilities.shape[2], probabilities.shape[3])
        return probabilities.withUnsafeBufferPointer { p in
            (0..<h).map { head in
                var sum = 0.0
                for s in 0..<b {
                    let base = (s * h + head) * t * k
                    for i in 0..<(t * k) {
                        let a = Double(p[base + i])
                        if a > 0 { sum -= a * Foundation.log(a) }
                    }
                }
                return sum / Double(max(b * t, 1))
            }
        }
    }
}

/// Signal propagation through a transformer at initialization, block by block, on one batch:
/// the residual stream's variance and its growth, rank collapse (``TokenGeometry/meanPairwiseCosine(_:)``),
/// attention entropy per head (``TokenGeometry/attentionEntropy(_:)``) and the gradient norm of
/// each block's parameters, with a verdict per block and a summary.
///
/// Blocks are the modules that adopt ``TransformerBlockLayer``; attention probabilities come from
/// the modules of kind ``LayerKind/attentionProbabilities``, in forward order (one per block).
public struct TransformerSignalReport: Sendable, Codable {
    /// One block's measurements.
    public struct Block: Sendable, Codable {
        /// The block's path (`transformer.h.3`).
        public var name: String
        /// Variance of the block's output over all entries (the residual stream after the block).
        public var variance: Double
        /// Its ratio to the previous block's (to the embedding's for the first block).
        public var growth: Double
        /// Mean pairwise cosine similarity of the tokens of a sequence after the block.
        public var tokenCosine: Double
        /// Attention entropy of each head, in nats.
        public var attentionEntropy: [Double]
        /// ln T: the entropy of uniform attention over the sequence.
        public var maximumEntropy: Double
        /// ‖∂L/∂θ‖₂ over the block's parameters.
        public var gradientNorm: Double
        /// A short judgement (`ok`, `rank collapse`, `exploding`, `entropy collapse`, …).
        public var verdict: String

        enum CodingKeys: String, CodingKey {
            case name, variance, growth, tokenCosine = "token_cosine", attentionEntropy = "attention_entropy"
            case maximumEntropy = "max_entropy", gradientNorm = "gradient_norm", verdict
        }
    }

    /// The blocks in forward order.
    public var blocks: [Block]
    /// Variance and token cosine of the input embedding (before the first block).
    public var embeddingVariance: Double, embeddingCosine: Double
    /// One line on the whole network.
    public var summary: String

    enum CodingKeys: String, CodingKey {
        case blocks, embeddingVariance = "embedding_variance", embeddingCosine = "embedding_cosine", summary
    }

    /// Measures `model` on `inputs` (token ids `[B, T]`), with gradients of the cross-entropy
    /// against `labels` (one per output row). Thresholds: token cosine > 0.9 is rank collapse;
    /// mean head entropy below 10% of ln T is entropy collapse; variance growth above 4 per block
    /// is exploding (for blocks that do not end in a LayerNorm: pre-LN and unnormalized ones); a
    /// block gradient norm below 10⁻⁶ of the largest is vanishing.
    public init(model: any Module, inputs: Tensor, labels: [Int32]) throws {
        guard inputs.rank == 2 else {
            throw InitiumError.invalidShape(operation: "TransformerSignalReport", shape: inputs.shape, reason: "expected token ids [batch, tokens]")
        }
        let paths = Dictionary(model.namedModules.map { (ObjectIdentifier($0.module), $0.path) }, uniquingKeysWith: { a, _ in a })
        var blockOutputs: [(path: String, output: Tensor, normalizesOutput: Bool)] = []
        var attention: [Tensor] = []
        var reported: [(path: String, module: any Module, output: Tensor)] = []
        let context = ForwardContext(mode: .inference, recordsGradients: true)
        context.observer = { module, y in
            let path = paths[ObjectIdentifier(module)] ?? "?"
            if let block = module as? any TransformerBlockLayer {
                blockOutputs.append((path, y.detached(), block.normalization == .post || block.normalization == .deepnorm))
            } else if module.kind == .attentionProbabilities {
                attention.append(y.detached())
            }
            if blockOutputs.isEmpty { reported.append((path, module, y.detached())) }
        }
        model.zeroGradients()
        let output = try model.forward(inputs, context: context)
        try output.softmaxCrossEntropy(labels: labels).backward()
        let blockPaths = blockOutputs.map(\.path)
        let gradients: [Double] = blockPaths.map { path in
            var sum = 0.0
            for (name, parameter) in model.namedParameters where name.hasPrefix(path + ".") {
                guard let g = parameter.gradient else { continue }
                g.withUnsafeBufferPointer { p in for v in p { sum += Double(v) * Double(v) } }
            }
            return sum.squareRoot()
        }
        model.zeroGradients()
        guard !blockOutputs.isEmpty else {
            throw InitiumError.invalidArgument("the model has no transformer blocks to report on")
        }
        let embedding = try Self.blockInput(blockOutputs[0].path, reported: reported, batch: inputs.shape)
        let embeddingVariance = embedding.map { $0.moments.variance } ?? .nan
        let embeddingCosine = try embedding.map { try TokenGeometry.meanPairwiseCosine($0) } ?? .nan
        let maximumEntropy = Foundation.log(Double(inputs.shape[1]))
        let largestGradient = gradients.max() ?? 0
        var previous = embeddingVariance
        var blocks: [Block] = []
        for (index, entry) in blockOutputs.enumerated() {
            let variance = entry.output.moments.variance
            let cosine = try TokenGeometry.meanPairwiseCosine(entry.output)
            let entropy = index < attention.count ? try TokenGeometry.attentionEntropy(attention[index]) : []
            let growth = previous > 0 ? variance / previous : .nan
            previous = variance
            var problems: [String] = []
            if cosine > 0.9 { problems.append("rank collapse") }
            if !entropy.isEmpty, entropy.reduce(0, +) / Double(entropy.count) < 0.1 * maximumEntropy { problems.append("entropy collapse") }
            // a post-LN or DeepNorm block ends in a LayerNorm, so its growth is the norm's rescaling
            if growth > 4, !entry.normalizesOutput { problems.append("exploding") }
            if !variance.isFinite { problems.append("non-finite") }
            if largestGradient > 0, gradients[index] < 1e-6 * largestGradient { problems.append("vanishing gradient") }
            blocks.append(Block(
                name: entry.path, variance: variance, growth: growth, tokenCosine: cosine, attentionEntropy: entropy,
                maximumEntropy: maximumEntropy, gradientNorm: gradients[index], verdict: problems.isEmpty ? "ok" : problems.joined(separator: ", ")))
        }
        self.blocks = blocks
        self.embeddingVariance = embeddingVariance
        self.embeddingCosine = embeddingCosine
        let last = blocks[blocks.count - 1]
        let flagged = blocks.filter { $0.verdict != "ok" }.count
        summary = String(
            format: "%d blocks: residual variance %.3g → %.3g (×%.3g per block), token cosine %.3f → %.3f%@",
            blocks.count, embeddingVariance, last.variance,
            Foundation.pow(last.variance / max(embeddingVariance, 1e-30), 1 / Double(blocks.count)),
            embeddingCosine, last.tokenCosine,
            flagged == 0 ? "; no block flagged" : "; \(flagged) blocks flagged (first: \(blocks.first { $0.verdict != "ok" }!.name): \(blocks.first { $0.verdict != "ok" }!.verdict))")
    }

    /// The first block's input `[B, T, d]`, from the outputs reported before the first block ended:
    /// the last output of a module outside the block if it is not an embedding table (BERT's
    /// embedding LayerNorm), else the sum of the embedding tables' lookups (GPT's wte + wpe).
    private static func blockInput(
        _ block: String, reported: [(path: String, module: any Module, output: Tensor)], batch: [Int]
    ) throws -> Tensor? {
        let outside = reported.filter { !$0.path.hasPrefix(block + ".") && $0.path != block }
        let isTable: (any Module) -> Bool = { module in
            !module.roles.isDisjoint(with: [.embedding, .positionEmbedding]) || (module as? any WeightedLayer)?.weightKind == .embedding
        }
        guard let last = outside.last(where: { $0.output.rank == 3 }) else { return nil }
        guard isTable(last.module) else { return last.output }
        var sum: Tensor?
        for entry in outside where isTable(entry.module) {
            sum = try sum.map { try ($0 + entry.output).detached() } ?? entry.output
        }
        guard let sum, sum.rank == 3, sum.shape[0] == batch[0] else { return last.output }
        return sum
    }
}
