/// Why a `name(key=value,...)` spec (an activation, a scheme, a model, a dataset…) was refused:
/// the one error type of the spec layer. The libraries above wrap it in their own error type
/// (`InitiumError.spec`, `TheoryError.spec`) so that each layer of the stack throws one type; its
/// message is one line naming the spec and the problem.
public enum SpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `spec`, a `kind` ("activation", "scheme"…), is malformed or has a parameter that is unknown
    /// or outside its domain; `reason` says which.
    case invalid(kind: String, spec: String, reason: String)
    /// `name` is not in the catalog of `kind`s, whose names are `known`.
    case unknownName(kind: String, name: String, known: [String])

    /// One line: the spec, then what is wrong with it.
    public var description: String {
        switch self {
        case let .invalid(kind, spec, reason):
            return "invalid \(kind) '\(spec)': \(reason)"
        case let .unknownName(kind, name, known):
            return "unknown \(kind) '\(name)'; choose one of " + known.joined(separator: ", ")
        }
    }
}
