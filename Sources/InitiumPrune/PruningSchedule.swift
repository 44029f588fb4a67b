import Foundation
import InitiumCore

/// How iterative pruning approaches its target density d over E rounds.
///
/// Synaptic-Flow `prune.py: prune_loop`: round e = 1…E keeps
/// - exponential: d^{e/E} (the default; each round removes the same fraction of what remains),
/// - linear: 1 − (1 − d)·e/E.
public enum PruningSchedule: String, Sendable, Codable, CaseIterable {
    /// d^{e/E}.
    case exponential
    /// 1 − (1 − d)·e/E.
    case linear

    /// Parses a schedule name.
    public init(parsing name: String) throws {
        guard let schedule = PruningSchedule(rawValue: name.lowercased()) else {
            throw InitiumError.invalidArgument("unknown pruning schedule '\(name)'; choose exponential or linear")
        }
        self = schedule
    }

    /// The density kept after round `round` (1-based) of `rounds`.
    public func density(afterRound round: Int, of rounds: Int, target: Double) -> Double {
        let fraction = Double(round) / Double(rounds)
        switch self {
        case .exponential: return round == rounds ? target : pow(target, fraction)
        case .linear: return round == rounds ? target : 1 - (1 - target) * fraction
        }
    }
}
