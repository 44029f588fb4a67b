import Foundation
import InitiumCore

/// `fortunes-topics(k=8,max-length=128[,model=DIR])`: classify a fortune cookie into its category
/// file, among the `k` largest categories of Debian's fortunes.
///
/// - Categories: the files of ``FortuneCorpus`` ranked by size, the number of bytes of their
///   fortunes (largest first, ties by name); the first `k` are kept and a file's rank is its class
///   index. With Debian's `fortunes` 1.99.1 and k = 8: cookie, computers, songs-poems,
///   definitions, people, science, politics, work.
/// - Examples: those files' fortunes, in file-name order then fortune order, split as the corpus
///   says (every tenth fortune of a file is validation, which is also the test set).
/// - Inputs: each fortune decoded as UTF-8 (invalid bytes become U+FFFD, which the tokenizer
///   drops) and encoded by ``WordPieceTokenizer`` with the vocabulary of a BERT checkpoint
///   directory (`model=DIR`, default the installed all-MiniLM-L6-v2, ``ModelDirectory``):
///   `[CLS] pieces [SEP]` truncated to `max-length` ids, padded at the end with `[PAD]`, as
///   Float32 ids `[n, max-length]`; ``Dataset/paddingToken`` is `[PAD]`'s id, so batches are trimmed.
public enum FortunesTopics {
    /// The default number of categories.
    public static let defaultCategoryCount = 8
    /// The default sequence length, counting `[CLS]` and `[SEP]`.
    public static let defaultMaxLength = 128

    /// What a model for this data takes in and predicts, with the tokenizer's vocabulary size.
    public static func signature(categoryCount: Int, maxLength: Int, vocabularySize: Int) -> DataSignature {
        DataSignature(exampleShape: [maxLength], classCount: categoryCount, tokenVocabularySize: vocabularySize)
    }

    /// The `count` largest category files of `corpus`, largest first (ties by name).
    public static func categories(of corpus: FortuneCorpus, count: Int) throws -> [FortuneCorpus.File] {
        let available = corpus.files.filter { !$0.fortunes.isEmpty }
        guard count >= 2, count <= available.count else {
            throw InitiumError.invalidArgument(
                "`k` must be between 2 and \(available.count) (the fortune files in \(corpus.directory)), got \(count)")
        }
        let ranked = available.map { (file: $0, size: $0.byteCount) }.sorted {
            $0.size != $1.size ? $0.size > $1.size : Array($0.file.name.utf8).lexicographicallyPrecedes(Array($1.file.name.utf8))
        }
        return ranked.prefix(count).map(\.file)
    }

    /// The training and test (validation) sets.
    public static func load(
        corpus: FortuneCorpus, tokenizer: WordPieceTokenizer, categoryCount: Int, maxLength: Int, name: String
    ) throws -> (train: Dataset, test: Dataset) {
        let classes = Dictionary(
            uniqueKeysWithValues: try categories(of: corpus, count: categoryCount).enumerated().map { ($0.element.name, Int32($0.offset)) })
        func split(_ part: FortuneCorpus.Split) throws -> Dataset {
            var texts: [String] = []
            var labels: [Int32] = []
            for file in corpus.files {
                guard let label = classes[file.name] else { continue }
                for fortune in file.fortunes(in: part) {
                    texts.append(String(decoding: fortune, as: UTF8.self))
                    labels.append(label)
                }
            }
            return try Dataset(
                inputs: tokenizer.encodePadded(texts, maxLength: maxLength), labels: labels, classCount: categoryCount,
                name: name, tokenVocabularySize: tokenizer.vocabulary.count, paddingToken: tokenizer.vocabulary.paddingID)
        }
        return (try split(.training), try split(.validation))
    }
}

extension DatasetFamily {
    /// `fortunes-topics(k=8,max-length=128[,model=DIR])`.
    public static let fortunesTopics = DatasetFamily(
        name: "fortunes-topics", keys: ["k", "max-length", "model"], syntax: "fortunes-topics(k=8,max-length=128[,model=DIR])",
        summary: "category of a fortune cookie among the k largest files, WordPiece tokens of a BERT vocabulary",
        readsDirectory: true,
        signature: { parameters in
            let p = try FortunesTopics.parameters(parameters)
            return FortunesTopics.signature(
                categoryCount: p.k, maxLength: p.maxLength, vocabularySize: try FortunesTopics.vocabulary(p.model).count)
        }
    ) { parameters, source in
        let p = try FortunesTopics.parameters(parameters)
        let corpus = try FortuneCorpus(directory: FortuneCorpus.directory(explicit: source.directory))
        let (train, test) = try FortunesTopics.load(
            corpus: corpus, tokenizer: WordPieceTokenizer(vocabulary: FortunesTopics.vocabulary(p.model)), categoryCount: p.k,
            maxLength: p.maxLength, name: parameters.description)
        return DatasetSplits(train: train, test: test)
    }
}

extension FortunesTopics {
    /// A spec's parameters with their defaults, validated (`k` against the files when loading).
    static func parameters(_ parameters: DatasetParameters) throws -> (k: Int, maxLength: Int, model: String?) {
        let k = try parameters.integer("k", default: defaultCategoryCount)
        let maxLength = try parameters.integer("max-length", default: defaultMaxLength)
        guard k >= 2, maxLength >= 2 else { throw parameters.invalid("needs k ≥ 2 and max-length ≥ 2 ([CLS] and [SEP])") }
        return (k, maxLength, parameters.text("model"))
    }

    /// The vocabulary of a BERT checkpoint directory (`vocab.txt`), by default the installed all-MiniLM-L6-v2's.
    static func vocabulary(_ model: String?) throws -> Vocabulary {
        let directory = try model ?? ModelDirectory.locate(ModelDirectory.miniLM)
        return try Vocabulary(contentsOf: (directory as NSString).appendingPathComponent("vocab.txt"))
    }
}
