import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// The `gpt:` and `bert:` families: parsing with defaults and typed values, refusals with the
/// parameter named, parameter counts, the tied head, context limits, the pretrained loader on a
/// tiny Hugging Face directory written here, sentence embeddings, thread determinism, training.
@Suite("Transformer model families")
struct TransformerModelTests {
    @Test func gptParsesWithDefaults() throws {
        let spec = try ModelSpec("gpt:layers=4,width=128,heads=4,context=128")
        let c = try #require(spec.configuration as? GPT.Configuration)
        #expect(c == (try GPT.Configuration(layers: 4, width: 128, heads: 4, context: 128, norm: .pre, ffn: 512, tied: true)))
        let post = try #require(try ModelSpec("GPT:Layers=2,width=32,heads=4,context=16,norm=Post,ffn=64,tie=false").configuration as? GPT.Configuration)
        #expect(post.norm == .post && post.ffn == 64 && !post.tied && post.fused)
    }

    @Test(arguments: [
        ("gpt:layers=2,width=30,heads=4,context=16", "heads"), ("gpt:layers=2,width=32,heads=4", "context"),
        ("gpt:layers=2,width=32,heads=4,context=16,norm=side", "norm"), ("gpt:layers=2,width=32,heads=4,context=16,tie=yes", "tie"),
        ("gpt:layers=2,width=32,heads=4,context=16,depth=3", "depth"), ("gpt:layers=0,width=32,heads=4,context=16", "layers"),
        ("bert:layers=2,width=30,heads=4,ffn=64", "heads"), ("bert:layers=2,width=32,heads=4", "ffn"),
        ("bert:layers=2,width=32,heads=4,ffn=64,pool=max", "pool"), ("bert:pretrained=/nonexistent/dir", "config.json"),
        ("bert:pretrained=/tmp,layers=2", "layers"),
    ])
    func badSpecsNameTheParameter(text: String, fragment: String) throws {
        let error = #expect(throws: InitiumError.self) { try ModelSpec(text) }
        #expect("\(error!)".contains(fragment), "\(error!)")
    }

    /// `parameterCount` (used to refuse absurd sizes) equals the built model's count; the tied
    /// head owns nothing, so `wte` is counted (and optimized) once.
    @Test(arguments: [
        "gpt:layers=2,width=32,heads=4,context=16", "gpt:layers=1,width=16,heads=2,context=8,norm=none,tie=false,ffn=24",
        "gpt:layers=2,width=16,heads=4,context=8,norm=deepnorm,fused=false", "bert:layers=2,width=16,heads=4,ffn=32,vocab=50,context=12",
        "bert:layers=1,width=16,heads=2,ffn=32,vocab=50,context=12,pool=cls",
    ])
    func parameterCountsMatchTheModels(text: String) throws {
        let spec = try ModelSpec(text)
        let classes = text.hasPrefix("gpt") ? 256 : 5
        let model = try spec.build(activation: .relu, inputShape: [8], classCount: classes, key: nil)
        let classifier = text.hasPrefix("bert") ? 16 * classes + classes : 0
        #expect(spec.configuration.parameterCount! + classifier == model.parameterCount)
        #expect(Set(model.parameters.map(ObjectIdentifier.init)).count == model.parameters.count)
        if text.hasPrefix("gpt"), !text.contains("tie=false") {
            #expect(model.namedParameters.filter { $0.path.hasPrefix("lm_head") }.isEmpty)
        }
        // absurd sizes are refused before allocation: too large for memory, or overflowing
        #expect(try GPT.Configuration(layers: 1000, width: 1_000_000, heads: 1, context: 2).parameterCount! > 12_000_000_000_000_000)
        #expect(throws: InitiumError.self) { try ModelSpec("gpt:layers=1000,width=1000000,heads=1,context=2") }
        #expect(throws: InitiumError.self) { try ModelSpec("gpt:layers=1000000,width=1000000,heads=1,context=2") }
    }

    @Test func gptNamesFollowNanoGPT() throws {
        let model = try ModelSpec("gpt:layers=1,width=8,heads=2,context=4").build(activation: .relu, inputShape: [4], classCount: 256, key: nil)
        #expect(model.namedParameters.map(\.path) == [
            "transformer.wte.weight", "transformer.wpe.weight", "transformer.h.0.ln_1.weight", "transformer.h.0.ln_1.bias",
            "transformer.h.0.attn.c_attn.weight", "transformer.h.0.attn.c_attn.bias", "transformer.h.0.attn.c_proj.weight",
            "transformer.h.0.attn.c_proj.bias", "transformer.h.0.ln_2.weight", "transformer.h.0.ln_2.bias",
            "transformer.h.0.mlp.c_fc.weight", "transformer.h.0.mlp.c_fc.bias", "transformer.h.0.mlp.c_proj.weight",
            "transformer.h.0.mlp.c_proj.bias", "transformer.ln_f.weight", "transformer.ln_f.bias",
        ])
        let roles = Dictionary(uniqueKeysWithValues: model.namedModules.map { ($0.path, $0.module.roles) })
        #expect(roles["transformer.wte"]!.contains(.embedding) && roles["transformer.wpe"] == [.positionEmbedding])
        #expect(roles["transformer.h.0.mlp.c_proj"] == [.feedForwardOutput, .residualBranchOutput])
        #expect(roles["transformer.h.0.mlp.c_fc"] == [.feedForwardInput] && roles["lm_head"] == [.classifier])
    }

    /// Data longer than the context is refused when building; a longer sequence at run time (a
    /// prompt) is refused naming both lengths; the vocabulary must be 256.
    @Test func gptRefusesSequencesLongerThanItsContext() throws {
        let spec = try ModelSpec("gpt:layers=1,width=8,heads=2,context=4")
        #expect(throws: InitiumError.self) { try spec.build(activation: .relu, inputShape: [5], classCount: 256, key: nil) }
        #expect(throws: InitiumError.self) { try spec.build(activation: .relu, inputShape: [4], classCount: 10, key: nil) }
        let model = try spec.build(activation: .relu, inputShape: [4], classCount: 256, key: RandomKey(seed: 1))
        let error = #expect(throws: InitiumError.self) { try model(Tensor(shape: [1, 6], scalars: [1, 2, 3, 4, 5, 6])) }
        #expect("\(error!)".contains("6") && "\(error!)".contains("context of 4"))
        #expect(try model(Tensor(shape: [3], scalars: [1, 2, 3])).shape == [3, 256])
    }

    /// One training step's gradients and the logits are the same bits at 1 and 2 threads.
    @Test func gptIsBitIdenticalAtOneAndTwoThreads() throws {
        let ids = try Tensor(shape: [4, 16], scalars: (0..<64).map { Float(($0 * 37) % 256) })
        let labels = (0..<64).map { Int32(($0 * 11) % 256) }
        func run(_ threads: Int) throws -> [[UInt32]] {
            try Parallel.withThreadCount(threads) {
                let model = try GPT(try GPT.Configuration(layers: 2, width: 64, heads: 4, context: 16), scope: Scope(key: RandomKey(seed: 3)))
                let logits = try model.forward(ids, context: ForwardContext(mode: .training))
                try logits.softmaxCrossEntropy(labels: labels).backward()
                return [logits.scalars.map(\.bitPattern)] + model.parameters.map { $0.gradient!.scalars.map(\.bitPattern) }
            }
        }
        #expect(try run(1) == run(2))
    }

    /// A small GPT memorizes a fixed batch: Adam lowers the loss below half its start in 30 steps.
    @Test func gptTrains() throws {
        let model = try GPT(try GPT.Configuration(layers: 1, width: 16, heads: 2, context: 8), scope: Scope(key: RandomKey(seed: 4)))
        let ids = try Tensor(shape: [2, 8], scalars: (0..<16).map { Float([104, 101, 108, 108, 111, 32, 119, 111][$0 % 8] + $0 / 8) })
        let labels = (0..<16).map { Int32(($0 * 5 + 3) % 256) }
        let optimizer = Adam(learningRate: 0.01)
        var losses: [Float] = []
        for _ in 0..<30 {
            model.zeroGradients()
            let loss = try model.forward(ids, context: ForwardContext(mode: .training)).softmaxCrossEntropy(labels: labels)
            losses.append(loss.scalar)
            try loss.backward()
            try optimizer.step(model.parameters)
        }
        #expect(losses.last! < 0.5 * losses.first!, "\(losses.first!) → \(losses.last!)")
    }

    // MARK: BERT

    /// A tiny Hugging Face directory: config.json and the safetensors of a scratch BERT under
    /// `bert.`-prefixed names, with the `position_ids` buffer and a pre-training head to ignore.
    private func writeCheckpoint(
        _ directory: URL, config: [String: Any] = [:], edit: (inout [(name: String, array: StoredArray)]) -> Void = { _ in }
    ) throws -> BERT {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var json: [String: Any] = [
            "hidden_size": 16, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 32,
            "max_position_embeddings": 12, "vocab_size": 40, "type_vocab_size": 2, "layer_norm_eps": 1e-12,
            "hidden_act": "gelu", "pad_token_id": 0,
        ]
        json.merge(config) { _, new in new }
        try JSONSerialization.data(withJSONObject: json).write(to: directory.appendingPathComponent("config.json"))
        let source = try BERT(
            BERT.Configuration(layers: 2, width: 16, heads: 4, ffn: 32, vocabulary: 40, context: 12, pooling: .cls), classCount: 2,
            scope: Scope(key: RandomKey(seed: 5)))
        var arrays: [(name: String, array: StoredArray)] = source.namedParameters.filter { !$0.path.hasPrefix("classifier") }
            .map { ("bert." + $0.path, StoredArray($0.parameter.value)) }
        arrays.append(("bert.embeddings.position_ids", StoredArray(try Tensor(shape: [1, 12], scalars: (0..<12).map(Float.init)), as: .int64)))
        arrays.append(("cls.predictions.bias", StoredArray(Tensor.zeros([40]))))
        edit(&arrays)
        try SafeTensorsFile.write(arrays, to: directory.appendingPathComponent("model.safetensors").path)
        return source
    }

    private func temporaryDirectory() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("initium-bert-\(UUID().uuidString)")
    }

    @Test func pretrainedBertLoadsEveryTensorAndAddsAClassifier() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try writeCheckpoint(directory)
        let spec = try ModelSpec("bert:pretrained=\(directory.path)")
        let c = try #require(spec.configuration as? BERT.Configuration)
        #expect(c.layers == 2 && c.width == 16 && c.heads == 4 && c.ffn == 32 && c.vocabulary == 40 && c.context == 12 && c.epsilon == 1e-12)
        let model = try #require(try spec.build(activation: .relu, inputShape: [10], classCount: 3, key: RandomKey(seed: 6)) as? BERT)
        let loaded = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.path, $0.parameter.value) })
        for (path, p) in source.namedParameters where !path.hasPrefix("classifier") && !path.hasPrefix("pooler") {
            #expect(loaded[path] == p.value, "\(path)")
        }
        #expect(model.classifier.weight.shape == [3, 16] && model.classifier.weight.value.scalars.contains { $0 != 0 })
        #expect(model.pooler == nil)
        // [CLS] pooling loads the pooler too
        let cls = try #require(try ModelSpec("bert:pretrained=\(directory.path),pool=cls").build(
            activation: .relu, inputShape: [10], classCount: 3, key: RandomKey(seed: 6)) as? BERT)
        #expect(cls.pooler!.weight.value == source.pooler!.weight.value)
    }

    @Test func pretrainedBertRefusesMismatchedCheckpoints() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func failure(config: [String: Any] = [:], _ edit: @escaping (inout [(name: String, array: StoredArray)]) -> Void = { _ in }) throws -> String {
            _ = try writeCheckpoint(directory, config: config, edit: edit)
            do {
                _ = try ModelSpec("bert:pretrained=\(directory.path)").build(activation: .relu, inputShape: [4], classCount: 2, key: nil)
                return "no error"
            } catch { return "\(error)" }
        }
        let renamed = try failure { $0[3].name = "bert.encoder.layer.7.attention.self.query.weight" }
        #expect(renamed.contains("encoder.layer.7") && renamed.contains("model.safetensors"))
        let reshaped = try failure { $0[0].array = StoredArray(Tensor.zeros([41, 16])) }
        #expect(reshaped.contains("embeddings.word_embeddings.weight") && reshaped.contains("[41, 16]"))
        let missing = try failure { $0.removeAll { $0.name.hasSuffix("output.LayerNorm.bias") } }
        #expect(missing.contains("no tensor named") && missing.contains("LayerNorm.bias"))
        let moreLayers = try failure(config: ["num_hidden_layers": 3])
        #expect(moreLayers.contains("encoder.layer.2"))
        let heads = try failure(config: ["num_attention_heads": 5])
        #expect(heads.contains("num_attention_heads"))
        #expect(try failure(config: ["model_type": "roberta"]).contains("model_type"))
        #expect(try failure(config: ["position_embedding_type": "relative_key"]).contains("position_embedding_type"))
        _ = try writeCheckpoint(directory)
        let file = directory.appendingPathComponent("model.safetensors")
        let data = try Data(contentsOf: file)
        try data.prefix(data.count - 100).write(to: file)
        #expect(throws: InitiumError.self) {
            try ModelSpec("bert:pretrained=\(directory.path)").build(activation: .relu, inputShape: [4], classCount: 2, key: nil)
        }
        try FileManager.default.removeItem(at: file)
        let absent = #expect(throws: InitiumError.self) {
            try ModelSpec("bert:pretrained=\(directory.path)").build(activation: .relu, inputShape: [4], classCount: 2, key: nil)
        }
        #expect("\(absent!)".contains("model.safetensors"))
    }

    /// Sentence embeddings have unit norm and ignore padding: a sentence alone and inside a
    /// padded batch give the same vector; they are the normalized mean of the real tokens' states.
    @Test func sentenceEmbeddingsAreNormalizedMeansOverRealTokens() throws {
        let bert = try BERT(
            BERT.Configuration(layers: 2, width: 16, heads: 4, ffn: 32, vocabulary: 40, context: 12), classCount: 2,
            scope: Scope(key: RandomKey(seed: 7)))
        let alone = try bert.sentenceEmbeddings(Tensor(shape: [1, 4], scalars: [2, 9, 17, 3]))
        let batch = try bert.sentenceEmbeddings(Tensor(shape: [2, 6], scalars: [5, 6, 7, 8, 9, 10, 2, 9, 17, 3, 0, 0]))
        #expect(batch.shape == [2, 16])
        for j in 0..<16 { #expect(abs(alone[0, j] - batch[1, j]) < 1e-5) }
        for row in 0..<2 {
            let norm = (0..<16).map { Double(batch[row, $0]) * Double(batch[row, $0]) }.reduce(0, +).squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        let (hidden, _) = try bert.encode(Tensor(shape: [1, 4], scalars: [2, 9, 17, 3]), context: ForwardContext(mode: .inference))
        let mean = (0..<16).map { j in (0..<4).map { hidden[0, $0, j] }.reduce(0, +) / 4 }
        let norm = mean.map { $0 * $0 }.reduce(0, +).squareRoot()
        for j in 0..<16 { #expect(abs(alone[0, j] - mean[j] / norm) < 1e-5) }
    }
}
