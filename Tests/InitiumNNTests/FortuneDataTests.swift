import Foundation
import InitiumCore
import Testing

@testable import InitiumNN

/// A temporary folder of fortune files (`name: content`), removed by `cleanUp`.
private struct FortuneFolder {
    let path: String

    init(_ files: [String: String]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("initium-fortunes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        for (name, content) in files {
            try content.write(toFile: path + "/" + name, atomically: false, encoding: .utf8)
        }
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}

/// `count` fortunes `"<prefix> i\n"`, separated by `%` lines.
private func fortunes(_ prefix: String, count: Int) -> String {
    (0..<count).map { "\(prefix) \($0)\n" }.joined(separator: "%\n") + "%\n"
}

private let miniVocabularyPath = Bundle.module.url(forResource: "mini_vocab", withExtension: "txt", subdirectory: "Fixtures/wordpiece")?.path

@Suite("Fortune datasets")
struct FortuneDataTests {
    /// `%` lines split fortunes, blank fortunes are dropped, a final newline adds no empty line,
    /// and a line holding more than `%` is text.
    @Test func fortunesAreSplitAtPercentLines() {
        let text = "first\nline two\n%\n \n\t\n%\n%\nthird % not a separator\n%%\n%\nlast without newline"
        let parsed = FortuneCorpus.fortunes(in: Array(text.utf8)).map { String(decoding: $0, as: UTF8.self) }
        #expect(parsed == ["first\nline two\n", "third % not a separator\n%%\n", "last without newline\n"])
        #expect(FortuneCorpus.fortunes(in: Array("a\n%\n".utf8)).map { String(decoding: $0, as: UTF8.self) } == ["a\n"])
        #expect(FortuneCorpus.fortunes(in: []).isEmpty)
    }

    /// Files with a `.` in their name, symlinks and folders are skipped; files are read in name
    /// order; fortune i of each file is validation exactly when i % 10 == 9.
    @Test func filesAndSplitRule() throws {
        let folder = try FortuneFolder(["b": fortunes("b", count: 21), "a": fortunes("a", count: 12), "a.dat": "x\n%\n", "c.u8": "y\n"])
        defer { folder.cleanUp() }
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/link", withDestinationPath: folder.path + "/a")
        try FileManager.default.createDirectory(atPath: folder.path + "/sub", withIntermediateDirectories: false)
        let corpus = try FortuneCorpus(directory: folder.path)
        #expect(corpus.files.map(\.name) == ["a", "b"])
        let validation = corpus.fortunes(in: .validation).map { String(decoding: $0, as: UTF8.self) }
        #expect(validation == ["a 9\n", "b 9\n", "b 19\n"])
        #expect(corpus.fortunes(in: .training).count == 12 + 21 - 3)
        #expect(corpus.fortunes(in: .training).first.map { String(decoding: $0, as: UTF8.self) } == "a 0\n")
    }

    /// Windows of T bytes with stride T; labels are the inputs shifted by one byte, T per example;
    /// the last incomplete window (and the final byte, which has no successor) are dropped.
    @Test func bytesWindowsAndShiftedLabels() throws {
        let stream = Array("abcdefghijk".utf8)  // 11 bytes: (11 − 1) / 4 = 2 windows
        let set = try FortunesBytes.windows(of: stream, context: 4, name: "t")
        #expect(set.inputs.shape == [2, 4] && set.labelsPerExample == 4 && set.classCount == 256)
        #expect(set.inputs.scalars == Array("abcdefgh".utf8).map(Float.init))
        #expect(set.labels == Array("bcdefghi".utf8).map(Int32.init))
        let exact = try FortunesBytes.windows(of: Array("abcdefghi".utf8), context: 4, name: "t")
        #expect(exact.count == 2 && exact.labels.last == Int32(UInt8(ascii: "i")))
        #expect(try FortunesBytes.windows(of: Array("abcd".utf8), context: 4, name: "t").count == 0)
        let batch = set.batch([1, 0])
        #expect(batch.inputs.shape == [2, 4])
        #expect(batch.labels == Array("fghibcde".utf8).map(Int32.init))
        #expect(try set.prefix(1).labels == Array("bcde".utf8).map(Int32.init))
    }

    /// Each split's stream is its fortunes concatenated in file order; the spec parses `context`.
    @Test func fortunesBytesFromAFolder() throws {
        let folder = try FortuneFolder(["a": fortunes("alpha", count: 10), "b": fortunes("beta", count: 10)])
        defer { folder.cleanUp() }
        let spec = try DatasetSpec("fortunes-bytes(context=5)")
        #expect(try spec.signature() == DataSignature(exampleShape: [5], classCount: 256, tokenVocabularySize: 256))
        let (train, test) = try spec.load(directory: folder.path, key: RandomKey(seed: 0))
        let trainStream = (0..<9).map { "alpha \($0)\n" }.joined() + (0..<9).map { "beta \($0)\n" }.joined()
        let testStream = Array("alpha 9\nbeta 9\n".utf8)
        #expect(train.count == (trainStream.utf8.count - 1) / 5)
        #expect(train.inputs.scalars == Array(trainStream.utf8.prefix(train.count * 5)).map(Float.init))
        #expect(test.inputs.scalars == testStream.prefix(test.count * 5).map(Float.init))
        #expect(test.labels == testStream.dropFirst().prefix(test.count * 5).map(Int32.init))
        #expect(train.tokenVocabularySize == 256 && train.name == "fortunes-bytes(context=5)")
        // token inputs are never standardized, even when the recipe asks for it
        let recipe = DataRecipe(spec, directory: folder.path, standardizesInputs: true)
        #expect(try recipe.load(key: RandomKey(seed: 0)).train.inputs.scalars == train.inputs.scalars)
        #expect(throws: InitiumError.self) {
            try DataRecipe(spec, directory: folder.path, centersFeatures: true).load(key: RandomKey(seed: 0))
        }
    }

    /// Categories are ranked by bytes (ties by name); class = rank; examples keep file order.
    @Test(.enabled(if: miniVocabularyPath != nil))
    func topicsRankCategoriesBySize() throws {
        let folder = try FortuneFolder([
            "small": fortunes("x", count: 10), "big": fortunes("a much longer fortune about the world", count: 10),
            "mid": fortunes("hello world", count: 10), "tie": fortunes("hello-world", count: 10),
        ])
        defer { folder.cleanUp() }
        let corpus = try FortuneCorpus(directory: folder.path)
        #expect(try FortunesTopics.categories(of: corpus, count: 3).map(\.name) == ["big", "mid", "tie"])
        #expect(throws: InitiumError.self) { try FortunesTopics.categories(of: corpus, count: 5) }
        try FileManager.default.createDirectory(atPath: folder.path + "/model.d", withIntermediateDirectories: false)
        try FileManager.default.copyItem(atPath: miniVocabularyPath!, toPath: folder.path + "/model.d/vocab.txt")
        let spec = try DatasetSpec("fortunes-topics(k=3,max-length=6,model=\(folder.path)/model.d)")
        #expect(try spec.signature() == DataSignature(exampleShape: [6], classCount: 3, tokenVocabularySize: 1181))
        let (train, test) = try spec.load(directory: folder.path, key: RandomKey(seed: 0))
        #expect(train.count == 27 && test.count == 3)
        #expect(test.labels == [0, 1, 2])  // files big, mid, tie in name order; their ranks 0, 1, 2
        let vocabulary = try Vocabulary(contentsOf: miniVocabularyPath!)
        #expect(train.paddingToken == vocabulary.paddingID && train.tokenVocabularySize == vocabulary.count)
        #expect(train.signature == (try spec.signature()))
        let tokenizer = WordPieceTokenizer(vocabulary: vocabulary)
        #expect(test.inputs.scalars == (try tokenizer.encodePadded(["a much longer fortune about the world 9\n", "hello world 9\n", "hello-world 9\n"], maxLength: 6)).scalars)
    }

    /// A batch of padded sequences drops the trailing columns that are padding in every chosen row,
    /// and only those.
    @Test func batchesTrimCommonPadding() throws {
        let pad: Float = 0
        let inputs = try Tensor(shape: [3, 5], scalars: [7, 8, pad, pad, pad, 7, 8, 9, pad, pad, 7, pad, 3, pad, pad])
        let set = try Dataset(inputs: inputs, labels: [0, 1, 0], classCount: 2, name: "t", tokenVocabularySize: 10, paddingToken: 0)
        #expect(set.batch([0]).inputs.shape == [1, 2])
        #expect(set.batch([0, 1]).inputs.scalars == [7, 8, pad, 7, 8, 9])
        #expect(set.batch([2, 0]).inputs.scalars == [7, pad, 3, 7, 8, pad])  // an inner pad is kept
        #expect(set.batch([1, 2]).labels == [1, 0])
        let empty = try Dataset(inputs: Tensor(shape: [1, 3], scalars: [0, 0, 0]), labels: [0], classCount: 1, name: "t", paddingToken: 0)
        #expect(empty.batch([0]).inputs.shape == [1, 1])
        // without a padding token nothing is trimmed
        let plain = try Dataset(inputs: inputs, labels: [0, 1, 0], classCount: 2, name: "t")
        #expect(plain.batch([0]).inputs.shape == [1, 5])
    }

    /// Labels must be one or a whole number per example.
    @Test func labelCountMustDivideByExamples() throws {
        let inputs = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(throws: InitiumError.self) { try Dataset(inputs: inputs, labels: [0, 1, 0], classCount: 2, name: "t") }
        #expect(try Dataset(inputs: inputs, labels: [0, 1, 0, 1], classCount: 2, name: "t").labelsPerExample == 2)
    }

    /// A missing fortunes folder names the package to install, on one line.
    @Test func missingFortunesDirectoryNamesThePackage() throws {
        for name in ["fortunes-bytes", "fortunes-topics(model=/nonexistent)"] {
            do {
                _ = try DatasetSpec(name).load(directory: "/nonexistent/fortunes", key: RandomKey(seed: 0))
                Issue.record("\(name) loaded from a missing folder")
            } catch let error as InitiumError {
                #expect(error.description.contains("install Debian's fortunes package (scripts/install-system-deps)"))
                #expect(!error.description.contains("\n"))
            }
        }
        #expect(throws: InitiumError.self) { try DatasetSpec("fortunes-bytes(context=0)").signature() }
        #expect(throws: InitiumError.self) { try DatasetSpec("fortunes-topics(k=1)").signature() }
        #expect(throws: InitiumError.self) { try DatasetSpec("fortunes-bytes(k=3)") }
    }

    /// `INITIUM_MODELS` overrides the models folder; a missing checkpoint says to run scripts/install-models.
    @Test func modelDirectoryLocator() throws {
        #expect(ModelDirectory.root(environment: ["INITIUM_MODELS": "/m", "HOME": "/h"]) == "/m")
        #expect(ModelDirectory.root(environment: ["HOME": "/h"]) == "/h/.cache/initium/models")
        do {
            _ = try ModelDirectory.locate("all-minilm-l6-v2", environment: ["INITIUM_MODELS": "/nonexistent"])
            Issue.record("a missing checkpoint was found")
        } catch let error as InitiumError {
            #expect(error.description.contains("/nonexistent/all-minilm-l6-v2/config.json"))
            #expect(error.description.contains("run scripts/install-models"))
        }
    }

    /// With Debian's package: the 8 largest categories are the issue's, and the byte stream is
    /// about 2.3 MB of training and 0.26 MB of validation text.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: FortuneCorpus.defaultDirectory + "/cookie"), "needs Debian's fortunes (make test installs it)"))
    func debianCorpus() throws {
        let corpus = try FortuneCorpus(directory: FortuneCorpus.defaultDirectory)
        let top = try FortunesTopics.categories(of: corpus, count: 8).map(\.name)
        #expect(top == ["cookie", "computers", "songs-poems", "definitions", "people", "science", "politics", "work"])
        let (train, test) = try FortunesBytes.load(corpus: corpus, context: 128, name: "fortunes-bytes")
        #expect(train.count == (2_284_211 - 1) / 128 && test.count == (262_031 - 1) / 128)  // stream sizes by scripts/fortune_corpus.py
    }

    /// fortunes-topics' validation split starts with the fortunes, labels and ids of the MiniLM
    /// embedding fixture (scripts/make_minilm_embedding_fixture.py, Hugging Face's tokenizer, 128 ids).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: FortuneCorpus.defaultDirectory + "/cookie")
        && (try? ModelDirectory.locate(ModelDirectory.miniLM)) != nil, "needs Debian's fortunes and scripts/install-models"))
    func topicsValidationMatchesTheEmbeddingFixture() throws {
        let path = try #require(Bundle.module.url(forResource: "fortune_embeddings", withExtension: "npz", subdirectory: "Fixtures/minilm")).path
        let arrays = Dictionary(uniqueKeysWithValues: try NumPyArchive.read(from: path).map { ($0.name, $0.array.tensor) })
        let (_, test) = try DatasetSpec("fortunes-topics").load(directory: nil, key: RandomKey(seed: 0))
        let ids = try #require(arrays["input_ids_128"]), labels = try #require(arrays["labels"])
        #expect(try test.prefix(200).inputs.scalars == ids.scalars)
        #expect(try test.prefix(200).labels == labels.scalars.map { Int32($0) })
        #expect(try #require(arrays["embeddings_256"]).shape == [200, 384])
    }
}
