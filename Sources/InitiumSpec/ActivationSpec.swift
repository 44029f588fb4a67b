/// A validated activation: its family and every parameter value, parsed from what a user typed
/// (`tanh`, `sine(omega=30)`, `clipped-relu(tau=1.04,m=1)`) by the one activation parser of
/// Initium. The engine's `Activation` and the theory's `MeanFieldActivation` are both built from
/// this value, so a string means the same function to both.
///
/// Rules (one place for all of them): names and keys are case-insensitive and whitespace is
/// ignored; aliases (``ActivationFamily/aliases``) select their family; every parameter must
/// be one the family declares, a finite number, and in its ``ActivationParameter/Domain``.
///
/// The spec prints back to the string it was parsed from (whitespace removed, names lower-case,
/// values verbatim), which is what JSON outputs contain; a spec built from values prints the
/// parameters given explicitly, in declaration order. Two specs are equal when their families
/// and resolved values are (`leaky-relu` == `leaky-relu(slope=0.01)`, `swish` == `silu`).
public struct ActivationSpec: Sendable, Hashable, CustomStringConvertible, Codable {
    /// What ``SpecError`` calls the things this parser reads.
    public static let kind = "activation"

    /// The family.
    public let family: ActivationFamily
    /// Every parameter value, defaults filled in, in the order of `family.parameters`.
    public let values: [Double]
    /// The spec as written (normalized), which ``description`` prints.
    public let syntax: SpecSyntax

    /// Parses and validates `text`.
    public init(parsing text: String) throws(SpecError) {
        let syntax = try SpecSyntax(parsing: text, kind: Self.kind)
        guard let family = ActivationFamily(named: syntax.name) else {
            throw .unknownName(
                kind: Self.kind, name: syntax.name, known: ActivationFamily.allCases.map(\.rawValue))
        }
        try syntax.requireOnly(family.parameters.map(\.name), kind: Self.kind)
        var given: [String: Double] = [:]
        for parameter in family.parameters {
            if syntax.value(parameter.name) != nil {
                given[parameter.name] = try syntax.number(parameter.name, default: parameter.defaultValue, kind: Self.kind)
            }
        }
        try self.init(family: family, given: given, syntax: syntax)
    }

    /// The activation of `family` with all parameters at their defaults.
    public init(_ family: ActivationFamily) {
        self.family = family
        values = family.parameters.map(\.defaultValue)
        syntax = SpecSyntax(name: family.rawValue)
    }

    /// The activation of `family` with the given parameters (others at their defaults); throws
    /// for a name the family does not take or a value outside its domain.
    public init(_ family: ActivationFamily, parameters: [String: Double]) throws(SpecError) {
        let known = family.parameters.map(\.name)
        let names = known.filter { parameters[$0] != nil } + parameters.keys.filter { !known.contains($0) }.sorted()
        let syntax = SpecSyntax(
            name: family.rawValue,
            arguments: names.map { SpecSyntax.Argument(key: $0, value: SpecSyntax.format(parameters[$0] ?? 0)) })
        try syntax.requireOnly(known, kind: Self.kind)
        try self.init(family: family, given: parameters, syntax: syntax)
    }

    private init(family: ActivationFamily, given: [String: Double], syntax: SpecSyntax) throws(SpecError) {
        var values: [Double] = []
        for parameter in family.parameters {
            let value = given[parameter.name] ?? parameter.defaultValue
            guard parameter.domain.contains(value) else {
                throw .invalid(
                    kind: Self.kind, spec: syntax.description,
                    reason: "\(parameter.name) must be \(parameter.domain.requirement), got \(SpecSyntax.format(value))")
            }
            values.append(value)
        }
        self.family = family
        self.values = values
        self.syntax = syntax
    }

    /// The resolved value of a parameter (`spec["tau"]`), or nil if the family has none by that name.
    public subscript(parameter: String) -> Double? {
        family.parameters.firstIndex { $0.name == parameter }.map { values[$0] }
    }

    /// The parameters given explicitly (by the user or the caller), with their values.
    public var explicitParameters: [String: Double] {
        var given: [String: Double] = [:]
        for (parameter, value) in zip(family.parameters, values) where syntax.value(parameter.name) != nil {
            given[parameter.name] = value
        }
        return given
    }

    /// The same activation with some parameters replaced (and marked explicit); the others given
    /// explicitly stay so.
    public func with(_ replacements: [String: Double]) throws(SpecError) -> ActivationSpec {
        try ActivationSpec(family, parameters: explicitParameters.merging(replacements) { _, new in new })
    }

    /// The spec string; parses back to an equal spec.
    public var description: String { syntax.description }

    /// Equal families and resolved values.
    public static func == (lhs: ActivationSpec, rhs: ActivationSpec) -> Bool {
        lhs.family == rhs.family && lhs.values == rhs.values
    }

    /// Hashes the family and resolved values, consistently with ``==(_:_:)``.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(family)
        hasher.combine(values)
    }

    /// Decodes from the spec string.
    public init(from decoder: any Decoder) throws {
        try self.init(parsing: try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes as the spec string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
