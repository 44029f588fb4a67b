/// A model by the name users type (design.md): `mlp:784-1024-1024-10` (widths; `256x20` repeats a
/// width 20 times) and `lenet300` (= `mlp:784-300-100-10`). Convolutional models are added by
/// ``ModelSpec/build(activation:inputShape:classCount:key:)`` as they land.
public struct ModelSpec: Sendable, CustomStringConvertible {
    /// The spec as typed.
    public let text: String
    /// The layer widths, for MLP specs.
    public let widths: [Int]?

    /// Parses a model spec; throws with a message naming the bad part.
    public init(_ text: String) throws {
        self.text = text
        let lower = text.lowercased()
        if lower == "lenet300" {
            widths = [784, 300, 100, 10]
        } else if lower.hasPrefix("mlp:") {
            widths = try Self.parseWidths(String(lower.dropFirst(4)), spec: text)
        } else {
            throw InitiumError.invalidSpec(
                kind: "model", spec: text, reason: "choose mlp:IN-H1-…-OUT (e.g. mlp:784-256x20-10) or lenet300")
        }
    }

    private static func parseWidths(_ body: String, spec: String) throws -> [Int] {
        var widths: [Int] = []
        for part in body.split(separator: "-", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "x", omittingEmptySubsequences: false)
            guard pieces.count == 1 || pieces.count == 2, let width = Int(pieces[0]), width > 0 else {
                throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "'\(part)' is not a width (use W or WxN)")
            }
            let repeats = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let repeats, repeats > 0, repeats <= 10_000 else {
                throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "'\(part)': the repeat count must be a positive integer")
            }
            widths += Array(repeating: width, count: repeats)
        }
        guard widths.count >= 2 else {
            throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "an MLP needs at least an input and an output width")
        }
        return widths
    }

    /// The spec string.
    public var description: String { text }

    /// Builds the model with PyTorch-default initialization drawn from `key`. `inputShape` is one
    /// example's shape and `classCount` the number of outputs, checked against the spec.
    public func build(activation: Activation, inputShape: [Int], classCount: Int, key: RandomKey) throws -> any Module {
        guard let widths else {
            throw InitiumError.invalidSpec(kind: "model", spec: text, reason: "unknown model")
        }
        let features = Shape.count(of: inputShape)
        guard widths.first == features else {
            throw InitiumError.invalidSpec(
                kind: "model", spec: text, reason: "input width \(widths[0]) does not match the data's \(features) features \(inputShape)")
        }
        guard widths.last == classCount else {
            throw InitiumError.invalidSpec(
                kind: "model", spec: text, reason: "output width \(widths.last!) does not match the data's \(classCount) classes")
        }
        return try MLP(widths: widths, activation: activation, key: key)
    }
}
