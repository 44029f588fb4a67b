import InitiumCore
import InitiumNN

/// Random scores: i.i.d. U(0, 1) per weight, so the kept set is a uniformly random subset
/// (Synaptic-Flow `Rand`, which draws N(0, 1); any continuous i.i.d. draw gives the same masks'
/// distribution). Weight *w* at path p uses `data.key.fold("random-score").fold(p)`.
public struct RandomScore: SaliencyScore {
    /// A random score.
    public init() {}

    public var name: String { "random" }
    public var needsData: Bool { false }

    public func scores(model: any Module, weights: [PrunableWeight], data: ScoringData) throws -> [Tensor] {
        try weights.map { try Tensor.random($0.parameter.shape, .uniform(low: 0, high: 1), key: data.key.fold("random-score").fold($0.path)) }
    }
}
