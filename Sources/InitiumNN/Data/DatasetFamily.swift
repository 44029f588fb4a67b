import InitiumCore
import InitiumSpec

/// A dataset family: the name users type, the parameters it takes, what its examples are and how
/// it loads. Each family is one value declared in its dataset's file and registered once in
/// ``registered``; ``DatasetSpec`` parses, describes and loads through the registry, and the
/// README's data list comes from ``catalog``.
///
/// Adding a dataset: in one new file, `extension DatasetFamily { static let name = DatasetFamily(…) }`
/// with its keys, a signature (what a model for it reads and predicts, known without loading) and a
/// loader, then add it to ``registered``.
public struct DatasetFamily: Sendable {
    /// The name typed (`fashion-mnist`, `blobs`).
    public let name: String
    /// The parameters `name(key=value,…)` accepts (empty: none).
    public let keys: [String]
    /// What a user types, with defaults: `blobs(n=1000,classes=3,dim=2,spread=1)`.
    public let syntax: String
    /// One line on what the data is.
    public let summary: String
    /// Whether the data is read from a folder (``DatasetSource/directory``).
    public let readsDirectory: Bool
    private let describe: @Sendable (DatasetParameters) throws -> DataSignature
    private let loader: @Sendable (DatasetParameters, DatasetSource) throws -> DatasetSplits

    /// A family; `signature` and `load` read and validate the parameters (throwing through
    /// ``DatasetParameters/invalid(_:)``).
    public init(
        name: String, keys: [String], syntax: String, summary: String, readsDirectory: Bool = false,
        signature: @escaping @Sendable (DatasetParameters) throws -> DataSignature,
        load: @escaping @Sendable (DatasetParameters, DatasetSource) throws -> DatasetSplits
    ) {
        self.name = name
        self.keys = keys
        self.syntax = syntax
        self.summary = summary
        self.readsDirectory = readsDirectory
        describe = signature
        loader = load
    }

    /// What a model for `parameters`' data reads and predicts.
    public func signature(_ parameters: DatasetParameters) throws -> DataSignature { try describe(parameters) }

    /// The splits of `parameters`' data.
    public func load(_ parameters: DatasetParameters, from source: DatasetSource) throws -> DatasetSplits {
        try loader(parameters, source)
    }

    /// Every family a spec can name, in the order help lists them.
    public static let registered: [DatasetFamily] = [
        .fashionMNIST, .fortunesBytes, .fortunesTopics, .blobs, .spirals, .teacher, .karate, .csbm, .fashionMNISTKNN, .exp, .userGraph,
    ]

    /// The family called `name`, if any.
    public static func named(_ name: String) -> DatasetFamily? { registered.first { $0.name == name } }

    /// One line for a `--data` option's help: every family's syntax.
    public static var optionHelp: String {
        "Dataset: " + registered.map(\.syntax).joined(separator: ", ") + "."
    }

    /// The data list, one Markdown bullet per family (the README's list is this text).
    public static var catalog: String {
        registered.map { "- `\($0.syntax)`: \($0.summary)" }.joined(separator: "\n")
    }
}

/// The parameters of one dataset spec, read with the type each needs; errors name the spec.
public struct DatasetParameters: Sendable {
    /// The parsed spec.
    public let spec: SpecSyntax

    /// The spec as typed (what datasets are named by in reports).
    public var description: String { spec.description }

    /// An integer (`fallback` when absent).
    public func integer(_ key: String, default fallback: Int) throws -> Int {
        try InitiumError.reportingSpecErrors { try spec.integer(key, default: fallback, kind: "dataset") }
    }

    /// A finite number (`fallback` when absent).
    public func number(_ key: String, default fallback: Double) throws -> Double {
        try InitiumError.reportingSpecErrors { try spec.number(key, default: fallback, kind: "dataset") }
    }

    /// The text as typed (a path or a name), `nil` when absent or empty.
    public func text(_ key: String) -> String? {
        spec.value(key).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An error naming the spec.
    public func invalid(_ reason: String) -> InitiumError {
        .invalidSpec(kind: "dataset", spec: description, reason: reason)
    }
}

/// Where a dataset's files are and the key synthetic data and seeded splits are drawn with.
public struct DatasetSource: Sendable {
    /// The folder real datasets are read from (`nil`: each dataset's default).
    public var directory: String?
    /// The key for synthetic data and seeded splits.
    public var key: RandomKey

    /// A source.
    public init(directory: String?, key: RandomKey) {
        self.directory = directory
        self.key = key
    }
}

/// A dataset's splits: training, test and, where the data defines one, validation.
public struct DatasetSplits: Sendable {
    /// The training set.
    public var train: Dataset
    /// The validation set (graph node tasks, EXP's protocol); `nil` when the data has none.
    public var validation: Dataset?
    /// The test set.
    public var test: Dataset

    /// Splits.
    public init(train: Dataset, validation: Dataset? = nil, test: Dataset) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}
