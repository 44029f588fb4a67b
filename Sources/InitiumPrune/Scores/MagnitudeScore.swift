import InitiumCore
import InitiumNN

/// Magnitude scores |θ| (Han et al., "Learning both Weights and Connections", NeurIPS 2015;
/// Synaptic-Flow `Mag`; open_lth's IMP criterion on trained weights).
public struct MagnitudeScore: SaliencyScore {
    /// A magnitude score.
    public init() {}

    public var name: String { "magnitude" }
    public var needsData: Bool { false }

    public func scores(model: any Module, weights: [PrunableWeight], data: ScoringData) throws -> [Tensor] {
        weights.map { $0.parameter.value.mapped(Swift.abs) }
    }
}
