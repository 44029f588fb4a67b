import InitiumCore
import InitiumSpec

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
    public static let registered: [ModelFamily] = [.mlp, .lenet300, .lenet5, .lotteryTicketConvNets, .vgg11, .resnet, .linear, .gpt, .bert, .gcn, .sage, .gin, .inr]

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

    /// The activation the spec itself names (`gcn:…,act=tanh`, `inr:…,act=sine(omega=30)`), which
    /// the model uses instead of the run's; `nil` (the default) when the run's activation applies.
    /// Initializers that read the network's activation (``ModelSpec/activation(default:)``) see this one.
    var activation: Activation? { get }
}

extension ModelConfiguration {
    /// No activation of its own: the run's applies.
    public var activation: Activation? { nil }
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
    /// Node features of a graph `[nodes, features]`: one example is a node's feature vector
    /// `[features]`, the structure comes with each batch (``ForwardContext/graph``).
    case graph

    /// `feature vectors` or `images [channels, height, width]`.
    public var description: String {
        switch self {
        case .features: return "feature vectors (any example shape, flattened)"
        case .image: return "images [channels, height, width]"
        case .tokens: return "token ids [sequence]"
        case .graph: return "node features of a graph [nodes, features]"
        }
    }

    /// Throws naming `spec` when examples of shape `shape` (of a graph task `graphTask`, `nil`
    /// for data that is not a graph) are not this input.
    func check(_ shape: [Int], graphTask: GraphTask? = nil, spec: String) throws {
        if let graphTask, self != .graph {
            throw InitiumError.invalidSpec(
                kind: "model", spec: spec,
                reason: "reads \(self), but the data is a graph (\(graphTask == .nodes ? "node" : "graph") classification); "
                    + "use a graph model (gcn:, sage:, gin:)")
        }
        if self == .graph {
            guard shape.count == 1, shape[0] > 0 else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: spec, reason: "needs graph data (node features [features] per node), got examples \(shape)")
            }
            return
        }
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
        keyed(name, syntax: syntax, example: example, summary: summary, input: input, required: keys, optional: []) { values in
            try make(Dictionary(uniqueKeysWithValues: keys.map { ($0, try values.positiveInteger($0)) }))
        }
    }

    /// A family with the keyed grammar `name:key=value,…` whose values may be integers,
    /// booleans, choices or text (`gpt:layers=4,…,norm=post,tie=false`, `bert:pretrained=DIR`):
    /// the keys in `required` must be given, those in `optional` may be; unknown and repeated
    /// keys are refused. Keys are matched in any letter case; values keep the case typed (paths).
    /// `make` reads and checks each value through ``KeyedSpecValues``, whose errors name the spec.
    public static func keyed(
        _ name: String, syntax: String, example: String, summary: String, input: ModelInput,
        required: [String], optional: [String],
        make: @escaping @Sendable (_ values: KeyedSpecValues) throws -> any ModelConfiguration
    ) -> ModelFamily {
        ModelFamily(name: name, syntax: syntax, example: example, summary: summary, input: input) { lowercased, typed in
            guard lowercased.hasPrefix(name + ":") else { return nil }
            let keys = required + optional
            func fail(_ reason: String) -> InitiumError { .invalidSpec(kind: "model", spec: typed, reason: reason + " (use \(syntax))") }
            var values: [String: String] = [:]
            // Top-level commas only: values may be specs with their own (`act=sine(omega=30)`).
            for pair in SpecSyntax.splitList(String(typed.dropFirst(name.count + 1))) {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, !parts[0].isEmpty else { throw fail("expected key=value, got '\(pair)'") }
                let key = parts[0].lowercased()
                guard keys.contains(key) else { throw fail("unknown key '\(key)'; \(name) takes \(keys.joined(separator: ", "))") }
                guard values[key] == nil else { throw fail("'\(key)' given twice") }
                values[key] = String(parts[1])
            }
            if let missing = required.first(where: { values[$0] == nil }) { throw fail("missing '\(missing)'") }
            return try make(KeyedSpecValues(values: values, fail: fail))
        }
    }
}

/// The values of a keyed model spec as typed, read with the type each key needs; a value of the
/// wrong type throws an error naming the spec, the key and the value.
public struct KeyedSpecValues {
    /// The values by (lower-case) key, as typed.
    public let values: [String: String]
    let fail: (String) -> InitiumError

    /// Whether `key` was given.
    public func has(_ key: String) -> Bool { values[key] != nil }

    /// The keys given.
    public var keys: Set<String> { Set(values.keys) }

    /// An integer ≥ 1 (`fallback` when the key is absent; absent without a fallback throws).
    public func positiveInteger(_ key: String, default fallback: Int? = nil) throws -> Int {
        guard let text = values[key] else {
            if let fallback { return fallback }
            throw fail("missing '\(key)'")
        }
        guard let value = Int(text), value >= 1 else { throw fail("'\(key)' must be a positive integer, got '\(text)'") }
        return value
    }

    /// `true` or `false` (any case), or `fallback` when absent.
    public func boolean(_ key: String, default fallback: Bool) throws -> Bool {
        guard let text = values[key] else { return fallback }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw fail("'\(key)' must be true or false, got '\(text)'")
        }
    }

    /// One of a string enumeration's raw values (any case), or `fallback` when absent.
    public func choice<Value: RawRepresentable & CaseIterable>(_ key: String, default fallback: Value) throws -> Value
    where Value.RawValue == String {
        guard let text = values[key] else { return fallback }
        guard let value = Value(rawValue: text.lowercased()) else {
            throw fail("'\(key)' must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")), got '\(text)'")
        }
        return value
    }

    /// The text as typed (a path), or `nil` when absent; an empty value throws.
    public func text(_ key: String) throws -> String? {
        guard let text = values[key] else { return nil }
        guard !text.isEmpty else { throw fail("'\(key)' is empty") }
        return text
    }

    /// An error naming the spec, for checks across keys.
    public func error(_ reason: String) -> InitiumError { fail(reason) }
}
