import Foundation
import InitiumCore

/// A model by the name users type, parsed by the registered family that recognizes
/// it (``ModelFamily/registered``; ``ModelFamily/catalog`` lists them): e.g. `mlp:784-256x20-10`,
/// `lenet300`, `lenet5`, `conv4`, `vgg11`, `resnet20`, `resnet56-nonorm`, `linear:in=784,out=10`.
/// The text is kept as typed, so reports print it back unchanged.
///
/// Convolutional models read image examples `[channels, height, width]` (Fashion-MNIST: `[1, 28, 28]`).
public struct ModelSpec: Sendable, CustomStringConvertible {
    /// The spec as typed.
    public let text: String
    /// The family that parsed it.
    public let family: ModelFamily
    /// What the spec fixes (widths, depth, …), of the family's own type (e.g. ``MLP/Configuration``).
    public let configuration: any ModelConfiguration

    /// Parses a model spec; throws with a message naming the bad part, or listing the families.
    public init(_ text: String) throws {
        self.text = text
        (family, configuration) = try ModelFamily.parse(text)
        try Self.checkSize(parameters: configuration.parameterCount, spec: text)
    }

    /// Refuses a spec whose parameters overflow a 64-bit count or would not fit in this machine's
    /// memory as float32, before anything is allocated (`mlp:784-4294967296-10` is a user error,
    /// not an allocation failure).
    private static func checkSize(parameters: Int?, spec: String) throws {
        let memory = ProcessInfo.processInfo.physicalMemory
        guard let parameters else {
            throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "its parameter count overflows a 64-bit integer")
        }
        let (bytes, overflow) = UInt64(parameters).multipliedReportingOverflow(by: 4)
        guard !overflow, bytes <= memory else {
            func gigabytes(_ b: Double) -> String { String(format: "%.3g GB", b / 1e9) }
            throw InitiumError.invalidSpec(
                kind: "model", spec: spec,
                reason: "its \(parameters) parameters need \(gigabytes(Double(parameters) * 4)) as float32, more than this machine's "
                    + "\(gigabytes(Double(memory))) of memory")
        }
    }

    /// The spec string.
    public var description: String { text }

    /// The activation the model computes: the one its spec names, else `run`, the run's.
    public func activation(default run: Activation) -> Activation {
        configuration.activation ?? run
    }

    /// Builds the model with PyTorch-default initialization drawn from `key` (`nil`: all weights
    /// start at zero, for weights loaded or initialized right after). `inputShape` is one
    /// example's shape and `classCount` the number of outputs, checked against the spec; layer
    /// sizes that do not fit the input throw an error naming the layer.
    public func build(activation: Activation, inputShape: [Int], classCount: Int, key: RandomKey?) throws -> any Module {
        try build(activation: activation, inputShape: inputShape, classCount: classCount, graphTask: nil, key: key)
    }

    /// ``build(activation:inputShape:classCount:key:)`` for data of a graph task: `graphTask` (``DataSignature/graphTask``) fills in what a graph model's spec leaves to the
    /// data (``GraphModelConfiguration``: node or graph classification).
    public func build(activation: Activation, inputShape: [Int], classCount: Int, graphTask: GraphTask?, key: RandomKey?) throws -> any Module {
        try family.input.check(inputShape, graphTask: graphTask, spec: text)
        var configuration = self.configuration
        if let graphTask, let graphModel = configuration as? any GraphModelConfiguration { configuration = graphModel.resolved(for: graphTask) }
        return try configuration.build(
            spec: text, activation: activation, inputShape: inputShape, classCount: classCount, scope: Scope(key: key))
    }
}
