import Foundation
import InitiumCore
import InitiumSpec

/// A dataset by the name users type: `fashion-mnist`; text from Debian's fortune cookies,
/// `fortunes-bytes(context=128)` (byte-level language modelling, ``FortunesBytes``) and
/// `fortunes-topics(k=8,max-length=128[,model=DIR])` (category classification of WordPiece
/// tokens, ``FortunesTopics``); or a synthetic one for tests and demos:
///
/// - `blobs(n=1000,classes=3,dim=2,spread=1)`: isotropic Gaussian clusters around centres drawn
///   from N(0, 4²·I) (the scikit-learn `make_blobs` setting).
/// - `spirals(n=1000,classes=2,noise=0.2)`: interleaved planar spirals, one arm per class.
/// - `teacher(n=1000,dim=20,classes=4,width=32,act=tanh)`: Gaussian inputs labelled by the argmax
///   of a random one-hidden-layer teacher network (He-normal weights), a task a student can learn exactly.
///
/// Synthetic datasets are drawn from the run's key, with a test split one fifth the training size.
public struct DatasetSpec: Sendable, CustomStringConvertible {
    /// The parsed spec.
    public let spec: SpecSyntax

    /// Parses a dataset spec; throws ``InitiumError``.
    public init(_ text: String) throws {
        self = try InitiumError.reportingSpecErrors { try DatasetSpec(parsing: text) }
    }

    private init(parsing text: String) throws {
        spec = try SpecSyntax(parsing: text, kind: Self.kind)
        switch spec.name {
        case "fashion-mnist": try spec.requireOnly([], kind: Self.kind)
        case "karate": try spec.requireOnly([], kind: Self.kind)
        case "fortunes-bytes": try spec.requireOnly(["context"], kind: Self.kind)
        case "fortunes-topics": try spec.requireOnly(["k", "max-length", "model"], kind: Self.kind)
        case "blobs": try spec.requireOnly(["n", "classes", "dim", "spread"], kind: Self.kind)
        case "spirals": try spec.requireOnly(["n", "classes", "noise"], kind: Self.kind)
        case "teacher": try spec.requireOnly(["n", "dim", "classes", "width", "act"], kind: Self.kind)
        default:
            throw InitiumError.invalidSpec(kind: Self.kind, spec: text, reason: "choose fashion-mnist, karate, fortunes-bytes(...), fortunes-topics(...), blobs(...), spirals(...) or teacher(...)")
        }
    }

    /// The spec string.
    public var description: String { spec.description }

    /// Whether the dataset is read from a folder (`directory` of ``load(directory:key:)``):
    /// Fashion-MNIST's IDX files or the fortune files; synthetic sets are not.
    public var readsDirectory: Bool { ["fashion-mnist", "fortunes-bytes", "fortunes-topics"].contains(spec.name) }

    /// Fashion-MNIST, the default dataset.
    public static var fashionMNIST: DatasetSpec { try! DatasetSpec("fashion-mnist") }  // a valid literal spec

    /// What a model trained on this dataset takes in and predicts, known without loading it
    /// (Fashion-MNIST's constants, or the synthetic set's `dim` and `classes`); throws for invalid parameters.
    public func signature() throws -> DataSignature {
        try InitiumError.reportingSpecErrors { try exampleSignature() }
    }

    private func exampleSignature() throws -> DataSignature {
        switch spec.name {
        case "fashion-mnist": return FashionMNIST.signature
        case "karate": return KarateClub.signature
        case "fortunes-bytes": return FortunesBytes.signature(context: try fortunesBytes())
        case "fortunes-topics":
            let p = try fortunesTopics()
            return FortunesTopics.signature(categoryCount: p.k, maxLength: p.maxLength, vocabularySize: try vocabulary(p.model).count)
        case "blobs":
            let p = try blobs()
            return DataSignature(exampleShape: [p.dim], classCount: p.classes)
        case "spirals":
            return DataSignature(exampleShape: [2], classCount: try spirals().classes)
        case "teacher":
            let p = try teacher()
            return DataSignature(exampleShape: [p.dim], classCount: p.classes)
        default:
            throw invalid("unknown dataset")
        }
    }

    /// Loads the training and test splits. `directory` is where real datasets live (see
    /// ``FashionMNIST/directory(explicit:environment:)`` and ``FortuneCorpus/directory(explicit:)``);
    /// `key` draws synthetic data.
    public func load(directory: String?, key: RandomKey) throws -> (train: Dataset, test: Dataset) {
        try InitiumError.reportingSpecErrors { try loadSplits(directory: directory, key: key) }
    }

    private func loadSplits(directory: String?, key: RandomKey) throws -> (train: Dataset, test: Dataset) {
        switch spec.name {
        case "fashion-mnist":
            let dir = FashionMNIST.directory(explicit: directory)
            return (try FashionMNIST.load(split: .train, directory: dir), try FashionMNIST.load(split: .test, directory: dir))
        case "karate":
            return try KarateClub.load(name: description)
        case "fortunes-bytes":
            let context = try fortunesBytes()
            let corpus = try FortuneCorpus(directory: FortuneCorpus.directory(explicit: directory))
            return try FortunesBytes.load(corpus: corpus, context: context, name: description)
        case "fortunes-topics":
            let p = try fortunesTopics()
            let corpus = try FortuneCorpus(directory: FortuneCorpus.directory(explicit: directory))
            return try FortunesTopics.load(
                corpus: corpus, tokenizer: WordPieceTokenizer(vocabulary: vocabulary(p.model)), categoryCount: p.k, maxLength: p.maxLength,
                name: description)
        case "blobs":
            let (n, classes, dim, spread) = try blobs()
            let centres = try Tensor.normal([classes, dim], std: 4, key: key.fold("centres"))
            func split(_ count: Int, _ name: String) throws -> Dataset {
                let labels = (0..<count).map { Int32($0 % classes) }
                let noise = try Tensor.normal([count, dim], std: spread, key: key.fold(name))
                let x = try centres.indexSelect(axis: 0, labels.map(Int.init)) + noise
                return try Dataset(inputs: x.detached(), labels: labels, classCount: classes, name: description)
            }
            return (try split(n, "train"), try split(max(n / 5, 1), "test"))
        case "spirals":
            let (n, classes, noise) = try spirals()
            func split(_ count: Int, _ name: String) throws -> Dataset {
                let u = try Tensor.uniform([count], key: key.fold(name + ".radius"))
                let jitter = try Tensor.normal([count, 2], std: noise, key: key.fold(name + ".noise"))
                var values = [Float](repeating: 0, count: count * 2)
                let labels = (0..<count).map { Int32($0 % classes) }
                for i in 0..<count {
                    let r = u[flat: i]
                    let angle = 3 * Float.pi * r + 2 * Float.pi * Float(labels[i]) / Float(classes)
                    values[2 * i] = 2 * r * cosf(angle) + jitter[flat: 2 * i]
                    values[2 * i + 1] = 2 * r * sinf(angle) + jitter[flat: 2 * i + 1]
                }
                return try Dataset(inputs: Tensor(shape: [count, 2], scalars: values), labels: labels, classCount: classes, name: description)
            }
            return (try split(n, "train"), try split(max(n / 5, 1), "test"))
        case "teacher":
            let (n, dim, classes, width, activation) = try teacher()
            let w1 = try Tensor.normal([width, dim], std: (2 / Float(dim)).squareRoot(), key: key.fold("teacher.0"))
            let w2 = try Tensor.normal([classes, width], std: (2 / Float(width)).squareRoot(), key: key.fold("teacher.1"))
            func split(_ count: Int, _ name: String) throws -> Dataset {
                let x = try Tensor.normal([count, dim], key: key.fold(name))
                let hidden = try activation.apply(Tensor.affine(x, weight: w1, bias: nil))
                let logits = try Tensor.affine(hidden, weight: w2, bias: nil)
                let labels = try logits.argmax(axis: 1).map(Int32.init)
                return try Dataset(inputs: x, labels: labels, classCount: classes, name: description)
            }
            return (try split(n, "train"), try split(max(n / 5, 1), "test"))
        default:
            throw invalid("unknown dataset")
        }
    }

    /// `fortunes-bytes(...)`'s window length, validated.
    private func fortunesBytes() throws -> Int {
        let context = try spec.integer("context", default: FortunesBytes.defaultContext, kind: Self.kind)
        guard context >= 1 else { throw invalid("needs context ≥ 1") }
        return context
    }

    /// `fortunes-topics(...)`'s parameters with their defaults, validated (`k` against the files when loading).
    private func fortunesTopics() throws -> (k: Int, maxLength: Int, model: String?) {
        let k = try spec.integer("k", default: FortunesTopics.defaultCategoryCount, kind: Self.kind)
        let maxLength = try spec.integer("max-length", default: FortunesTopics.defaultMaxLength, kind: Self.kind)
        guard k >= 2, maxLength >= 2 else { throw invalid("needs k ≥ 2 and max-length ≥ 2 ([CLS] and [SEP])") }
        return (k, maxLength, spec.value("model").flatMap { $0.isEmpty ? nil : $0 })
    }

    /// The vocabulary of a BERT checkpoint directory (`vocab.txt`), by default the installed all-MiniLM-L6-v2's.
    private func vocabulary(_ model: String?) throws -> Vocabulary {
        let directory = try model ?? ModelDirectory.locate(ModelDirectory.miniLM)
        return try Vocabulary(contentsOf: (directory as NSString).appendingPathComponent("vocab.txt"))
    }

    /// `blobs(...)`'s parameters with their defaults, validated.
    private func blobs() throws -> (n: Int, classes: Int, dim: Int, spread: Float) {
        let n = try spec.integer("n", default: 1000, kind: Self.kind)
        let classes = try spec.integer("classes", default: 3, kind: Self.kind)
        let dim = try spec.integer("dim", default: 2, kind: Self.kind)
        let spread = Float(try spec.number("spread", default: 1, kind: Self.kind))
        guard n > 0, classes > 1, dim > 0, spread > 0 else { throw invalid("needs n > 0, classes > 1, dim > 0, spread > 0") }
        return (n, classes, dim, spread)
    }

    /// `spirals(...)`'s parameters with their defaults, validated.
    private func spirals() throws -> (n: Int, classes: Int, noise: Float) {
        let n = try spec.integer("n", default: 1000, kind: Self.kind)
        let classes = try spec.integer("classes", default: 2, kind: Self.kind)
        let noise = Float(try spec.number("noise", default: 0.2, kind: Self.kind))
        guard n > 0, classes > 1, noise >= 0 else { throw invalid("needs n > 0, classes > 1, noise ≥ 0") }
        return (n, classes, noise)
    }

    /// `teacher(...)`'s parameters with their defaults, validated.
    private func teacher() throws -> (n: Int, dim: Int, classes: Int, width: Int, activation: Activation) {
        let n = try spec.integer("n", default: 1000, kind: Self.kind)
        let dim = try spec.integer("dim", default: 20, kind: Self.kind)
        let classes = try spec.integer("classes", default: 4, kind: Self.kind)
        let width = try spec.integer("width", default: 32, kind: Self.kind)
        let activation = try Activation(spec.value("act") ?? "tanh")
        guard n > 0, dim > 0, classes > 1, width > 0 else { throw invalid("needs n, dim, width > 0 and classes > 1") }
        return (n, dim, classes, width, activation)
    }

    private static let kind = "dataset"

    private func invalid(_ reason: String) -> InitiumError {
        .invalidSpec(kind: Self.kind, spec: description, reason: reason)
    }
}
