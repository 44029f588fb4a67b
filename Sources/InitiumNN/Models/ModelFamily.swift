import InitiumCore

/// A model family: the names users type for it, how its spec parses, what input it reads and a
/// help line. Each family is one value, declared in its model's file and registered once in
/// ``registered``; ``ModelSpec`` parses and builds through the registry, and the CLI's `--model`
/// help and the README's model list come from ``optionHelp`` and ``catalog``.
///
/// Adding a family: write its module and a ``ModelConfiguration`` (what a spec fixes: sizes,
/// options) with a `build` in one new file, declare `extension ModelFamily { static let name = … }`
/// there with a parser (``keyed(_:syntax:example:summary:input:keys:make:)`` for the
/// `family:key=value,…` grammar), and add it to ``registered``.
public struct ModelFamily: Sendable {
    /// The family's name (`mlp`, `resnet`, `linear`).
    public let name: String
    /// What a user types, with placeholders: `mlp:IN-H1-…-OUT`, `resnet{6n+2}[-nonorm]`.
    public let syntax: String
    /// A spec that parses, or `nil` when ``syntax`` is one.
    public let example: String?
    /// One line on what the family is.
    public let summary: String
    /// The examples its models read.
    public let input: ModelInput
    private let parser: @Sendable (_ lowercased: String, _ typed: String) throws -> (any ModelConfiguration)?

    /// A family; `parse` receives the spec lower-cased and as typed (for messages) and returns
    /// `nil` when the spec names another family, or throws naming the bad part.
    public init(
        name: String, syntax: String, example: String? = nil, summary: String, input: ModelInput,
        parse: @escaping @Sendable (_ lowercased: String, _ typed: String) throws -> (any ModelConfiguration)?
    ) {
        self.name = name
        self.syntax = syntax
        self.example = example
        self.summary = summary
        self.input = input
        parser = parse
    }

    /// The configuration `typed` names if it belongs to this family, `nil` if it does not.
    public func parse(_ typed: String) throws -> (any ModelConfiguration)? {
        try parser(typed.lowercased(), typed)
    }

    /// The syntax with its example: `mlp:IN-H1-…-OUT (e.g. mlp:784-256x20-10)`.
    public var usage: String { example.map { "\(syntax) (e.g. \($0))" } ?? syntax }

    /// The family's help line: usage, summary and input.
    public var help: String { "\(usage) — \(summary); reads \(input)" }

    /// Every family a spec can name, in the order help lists them.
    public static let registered: [ModelFamily] = [.mlp, .lenet300, .lenet5, .lotteryTicketConvNets, .vgg11, .resnet, .linear]

    /// The family that parses `text`, with its configuration; throws listing every family when
    /// none does.
    public static func parse(_ text: String) throws -> (family: ModelFamily, configuration: any ModelConfiguration) {
        for family in registered {
            if let configuration = try family.parse(text) { return (family, configuration) }
        }
        let usages = registered.map(\.usage)
        throw InitiumError.invalidSpec(
            kind: "model", spec: text, reason: "choose " + usages.dropLast().joined(separator: ", ") + " or " + usages.last!)
    }

    /// One line for a `--model` option's help: every family's usage.
    public static var optionHelp: String {
        "Model: " + registered.map(\.usage).joined(separator: ", ") + "."
    }

    /// The model list, one Markdown bullet per family (the README's list is this text).
    public static var catalog: String {
        registered.map { "- `\($0.syntax)`" + ($0.example.map { " (e.g. `\($0)`)" } ?? "") + ": \($0.summary); reads \($0.input)" }
            .joined(separator: "\n")
    }
}

/// What one model spec fixes (sizes, options) and how to build that model; each family has its own.
public protocol ModelConfiguration: Sendable {
    /// Builds the model for examples of shape `inputShape` and `classCount` outputs, initialized
    /// from `scope` (PyTorch defaults; no key: zeros). Sizes that do not fit the data throw an
    /// error naming `spec`, the spec as typed.
    func build(spec: String, activation: Activation, inputShape: [Int], classCount: Int, scope: Scope) throws -> any Module

    /// The number of scalar parameters the spec fixes (an upper bound is enough), computed with
    /// overflow-reporting arithmetic; `nil` when it overflows `Int`. ``ModelSpec`` refuses specs
    /// too large for the machine with it, before anything is allocated.
    var parameterCount: Int? { get }
}

extension ModelConfiguration {
    /// Σ (inᵢ·outᵢ + outᵢ) over fully connected layers `sizes[i] → sizes[i + 1]`, or `nil` on overflow.
    public static func denseParameterCount(_ sizes: [Int]) -> Int? {
        var count = 0
        for (a, b) in zip(sizes, sizes.dropFirst()) {
            let (weights, o1) = a.multipliedReportingOverflow(by: b)
            let (layer, o2) = weights.addingReportingOverflow(b)
            let (total, o3) = count.addingReportingOverflow(layer)
            if o1 || o2 || o3 { return nil }
            count = total
        }
        return count
    }
}

/// The examples a model family reads.
public enum ModelInput: Sendable, Hashable, CustomStringConvertible {
    /// Feature vectors; examples of higher rank are flattened.
    case features
    /// Images `[channels, height, width]`.
    case image
    /// Token ids `[sequence]`, stored as Float32 (exact below 2²⁴).
    case tokens

    /// `feature vectors` or `images [channels, height, width]`.
    public var description: String {
        switch self {
        case .features: return "feature vectors (any example shape, flattened)"
        case .image: return "images [channels, height, width]"
        case .tokens: return "token ids [sequence]"
        }
    }

    /// Throws naming `spec` when examples of shape `shape` are not this input.
    func check(_ shape: [Int], spec: String) throws {
        if self == .tokens {
            guard shape.count == 1, shape[0] > 0 else {
                throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "needs token sequences [length], got \(shape)")
            }
            return
        }
        guard self == .image else { return }
        guard shape.count == 3, shape.allSatisfy({ $0 > 0 }) else {
            throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "needs image examples [channels, height, width], got \(shape)")
        }
    }
}

extension ModelFamily {
    /// A family with the keyed grammar `name:key=value,…` (e.g. `linear:in=784,out=10`): every
    /// key in `keys` is required and an integer ≥ 1, unknown and repeated keys are refused.
    public static func keyed(
        _ name: String, syntax: String, example: String, summary: String, input: ModelInput, keys: [String],
        make: @escaping @Sendable (_ values: [String: Int]) throws -> any ModelConfiguration
    ) -> ModelFamily {
        ModelFamily(name: name, syntax: syntax, example: example, summary: summary, input: input) { lowercased, typed in
            guard lowercased.hasPrefix(name + ":") else { return nil }
            func fail(_ reason: String) -> InitiumError { .invalidSpec(kind: "model", spec: typed, reason: reason + " (use \(syntax))") }
            var values: [String: Int] = [:]
            for pair in lowercased.dropFirst(name.count + 1).split(separator: ",", omittingEmptySubsequences: false) {
                let parts = pair.split(separator: "=", omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty else { throw fail("expected key=value, got '\(pair)'") }
                let key = String(parts[0])
                guard keys.contains(key) else { throw fail("unknown key '\(key)'; \(name) takes \(keys.joined(separator: ", "))") }
                guard values[key] == nil else { throw fail("'\(key)' given twice") }
                guard let value = Int(parts[1]), value >= 1 else { throw fail("'\(key)' must be a positive integer, got '\(parts[1])'") }
                values[key] = value
            }
            if let missing = keys.first(where: { values[$0] == nil }) { throw fail("missing '\(missing)'") }
            return try make(values)
        }
    }
}
