import InitiumCore

/// `fortunes-bytes(context=128)`: byte-level language modelling on Debian's fortune cookies
/// (vocabulary 256, about 2.3 MB of training text).
///
/// Each split's byte stream `s` is the concatenation of its fortunes (``FortuneCorpus``: file
/// order, then fortune order; every tenth fortune of each file is validation). Examples are the
/// non-overlapping windows of `T` = `context` bytes: for `k` in `0..<(s.count − 1) / T`, the
/// input is `s[kT ..< kT + T]` and its `T` labels are `s[kT + 1 ..< kT + T + 1]`, the next byte of
/// each position. Inputs are the byte values as Float32, `[n, T]`; labels are stored example after
/// example (``Dataset/labelsPerExample`` = `T`). The test set is the validation split.
public enum FortunesBytes {
    /// The vocabulary: one token per byte value.
    public static let vocabularySize = 256
    /// The default window length.
    public static let defaultContext = 128

    /// What a model for windows of `context` bytes takes in and predicts.
    public static func signature(context: Int) -> DataSignature {
        DataSignature(exampleShape: [context], classCount: vocabularySize, tokenVocabularySize: vocabularySize)
    }

    /// The training and test (validation) sets of `corpus` in windows of `context` bytes, named `name`.
    public static func load(corpus: FortuneCorpus, context: Int, name: String) throws -> (train: Dataset, test: Dataset) {
        guard context >= 1 else { throw InitiumError.invalidArgument("`context` must be at least 1, got \(context)") }
        return (
            try windows(of: corpus.fortunes(in: .training).flatMap { $0 }, context: context, name: name),
            try windows(of: corpus.fortunes(in: .validation).flatMap { $0 }, context: context, name: name)
        )
    }

    /// The examples of one byte stream: windows of `context` bytes and their next bytes.
    public static func windows(of stream: [UInt8], context: Int, name: String) throws -> Dataset {
        let n = stream.isEmpty ? 0 : (stream.count - 1) / context
        let inputs = stream.prefix(n * context).map { Float($0) }
        let labels = stream.dropFirst().prefix(n * context).map { Int32($0) }
        return try Dataset(
            inputs: Tensor(shape: [n, context], scalars: inputs), labels: labels, classCount: vocabularySize, name: name,
            tokenVocabularySize: vocabularySize)
    }
}

extension DatasetFamily {
    /// `fortunes-bytes(context=128)`.
    public static let fortunesBytes = DatasetFamily(
        name: "fortunes-bytes", keys: ["context"], syntax: "fortunes-bytes(context=128)",
        summary: "byte-level language modelling on Debian's fortune cookies (vocabulary 256, windows of `context` bytes)",
        readsDirectory: true, signature: { FortunesBytes.signature(context: try FortunesBytes.context($0)) }
    ) { parameters, source in
        let corpus = try FortuneCorpus(directory: FortuneCorpus.directory(explicit: source.directory))
        let (train, test) = try FortunesBytes.load(corpus: corpus, context: FortunesBytes.context(parameters), name: parameters.description)
        return DatasetSplits(train: train, test: test)
    }
}

extension FortunesBytes {
    /// The window length a spec asks for, validated.
    static func context(_ parameters: DatasetParameters) throws -> Int {
        let context = try parameters.integer("context", default: defaultContext)
        guard context >= 1 else { throw parameters.invalid("needs context ≥ 1") }
        return context
    }
}
