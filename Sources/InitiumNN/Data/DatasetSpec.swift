import Foundation
import InitiumCore
import InitiumSpec

/// A dataset by the name users type, parsed by the registered family of that name
/// (``DatasetFamily/registered``; ``DatasetFamily/catalog`` lists them): `fashion-mnist`,
/// `fortunes-bytes(context=128)`, `blobs(n=1000,classes=3,dim=2,spread=1)`, `karate`, … The text is
/// kept as typed, so reports print it back unchanged. Synthetic data is drawn from the key given
/// to ``load(directory:key:)``.
public struct DatasetSpec: Sendable, CustomStringConvertible {
    /// The parsed spec.
    public let spec: SpecSyntax
    /// The family that reads it.
    public let family: DatasetFamily

    /// Parses a dataset spec; throws ``InitiumError`` naming an unknown dataset (listing every
    /// family) or a parameter the family does not take.
    public init(_ text: String) throws {
        spec = try InitiumError.reportingSpecErrors { try SpecSyntax(parsing: text, kind: Self.kind) }
        guard let family = DatasetFamily.named(spec.name) else {
            let names = DatasetFamily.registered.map { $0.keys.isEmpty ? $0.name : $0.name + "(...)" }
            throw InitiumError.invalidSpec(
                kind: Self.kind, spec: text, reason: "choose " + names.dropLast().joined(separator: ", ") + " or " + names.last!)
        }
        self.family = family
        try InitiumError.reportingSpecErrors { try spec.requireOnly(family.keys, kind: Self.kind) }
    }

    /// The spec string.
    public var description: String { spec.description }

    /// Whether the dataset is read from a folder (`directory` of ``load(directory:key:)``):
    /// Fashion-MNIST's IDX files or the fortune files; synthetic sets are not.
    public var readsDirectory: Bool { family.readsDirectory }

    /// Fashion-MNIST, the default dataset.
    public static var fashionMNIST: DatasetSpec { try! DatasetSpec("fashion-mnist") }  // a valid literal spec

    /// What a model trained on this dataset takes in and predicts, known without loading it
    /// (Fashion-MNIST's constants, or the synthetic set's `dim` and `classes`); throws for invalid parameters.
    public func signature() throws -> DataSignature {
        try family.signature(DatasetParameters(spec: spec))
    }

    /// Loads the training and test splits. `directory` is where real datasets live (see
    /// ``FashionMNIST/directory(explicit:environment:)`` and ``FortuneCorpus/directory(explicit:)``);
    /// `key` draws synthetic data.
    public func load(directory: String?, key: RandomKey) throws -> (train: Dataset, test: Dataset) {
        let splits = try loadSplits(directory: directory, key: key)
        return (splits.train, splits.test)
    }

    /// Loads every split, the validation set included where the data has one.
    public func loadSplits(directory: String?, key: RandomKey) throws -> DatasetSplits {
        try family.load(DatasetParameters(spec: spec), from: DatasetSource(directory: directory, key: key))
    }

    private static let kind = "dataset"
}
