import InitiumSpec

/// Every error Initium's libraries throw. Each case carries enough context (file, shapes, what was
/// expected and found) for the command-line tool to print a one-line message that says what is
/// wrong and how to fix it.
public enum InitiumError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Two shapes that an operation needs to agree do not.
    case shapeMismatch(operation: String, lhs: [Int], rhs: [Int])
    /// A single shape is not valid for an operation (wrong rank, empty, negative size...).
    case invalidShape(operation: String, shape: [Int], reason: String)
    /// An argument is outside the values an operation accepts.
    case invalidArgument(String)
    /// A name (activation, model, scheme, dataset...) or a `name(k=v)` spec was refused: the spec
    /// layer's error (``InitiumSpec/SpecError``), or an engine check of a spec's values.
    case spec(SpecError)
    /// A file could not be read or has unexpected content.
    case file(path: String, problem: String)
    /// A required dataset is not installed.
    case missingDataset(name: String, path: String, hint: String)
    /// Training produced a loss that is not a finite number.
    case nonFiniteLoss(step: Int, value: Float)
    /// Automatic differentiation was used incorrectly (e.g. backward twice through a freed tape).
    case autodiff(String)
    /// A layer, identified by its parameter path, received an input it cannot process.
    case layer(path: String, problem: String)
    /// An invariant Initium itself should have kept was broken: a bug, reported as exit status 2.
    case internalFailure(String)

    public var description: String {
        switch self {
        case let .shapeMismatch(op, lhs, rhs):
            return "\(op): shapes \(lhs) and \(rhs) are not compatible"
        case let .invalidShape(op, shape, reason):
            return "\(op): shape \(shape) is not valid: \(reason)"
        case let .invalidArgument(message):
            return message
        case let .spec(error):
            return error.description
        case let .file(path, problem):
            return "\(path): \(problem)"
        case let .missingDataset(name, path, hint):
            return "dataset \(name) not found at \(path): \(hint)"
        case let .nonFiniteLoss(step, value):
            return "loss became \(value) at step \(step); lower the learning rate or pick a better-scaled initialization"
        case let .autodiff(message):
            return "autodiff: \(message)"
        case let .layer(path, problem):
            return "layer \(path): \(problem)"
        case let .internalFailure(message):
            return "internal error: \(message)"
        }
    }

    /// Whether the error is a user's mistake (exit status 1) rather than a bug (exit status 2).
    public var isUserError: Bool {
        if case .internalFailure = self { return false }
        return true
    }
}

extension InitiumError {
    /// A spec (`kind` "model", "dataset"…) whose values the engine refuses: `invalid kind 'spec': reason`.
    public static func invalidSpec(kind: String, spec: String, reason: String) -> InitiumError {
        .spec(.invalid(kind: kind, spec: spec, reason: reason))
    }

    /// Runs `body`, reporting a ``InitiumSpec/SpecError`` it throws as ``spec(_:)`` so that the
    /// engine's parsers (activations, schemes, datasets, schedules) throw one error type; other
    /// errors pass through.
    public static func reportingSpecErrors<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as SpecError {
            throw InitiumError.spec(error)
        }
    }
}
