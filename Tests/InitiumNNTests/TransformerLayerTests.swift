import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// Transformer layers: gradients against finite differences (tolerance of
/// ``expectModuleGradientsMatchFiniteDifferences``), masks, the observed attention
/// probabilities, per-block fans of the fused projection, and embedding initialization.
@Suite("Transformer layers")
struct TransformerLayerTests {
    static let ids = try! Tensor(shape: [2, 5], scalars: [3, 0, 7, 7, 1, 2, 9, 0, 0, 4])

    @Test func embeddingGradients() throws {
        // without a padding index: the padding row's gradient is 0 by definition, not by calculus
        let embedding = try Embedding(10, 4, scope: Scope(key: RandomKey(seed: 1)))
        try expectModuleGradientsMatchFiniteDifferences(embedding, input: Self.ids, entries: 40, differentiableInput: false)
    }

    /// PyTorch's default: N(0, 1) entries (sample moments within 5 standard errors) and the
    /// padding row exactly zero, which an SGD step leaves at zero (no gradient reaches it).
    @Test func embeddingInitializationAndPaddingRow() throws {
        let embedding = try Embedding(400, 50, paddingIndex: 3, scope: Scope(key: RandomKey(seed: 2)))
        let values = embedding.weight.value.scalars
        #expect(values[150..<200].allSatisfy { $0 == 0 })
        let others = values.enumerated().filter { $0.offset / 50 != 3 }.map { Double($0.element) }
        let mean = others.reduce(0, +) / Double(others.count)
        let variance = others.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(others.count)
        #expect(abs(mean) < 5 / Double(others.count).squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / Double(others.count)).squareRoot())
        let ids = try Tensor(shape: [1, 4], scalars: [3, 1, 3, 2])
        try embedding.forward(ids, context: ForwardContext(mode: .training)).sum().backward()
        try SGD(learningRate: 0.5).step(embedding.parameters)
        #expect(embedding.weight.value.scalars[150..<200].allSatisfy { $0 == 0 })
        #expect(embedding.weight.value.scalars[50..<100] != values[50..<100])
        #expect(throws: InitiumError.self) { try Embedding(4, 2, paddingIndex: 4, scope: Scope(key: nil)) }
    }

    @Test func rmsNormGradients() throws {
        let norm = try RMSNorm(6)
        norm.weight.value = layerTestTensor([6], seed: 3, low: 0.5, high: 1.5)
        try expectModuleGradientsMatchFiniteDifferences(norm, input: layerTestTensor([2, 3, 6], seed: 4), entries: 36)
    }

    @Test(arguments: [(true, true), (true, false), (false, true), (false, false)])
    func attentionGradients(fused: Bool, causal: Bool) throws {
        let attention = try MultiHeadAttention(
            width: 8, heads: 2, causal: causal, projections: fused ? .fused("c_attn") : .separate(query: "q", key: "k", value: "v"),
            outputName: "c_proj", scope: Scope(key: RandomKey(seed: 5)))
        try expectModuleGradientsMatchFiniteDifferences(attention, input: layerTestTensor([2, 4, 8], seed: 6), entries: 16)
    }

    /// With key padding, a padded key changes nothing: the output at real positions is the same
    /// whatever the padded position holds (and equals running the unpadded sequence alone).
    @Test func attentionIgnoresPaddedKeys() throws {
        let attention = try MultiHeadAttention(
            width: 8, heads: 2, causal: false, projections: .fused("c_attn"), outputName: "c_proj", scope: Scope(key: RandomKey(seed: 7)))
        let x = layerTestTensor([1, 4, 8], seed: 8)
        var changed = x
        for j in 0..<8 { changed[0, 3, j] = 5 }
        let context = ForwardContext(mode: .inference)
        context.keyPadding = [false, false, false, true]
        let a = try attention.forward(x, context: context), b = try attention.forward(changed, context: context)
        let alone = try attention.forward(x.slice(axis: 1, 0..<3), context: ForwardContext(mode: .inference))
        for i in 0..<(3 * 8) {
            #expect(a[flat: i] == b[flat: i])
            #expect(abs(a[flat: i] - alone[flat: i]) < 1e-6)
        }
    }

    /// Causal: the output at position i does not depend on later positions.
    @Test func causalAttentionDoesNotLookAhead() throws {
        let attention = try MultiHeadAttention(
            width: 8, heads: 4, causal: true, projections: .fused("c_attn"), outputName: "c_proj", scope: Scope(key: RandomKey(seed: 9)))
        let x = layerTestTensor([1, 5, 8], seed: 10)
        var changed = x
        for j in 0..<8 { changed[0, 4, j] += 1 }
        let a = try attention(x), b = try attention(changed)
        #expect(Array(a.scalars[0..<32]) == Array(b.scalars[0..<32]))
        #expect(a.scalars[32..<40] != b.scalars[32..<40])
    }

    /// The probabilities `[batch, heads, T, T]` reach observers, rows sum to 1, the causal upper
    /// triangle is 0; the logit scale is 1/√d_head and changing it changes them.
    @Test func attentionProbabilitiesAreObservedAndScaled() throws {
        let model = try GPT(GPT.Configuration(layers: 1, width: 8, heads: 2, context: 6), scope: Scope(key: RandomKey(seed: 11)))
        var observed: [Tensor] = []
        let context = ForwardContext(mode: .inference)
        context.observer = { module, output in if module.kind == .attentionProbabilities { observed.append(output) } }
        let ids = try Tensor(shape: [1, 4], scalars: [1, 2, 3, 4])
        _ = try model.forward(ids, context: context)
        let p = try #require(observed.first)
        #expect(observed.count == 1 && p.shape == [1, 2, 4, 4])
        for row in 0..<8 {
            let values = (0..<4).map { p[flat: row * 4 + $0] }
            #expect(abs(values.reduce(0, +) - 1) < 1e-6)
            #expect(values[(row % 4 + 1)...].allSatisfy { $0 == 0 })
        }
        let attention = model.transformer.blocks.layers[0] as! TransformerBlock
        #expect(attention.attention.scale == 0.5)
        attention.attention.scale = 0
        observed = []
        _ = try model.forward(ids, context: context)
        #expect((0..<4).map { observed[0][flat: 12 + $0] } == [0.25, 0.25, 0.25, 0.25])
    }

    /// The fused `[3d, d]` projection gives initializers one block's fans; roles per the contract.
    @Test func fusedProjectionHasPerBlockFansAndRoles() throws {
        let attention = try MultiHeadAttention(
            width: 16, heads: 4, causal: true, projections: .fused("c_attn"), outputName: "c_proj", scope: Scope(key: nil))
        let layout = try attention.queryKeyValue!.weightLayout
        #expect(layout.shape == [48, 16] && layout.fanIn == 16 && layout.fanOut == 16)
        #expect(attention.queryKeyValue!.roles == [.attentionQueryKeyValue])
        #expect(attention.output!.roles == [.attentionOutput, .residualBranchOutput])
        #expect(throws: InitiumError.self) {
            try MultiHeadAttention(width: 10, heads: 4, causal: true, projections: .fused("c_attn"), outputName: nil, scope: Scope(key: nil))
        }
    }

    @Test(arguments: TransformerNorm.allCases)
    func blockGradients(norm: TransformerNorm) throws {
        let block = try TransformerBlock(
            width: 8, heads: 2, inner: 16, norm: norm, causal: true, fused: true, activation: .gelu, alpha: 1.7,
            scope: Scope(key: RandomKey(seed: 12)))
        try expectModuleGradientsMatchFiniteDifferences(block, input: layerTestTensor([2, 3, 8], seed: 13), entries: 12)
        #expect(block.children.map(\.name) == (norm == .none ? ["attn", "mlp"] : ["ln_1", "attn", "ln_2", "mlp"]))
    }

    /// DeepNorm with zero branches: the block is LN(α·LN(α·x)) — α multiplies the skip (with
    /// α on the branch instead, the output would be LN(0 + 0) = 0).
    @Test func deepNormMultipliesTheSkip() throws {
        let block = try TransformerBlock(
            width: 8, heads: 2, inner: 16, norm: .deepnorm, causal: true, fused: true, activation: .gelu, alpha: 3,
            scope: Scope(key: RandomKey(seed: 14)))
        for layer in [block.attention.output!, block.mlp.contract] {
            layer.weight.value = Tensor.zeros(layer.weight.shape)
            layer.bias!.value = Tensor.zeros(layer.bias!.shape)
        }
        let x = layerTestTensor([1, 3, 8], seed: 15)
        let y = try block(x)
        let first = try (x * 3).layerNormalized([8], scale: nil, shift: nil, epsilon: 1e-5)
        let expected = try (first * 3).layerNormalized([8], scale: nil, shift: nil, epsilon: 1e-5)
        for i in 0..<y.count { #expect(abs(y[flat: i] - expected[flat: i]) < 1e-5) }
    }

    @Test func gptAndBertGradients() throws {
        let gpt = try GPT(GPT.Configuration(layers: 1, width: 8, heads: 2, context: 6), scope: Scope(key: RandomKey(seed: 16)))
        try expectModuleGradientsMatchFiniteDifferences(gpt, input: try Tensor(shape: [2, 3], scalars: [1, 200, 3, 255, 0, 7]),
                                                      entries: 6, differentiableInput: false)
        let bert = try BERT(
            BERT.Configuration(layers: 1, width: 8, heads: 2, ffn: 16, vocabulary: 12, context: 6), classCount: 3,
            scope: Scope(key: RandomKey(seed: 17)))
        try expectModuleGradientsMatchFiniteDifferences(bert, input: Self.ids.slice(axis: 1, 0..<4) + 1,
                                                      entries: 6, differentiableInput: false)
    }
}
