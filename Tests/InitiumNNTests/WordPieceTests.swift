import Foundation
import InitiumCore
import Testing

@testable import InitiumNN

private func fixture(_ name: String) throws -> String {
    try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/wordpiece")).path
}

private struct TrickyCases: Decodable {
    struct Case: Decodable {
        let text: String
        let pieces: [String]
        let ids: [Int32]
        let ids_max_length_8: [Int32]
    }
    let cases: [Case]
}

private let installedMiniLM = (try? ModelDirectory.locate(ModelDirectory.miniLM)) != nil
private let installedFortunes = FileManager.default.fileExists(atPath: FortuneCorpus.defaultDirectory + "/cookie")

/// FNV-1a 64 of the ids as little-endian int32, as scripts/make_wordpiece_fixture.py hashes them.
private func fnv1a64(_ ids: [Int32]) -> [UInt8] {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for id in ids {
        withUnsafeBytes(of: id.littleEndian) { bytes in
            for b in bytes {
                h ^= UInt64(b)
                h = h &* 0x100_0000_01B3
            }
        }
    }
    return withUnsafeBytes(of: h.littleEndian) { Array($0) }
}

@Suite("WordPiece tokenizer")
struct WordPieceTests {
    /// Accents, punctuation, CJK, control characters, Unicode whitespace, over-long words, `##`
    /// pieces and special tokens in raw text give Hugging Face's BertTokenizer's ids
    /// (scripts/make_wordpiece_fixture.py, with a committed mini vocabulary).
    @Test func trickyStringsMatchHuggingFace() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: fixture("tricky_cases.json")))
        let cases = try JSONDecoder().decode(TrickyCases.self, from: data).cases
        let tokenizer = WordPieceTokenizer(vocabulary: try Vocabulary(contentsOf: fixture("mini_vocab.txt")))
        #expect(cases.count >= 20)
        for c in cases {
            #expect(try tokenizer.encode(c.text) == c.ids, "\(c.text.debugDescription)")
            #expect(try tokenizer.encode(c.text, maxLength: 8) == c.ids_max_length_8, "\(c.text.debugDescription)")
            #expect(tokenizer.pieces(c.text) == c.pieces, "\(c.text.debugDescription)")
        }
    }

    /// Special ids come from the file's line numbers: a vocabulary with `[PAD]` moved gives the new line.
    @Test func specialIDsAreReadFromTheFile() throws {
        let vocabulary = try Vocabulary(text: "hello\n[UNK]\n[SEP]\n##lo\n[CLS]\nhel\n[PAD]\n", path: "v.txt")
        #expect(vocabulary.unknownID == 1 && vocabulary.separatorID == 2 && vocabulary.classificationID == 4 && vocabulary.paddingID == 6)
        let tokenizer = WordPieceTokenizer(vocabulary: vocabulary)
        #expect(tokenizer.pieces("Hello hello, HELLO") == ["hello", "hello", "[UNK]", "hello"])
        #expect(try tokenizer.encode("hello hello hello", maxLength: 4) == [4, 0, 0, 2])
        #expect(try tokenizer.encodePadded(["hello", ""], maxLength: 4).scalars == [4, 0, 2, 6, 4, 2, 6, 6])
        // greedy longest match: "hello" is taken whole, "hel" + "##lo" only when "hello" is absent
        let split = WordPieceTokenizer(vocabulary: try Vocabulary(text: "[UNK]\n[CLS]\n[SEP]\n[PAD]\nhel\n##lo\n", path: "v.txt"))
        #expect(split.pieces("hello") == ["hel", "##lo"])
    }

    /// A vocabulary without one of the special tokens is a one-line error naming the file and the token.
    @Test(arguments: ["[UNK]", "[CLS]", "[SEP]", "[PAD]"])
    func vocabularyWithoutASpecialTokenIsRefused(missing: String) throws {
        let text = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "the"].filter { $0 != missing }.joined(separator: "\n")
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("initium-vocab-\(UUID().uuidString).txt").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try Vocabulary(contentsOf: path)
            Issue.record("a vocabulary without \(missing) was accepted")
        } catch let error as InitiumError {
            #expect(error == .file(path: path, problem: "the vocabulary has no \(missing) token"))
            #expect(!error.description.contains("\n"))
        }
        #expect(throws: InitiumError.self) { try Vocabulary(contentsOf: path + ".absent") }
    }

    /// `maxLength` below 2 cannot hold `[CLS]` and `[SEP]`.
    @Test func tooShortMaxLengthIsRefused() throws {
        let tokenizer = WordPieceTokenizer(vocabulary: try Vocabulary(contentsOf: fixture("mini_vocab.txt")))
        #expect(throws: InitiumError.self) { try tokenizer.encode("a", maxLength: 1) }
    }

    /// Every fortune of Debian's corpus gets Hugging Face's ids with the MiniLM vocabulary, untruncated
    /// and truncated to 128 (hashes of all, full ids of every 50th; scripts/make_wordpiece_fixture.py).
    @Test(.enabled(if: installedMiniLM && installedFortunes, "needs Debian's fortunes and scripts/install-models (make test installs both)"))
    func everyFortuneMatchesHuggingFace() throws {
        let arrays = Dictionary(uniqueKeysWithValues: try NumPyArchive.read(from: fixture("fortune_tokens.npz")).map { ($0.name, $0.array.tensor.scalars) })
        let get = { (name: String) throws -> [Int] in try #require(arrays[name]).map { Int($0) } }
        let fileIndex = try get("file_index"), fortuneIndex = try get("fortune_index"), length = try get("length")
        let length128 = try get("length_128"), hash = try get("hash"), hash128 = try get("hash_128")
        let sampleRows = try get("sample_rows"), sampleIDs = try get("sample_ids"), sampleOffsets = try get("sample_offsets")
        let names = String(decoding: try get("file_names").map(UInt8.init), as: UTF8.self).split(separator: "\n").map(String.init)

        let corpus = try FortuneCorpus(directory: FortuneCorpus.defaultDirectory)
        #expect(corpus.files.map(\.name) == names)
        #expect(corpus.files.reduce(0) { $0 + $1.fortunes.count } == fileIndex.count)
        let vocabulary = try Vocabulary(contentsOf: ModelDirectory.locate(ModelDirectory.miniLM) + "/vocab.txt")
        let tokenizer = WordPieceTokenizer(vocabulary: vocabulary)
        var mismatches: [String] = []
        var samples = 0
        for row in 0..<fileIndex.count {
            let text = String(decoding: corpus.files[fileIndex[row]].fortunes[fortuneIndex[row]], as: UTF8.self)
            let full = try tokenizer.encode(text)
            // a short fortune's truncated ids are its full ids (encode's contract); only long ones are re-encoded
            let cut = full.count <= 128 ? full : try tokenizer.encode(text, maxLength: 128)
            if full.count != length[row] || fnv1a64(full) != hash[(8 * row)..<(8 * row + 8)].map(UInt8.init)
                || cut.count != length128[row] || fnv1a64(cut) != hash128[(8 * row)..<(8 * row + 8)].map(UInt8.init)
            {
                mismatches.append("\(names[fileIndex[row]])#\(fortuneIndex[row])")
            }
            if let s = sampleRows.firstIndex(of: row) {
                #expect(full.map(Int.init) == Array(sampleIDs[sampleOffsets[s]..<sampleOffsets[s + 1]]))
                samples += 1
            }
        }
        #expect(samples == sampleRows.count)
        #expect(mismatches.isEmpty, "fortunes whose ids differ from Hugging Face's: \(mismatches.prefix(20))")
    }

    /// The spec's example: "Hello, World!" is `[CLS] hello , world ! [SEP]`.
    @Test(.enabled(if: installedMiniLM, "needs scripts/install-models"))
    func helloWorldWithMiniLM() throws {
        let tokenizer = WordPieceTokenizer(vocabulary: try Vocabulary(contentsOf: ModelDirectory.locate(ModelDirectory.miniLM) + "/vocab.txt"))
        let ids = try tokenizer.encode("Hello, World!")
        #expect(ids.map { tokenizer.vocabulary.tokens[Int($0)] } == ["[CLS]", "hello", ",", "world", "!", "[SEP]"])
    }
}
