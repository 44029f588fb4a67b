import Foundation
import InitiumCore
import InitiumSpec

/// How the learning rate changes over a run, written `constant`, `step(epochs=30,gamma=0.1)` or
/// `cosine(min=0)` (cosine annealing from the base rate to `min` over the whole run; Loshchilov &
/// Hutter, "SGDR", ICLR 2017).
public enum LearningRateSchedule: Sendable, Equatable, CustomStringConvertible {
    /// The base rate throughout.
    case constant
    /// The base rate times `gamma` every `epochs` epochs.
    case step(epochs: Int, gamma: Float)
    /// η(t) = min + (base − min)(1 + cos(πt/T))/2 over the run's T steps.
    case cosine(minimum: Float)

    /// Parses a schedule spec; throws ``InitiumError``.
    public init(_ text: String) throws {
        self = try InitiumError.reportingSpecErrors { try LearningRateSchedule(parsing: text) }
    }

    private init(parsing text: String) throws {
        let spec = try SpecSyntax(parsing: text, kind: "learning-rate schedule")
        switch spec.name {
        case "constant":
            try spec.requireOnly([], kind: "learning-rate schedule")
            self = .constant
        case "step":
            try spec.requireOnly(["epochs", "gamma"], kind: "learning-rate schedule")
            let epochs = try spec.integer("epochs", default: 30, kind: "learning-rate schedule")
            let gamma = try spec.number("gamma", default: 0.1, kind: "learning-rate schedule")
            guard epochs > 0, gamma > 0 else {
                throw InitiumError.invalidSpec(kind: "learning-rate schedule", spec: text, reason: "needs epochs > 0 and gamma > 0")
            }
            self = .step(epochs: epochs, gamma: Float(gamma))
        case "cosine":
            try spec.requireOnly(["min"], kind: "learning-rate schedule")
            self = .cosine(minimum: Float(try spec.number("min", default: 0, kind: "learning-rate schedule")))
        default:
            throw InitiumError.invalidSpec(kind: "learning-rate schedule", spec: text, reason: "choose constant, step(epochs=…,gamma=…) or cosine(min=…)")
        }
    }

    /// The rate at `step` (0-based) of a run of `totalSteps` steps with `stepsPerEpoch` per epoch.
    public func rate(base: Float, step: Int, totalSteps: Int, stepsPerEpoch: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .step(epochs, gamma):
            let epoch = step / max(stepsPerEpoch, 1)
            return base * Foundation.pow(gamma, Float(epoch / epochs))
        case let .cosine(minimum):
            let t = Double(step) / Double(max(totalSteps, 1))
            return minimum + (base - minimum) * Float((1 + Foundation.cos(Double.pi * t)) / 2)
        }
    }

    /// The spec string.
    public var description: String {
        switch self {
        case .constant: return "constant"
        case let .step(epochs, gamma): return "step(epochs=\(epochs),gamma=\(SpecSyntax.format(gamma)))"
        case let .cosine(minimum): return "cosine(min=\(SpecSyntax.format(minimum)))"
        }
    }
}
