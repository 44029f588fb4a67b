/// A model by the name users type (design.md), parsed by the registered family that recognizes
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
    }

    /// The spec string.
    public var description: String { text }

    /// Builds the model with PyTorch-default initialization drawn from `key` (`nil`: all weights
    /// start at zero, for weights loaded or initialized right after). `inputShape` is one
    /// example's shape and `classCount` the number of outputs, checked against the spec; layer
    /// sizes that do not fit the input throw an error naming the layer.
    public func build(activation: Activation, inputShape: [Int], classCount: Int, key: RandomKey?) throws -> any Module {
        try family.input.check(inputShape, spec: text)
        return try configuration.build(
            spec: text, activation: activation, inputShape: inputShape, classCount: classCount, scope: Scope(key: key))
    }
}
