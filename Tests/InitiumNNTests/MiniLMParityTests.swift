import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// Initium's all-MiniLM-L6-v2 against sentence-transformers' embeddings of the same 200 fortunes
/// (mean pooling + L2 normalization of Hugging Face's BertModel; Tests/InitiumNNTests/Fixtures/minilm,
/// made by scripts/make_minilm_embedding_fixture.py from Hugging Face's token ids, 256 at most).
/// Debug builds are slow, so the unit test takes the fixture's first 12 fortunes; the acceptance
/// check runs all 200 through `initium embed` (scripts/check_minilm_embeddings.py).
@Suite("all-MiniLM-L6-v2 parity")
struct MiniLMParityTests {
    @Test(.enabled(if: (try? ModelDirectory.locate(ModelDirectory.miniLM)) != nil, "needs scripts/install-models (make test runs it)"))
    func sentenceEmbeddingsMatchSentenceTransformers() throws {
        let directory = try ModelDirectory.locate(ModelDirectory.miniLM)
        let path = try #require(Bundle.module.url(forResource: "fortune_embeddings", withExtension: "npz", subdirectory: "Fixtures/minilm")).path
        let arrays = Dictionary(uniqueKeysWithValues: try NumPyArchive.read(from: path).map { ($0.name, $0.array.tensor) })
        let ids = try #require(arrays["input_ids_256"]), reference = try #require(arrays["embeddings_256"])
        let model = try ModelSpec("bert:pretrained=\(directory)").build(
            activation: .gelu, inputShape: [ids.shape[1]], classCount: 2, key: RandomKey(seed: 0))
        let bert = try #require(model as? BERT)
        var worst = 1.0
        for start in stride(from: 0, to: 12, by: 4) {
            // one padded batch, trimmed to its longest sentence as the tokenizer pads
            let rows = try ids.slice(axis: 0, start..<start + 4)
            let longest = (0..<rows.shape[0]).map { r in (0..<rows.shape[1]).last { rows[flat: r * rows.shape[1] + $0] != 0 }.map { $0 + 1 } ?? 1 }.max() ?? 1
            let embeddings = try bert.sentenceEmbeddings(try rows.slice(axis: 1, 0..<longest))
            for r in 0..<rows.shape[0] {
                var dot = 0.0, a = 0.0, b = 0.0
                for k in 0..<reference.shape[1] {
                    let (x, y) = (Double(embeddings[flat: r * reference.shape[1] + k]), Double(reference[flat: (start + r) * reference.shape[1] + k]))
                    dot += x * y; a += x * x; b += y * y
                }
                worst = min(worst, dot / (a * b).squareRoot())
            }
        }
        #expect(worst >= 0.99999, "worst cosine \(worst)")
    }
}
