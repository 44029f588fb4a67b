import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// The transformer recipes against their papers' formulas, on real `gpt:`/`bert:` models.
struct TransformerRecipeTests {
    /// A model built from `spec` (token inputs of `context` positions) and initialized by `scheme`.
    private func initialized(_ spec: String, _ scheme: String, classes: Int = 256, context: Int = 16) throws -> (any Module, InitializationLog) {
        let model = try ModelSpec(spec).build(activation: try Activation("gelu"), inputShape: [context], classCount: classes, key: RandomKey(seed: 1))
        let log = try Scheme(scheme).apply(to: model, context: InitializationContext(key: RandomKey(seed: 2)))
        return (model, log)
    }

    private func std(_ t: Tensor, rows: Range<Int>? = nil) throws -> Double {
        let x = try rows.map { try t.slice(axis: 0, $0) } ?? t
        return x.moments.variance.squareRoot()
    }

    /// Sample std within 5 standard errors of σ: the std of n draws has relative SE ≈ 1/√(2n).
    private func expectStd(_ t: Tensor, _ sigma: Double, rows: Range<Int>? = nil, _ what: String) throws {
        let n = Double(rows.map { $0.count * t.shape[1] } ?? t.count)
        let measured = try std(t, rows: rows)
        #expect(abs(measured / sigma - 1) < 5 / (2 * n).squareRoot(), "\(what): std \(measured), expected \(sigma)")
    }

    @Test func gpt2ScalesTheResidualProjectionsByTheDepth() throws {
        let (model, log) = try initialized("gpt:layers=6,width=128,heads=4,context=16", "gpt2")
        let p = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.path, $0.parameter.value) })
        try expectStd(try #require(p["transformer.h.0.attn.c_attn.weight"]), 0.02, "c_attn")
        try expectStd(try #require(p["transformer.h.3.mlp.c_fc.weight"]), 0.02, "c_fc")
        try expectStd(try #require(p["transformer.wte.weight"]), 0.02, "wte")
        for path in ["transformer.h.0.attn.c_proj.weight", "transformer.h.5.mlp.c_proj.weight"] {
            try expectStd(try #require(p[path]), 0.02 / 12.0.squareRoot(), path)
        }
        #expect(try #require(p["transformer.h.2.attn.c_attn.bias"]).scalars.allSatisfy { $0 == 0 })
        #expect(try #require(p["transformer.h.2.ln_1.weight"]).scalars.allSatisfy { $0 == 1 })
        // the tied head owns no tensor: the table is drawn once and counted once
        #expect(p["lm_head.weight"] == nil)
        #expect(log.learningRateMultipliers.isEmpty)
    }

    @Test func bertZeroesThePaddingRowOnly() throws {
        let (model, _) = try initialized("bert:layers=2,width=64,heads=4,ffn=128,vocab=500,context=32", "bert", classes: 3)
        let p = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.path, $0.parameter.value) })
        let words = try #require(p["embeddings.word_embeddings.weight"])
        #expect(try words.slice(axis: 0, 0..<1).scalars.allSatisfy { $0 == 0 })
        try expectStd(words, 0.02, rows: 1..<500, "word embeddings")
        #expect(try #require(p["embeddings.position_embeddings.weight"]).slice(axis: 0, 0..<1).scalars.contains { $0 != 0 })
        try expectStd(try #require(p["encoder.layer.1.output.dense.weight"]), 0.02, "output.dense (no depth scaling)")
    }

    @Test func deepNetSetsAlphaAndScalesValueOutputAndFeedForwardByBeta() throws {
        let layers = 6
        let (model, log) = try initialized("gpt:layers=\(layers),width=128,heads=4,context=16,norm=deepnorm", "deepnet")
        let (alpha, beta) = (pow(2 * Double(layers), 0.25), pow(8 * Double(layers), -0.25))
        #expect(abs(DeepNetRecipe.constants(layers: 24).alpha - 2.6321) < 1e-4 && abs(DeepNetRecipe.constants(layers: 24).beta - 0.2686) < 1e-4)
        for block in model.namedModules.compactMap({ $0.module as? any TransformerBlockLayer }) {
            #expect(abs(Double(block.skipScale) - alpha) < 1e-6)
        }
        let p = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.path, $0.parameter.value) })
        let qkv = try #require(p["transformer.h.1.attn.c_attn.weight"])
        let xavier = (2.0 / 256).squareRoot()
        try expectStd(qkv, xavier, rows: 0..<128, "query (gain 1)")
        try expectStd(qkv, xavier, rows: 128..<256, "key (gain 1)")
        try expectStd(qkv, beta * xavier, rows: 256..<384, "value (gain β)")
        try expectStd(try #require(p["transformer.h.1.attn.c_proj.weight"]), beta * xavier, "attention output")
        try expectStd(try #require(p["transformer.h.1.mlp.c_fc.weight"]), beta * (2.0 / (128 + 512)).squareRoot(), "c_fc")
        #expect(log.entries.contains { $0.values["beta"].map { abs($0 - beta) < 1e-12 } ?? false })
        #expect(throws: InitiumError.self) { try initialized("gpt:layers=2,width=64,heads=4,context=16,norm=pre", "deepnet") }
    }

    @Test func tFixupScalesADecoderWithoutNormalization() throws {
        let n = 6.0
        let (model, _) = try initialized("gpt:layers=6,width=128,heads=4,context=16,norm=none", "t-fixup")
        let s = pow(9 * n, -0.25)
        let p = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.path, $0.parameter.value) })
        let qkv = try #require(p["transformer.h.0.attn.c_attn.weight"])
        let xavier = (2.0 / 256).squareRoot()
        try expectStd(qkv, xavier / 2.0.squareRoot(), rows: 0..<128, "query")
        try expectStd(qkv, xavier * s, rows: 256..<384, "value: gain 1/√2 · s · √2")
        try expectStd(try #require(p["transformer.h.0.mlp.c_proj.weight"]), s * (2.0 / 640).squareRoot(), "c_proj")
        try expectStd(try #require(p["transformer.wte.weight"]), s / 128.0.squareRoot(), "token embedding")
        #expect(throws: InitiumError.self) { try initialized("gpt:layers=2,width=64,heads=4,context=16", "t-fixup") }
    }

    @Test func muPZeroesReadoutAndQueryAndRecordsHiddenLearningRates() throws {
        let (model, log) = try initialized("gpt:layers=2,width=256,heads=4,context=16,tie=false", "mup(base=64)")
        let m = 4.0
        let p = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.path, $0.parameter.value) })
        #expect(try #require(p["lm_head.weight"]).scalars.allSatisfy { $0 == 0 })
        let qkv = try #require(p["transformer.h.0.attn.c_attn.weight"])
        #expect(try qkv.slice(axis: 0, 0..<256).scalars.allSatisfy { $0 == 0 })
        try expectStd(qkv, 0.02 / m.squareRoot(), rows: 256..<768, "keys and values")
        try expectStd(try #require(p["transformer.wte.weight"]), 0.02, "embedding: width-independent")
        #expect(log.learningRateMultipliers["transformer.h.0.mlp.c_fc.weight"] == Float(1 / m))
        #expect(log.learningRateMultipliers["lm_head.weight"] == Float(1 / m))
        #expect(log.learningRateMultipliers["transformer.wte.weight"] == nil)
        let attention = try #require(model.namedModules.compactMap { $0.module as? any AttentionLayer }.first)
        // 1/(m·√(d_head/m)) with d_head = 64: 1/√(64·4) = 1/16 — ∝ 1/d_head, 1/√d_head at the base width
        #expect(abs(attention.logitScale - 1 / 16) < 1e-7)
        #expect(throws: InitiumError.self) { try initialized("gpt:layers=2,width=64,heads=4,context=16", "mup") }
    }

    @Test func keepLeavesEveryParameterAsBuilt() throws {
        let model = try ModelSpec("gpt:layers=1,width=32,heads=4,context=8").build(
            activation: try Activation("gelu"), inputShape: [8], classCount: 256, key: RandomKey(seed: 3))
        let before = model.namedParameters.map { $0.parameter.value.scalars }
        try Scheme("keep").apply(to: model, context: InitializationContext(key: RandomKey(seed: 4)))
        #expect(model.namedParameters.map { $0.parameter.value.scalars } == before)
    }

    @Test func transformerSchemesRefuseOtherModels() throws {
        let model = try ModelSpec("mlp:784-32-10").build(activation: try Activation("relu"), inputShape: [784], classCount: 10, key: RandomKey(seed: 0))
        for scheme in ["gpt2", "bert", "small-embed", "t-fixup", "deepnet", "mup"] {
            #expect(throws: InitiumError.self) { try Scheme(scheme).apply(to: model, context: InitializationContext(key: RandomKey(seed: 0))) }
        }
    }
}
