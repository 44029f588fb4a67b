import InitiumCore

/// A trained model in one safetensors file: its state dictionary (``Module/stateDictionary``,
/// PyTorch's names) and, in the header's `__metadata__`, what rebuilds it — the model spec, the
/// activation, one example's shape, the number of classes (or vocabulary) and the dataset's name.
/// `initium train --save` writes it, `initium generate --checkpoint` and `train --init-from` read it.
public struct ModelCheckpoint: Sendable {
    /// The model spec as typed (`gpt:layers=4,width=128,heads=4,context=128`).
    public var model: String
    /// The hidden activation's spec.
    public var activation: String
    /// One example's shape (`[128]` for sequences of 128 tokens).
    public var inputShape: [Int]
    /// The model's number of outputs per example (classes, or the vocabulary's size).
    public var classCount: Int
    /// The name of the data it was trained on, if known.
    public var dataset: String?

    /// A checkpoint description.
    public init(model: String, activation: String, inputShape: [Int], classCount: Int, dataset: String? = nil) {
        self.model = model
        self.activation = activation
        self.inputShape = inputShape
        self.classCount = classCount
        self.dataset = dataset
    }

    /// The `__metadata__` keys.
    enum Key {
        static let model = "initium.model", activation = "initium.activation", inputShape = "initium.input_shape"
        static let classCount = "initium.classes", dataset = "initium.dataset"
    }

    /// The header metadata this checkpoint writes.
    public var metadata: [String: String] {
        var result = [
            Key.model: model, Key.activation: activation,
            Key.inputShape: inputShape.map(String.init).joined(separator: ","), Key.classCount: String(classCount),
        ]
        if let dataset { result[Key.dataset] = dataset }
        return result
    }

    /// Reads the description from a file's metadata; throws naming `path` when it holds none.
    public init(metadata: [String: String], path: String) throws {
        func fail(_ problem: String) -> InitiumError { .file(path: path, problem: problem) }
        guard let model = metadata[Key.model], let activation = metadata[Key.activation] else {
            throw fail("no model in the safetensors metadata (not written by `initium train --save`)")
        }
        let shape = metadata[Key.inputShape]?.split(separator: ",").map { Int($0) } ?? []
        guard !shape.isEmpty, shape.allSatisfy({ ($0 ?? 0) > 0 }) else {
            throw fail("metadata \(Key.inputShape) '\(metadata[Key.inputShape] ?? "")' is not a list of positive sizes")
        }
        guard let classes = metadata[Key.classCount].flatMap({ Int($0) }), classes > 0 else {
            throw fail("metadata \(Key.classCount) '\(metadata[Key.classCount] ?? "")' is not a positive integer")
        }
        self.init(model: model, activation: activation, inputShape: shape.map { $0! }, classCount: classes, dataset: metadata[Key.dataset])
    }

    /// Writes `module`'s state dictionary with this description to `path` (atomically).
    public func write(_ module: any Module, to path: String) throws {
        try SafeTensorsFile.write(module.stateDictionary, metadata: metadata, to: path)
    }

    /// Rebuilds the model a checkpoint file describes and loads its weights; throws naming the
    /// file when it has no model metadata or a tensor does not match the model.
    public static func load(from path: String) throws -> (checkpoint: ModelCheckpoint, model: any Module) {
        let (tensors, metadata) = try SafeTensorsFile.read(from: path)
        let checkpoint = try ModelCheckpoint(metadata: metadata, path: path)
        let spec = try ModelSpec(checkpoint.model)
        let model = try spec.build(
            activation: try Activation(checkpoint.activation), inputShape: checkpoint.inputShape,
            classCount: checkpoint.classCount, key: nil)
        try model.load(tensors, source: path)
        return (checkpoint, model)
    }
}
