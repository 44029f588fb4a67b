import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import InitiumSpec

/// One arm of a ``Comparison``: a scheme, optionally with its own model options and learning rate,
/// written `SCHEME[key=value,…]` — e.g. `t-fixup[norm=none]`, `mup[tie=false]` or
/// `normal(std=0.02)[norm=post,lr=0.01]`. Keys other than `lr` replace (or add) keys of the
/// study's keyed model spec (`gpt:layers=24,width=128,heads=4`), so initializations that need a
/// matching architecture (T-Fixup without LayerNorm, DeepNet with DeepNorm, μP untied) are compared
/// on the same budget as the others.
public struct ComparisonArm: Sendable, CustomStringConvertible {
    /// The arm as typed (its label in tables and reports).
    public var label: String
    /// The initialization.
    public var scheme: Scheme
    /// Model-spec keys this arm sets, in the order typed.
    public var modelOverrides: [(key: String, value: String)]
    /// The learning rate of this arm, when it differs from the study's.
    public var learningRate: Float?

    /// An arm of one scheme with the study's model and learning rate.
    public init(_ scheme: Scheme) {
        label = scheme.description
        self.scheme = scheme
        modelOverrides = []
        learningRate = nil
    }

    /// Parses `SCHEME` or `SCHEME[key=value,…]`; throws naming the bad part.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "["), trimmed.hasSuffix("]") else {
            if trimmed.contains("[") || trimmed.contains("]") {
                throw InitiumError.invalidSpec(kind: "comparison arm", spec: text, reason: "expected SCHEME[key=value,…] with the brackets last")
            }
            self.init(try Scheme(trimmed))
            return
        }
        var arm = ComparisonArm(try Scheme(String(trimmed[..<open])))
        arm.label = trimmed
        let inside = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        for pair in SpecSyntax.splitList(String(inside)) {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw InitiumError.invalidSpec(kind: "comparison arm", spec: text, reason: "expected key=value, got '\(pair)'")
            }
            if parts[0] == "lr" {
                guard let rate = Float(parts[1]), rate > 0, rate.isFinite else {
                    throw InitiumError.invalidSpec(kind: "comparison arm", spec: text, reason: "lr must be a positive number, got '\(parts[1])'")
                }
                arm.learningRate = rate
            } else {
                arm.modelOverrides.append((parts[0], parts[1]))
            }
        }
        self = arm
    }

    /// The label.
    public var description: String { label }

    /// The study's model with this arm's keys set (``InitiumNN/ModelSpec/settingKeys(_:)``).
    public func model(from base: ModelSpec) throws -> ModelSpec {
        guard !modelOverrides.isEmpty else { return base }
        return try base.settingKeys(modelOverrides)
    }
}
