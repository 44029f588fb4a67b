import Foundation
import InitiumCore
import InitiumNN

/// Randomized sketching mask: instead of keeping the top-k entries of a base saliency score s,
/// sample k entries without replacement with probabilities proportional to s.
///
/// Bar & Giryes, "Pruning at Initialization — A Sketching Perspective" (2023): in the linear
/// model, a mask found at initialization is a sketch for approximate matrix multiplication,
/// whose (near-)optimal sketches *sample* coordinates with probabilities ∝ their importance
/// (Drineas, Kannan & Mahoney 2006) rather than keeping the largest; their "generic improvement"
/// to a pruning-at-initialization score is to draw the mask from the score this way, which
/// helps most in the data-free case (SynFlow, the default base here). The paper's exact sampling
/// rule is not public as code; this implementation samples without replacement, so the mask has
/// exactly the target count, and does not rescale the survivors (a mask keeps weights, it does
/// not reweight them).
///
/// Sampling is Efraimidis & Spirakis' one-pass method ("Weighted random sampling with a
/// reservoir", IPL 2006): entry i gets the key κᵢ = ln(uᵢ)/sᵢ with uᵢ ~ U(0, 1), and the k
/// largest keys are a sample of k entries without replacement with P ∝ s (an entry with s = 0
/// gets κ = −∞ and is chosen last). Because ``PruningPlan`` keeps the top scores, the keys *are*
/// this score. Scores are divided by their maximum first (the distribution is unchanged, the
/// keys stay in float range). Each call draws afresh from
/// `data.key.fold("sketch").fold(kept).fold(path)`, where `kept` counts the weights the installed
/// mask keeps, so each round of an iterative plan samples anew and a run is reproducible.
public struct SketchScore: SaliencyScore {
    /// The score whose values are the sampling weights.
    public var base: any SaliencyScore

    /// A sketching score over `base` (SynFlow by default, the data-free case of the paper).
    public init(base: any SaliencyScore = SynFlowScore()) { self.base = base }

    public var name: String { "sketch" }
    public var needsData: Bool { base.needsData }

    public func scores(model: any Module, weights: [PrunableWeight], data: ScoringData) throws -> [Tensor] {
        let scores = try base.scores(model: model, weights: weights, data: data)
        let kept = PruningMask.installed(on: weights).remainingCounts.reduce(0, +)
        return try Self.samplingKeys(scores, paths: weights.map(\.path), key: data.key.fold("sketch").fold(kept))
    }

    /// Efraimidis–Spirakis keys κ = ln(u)/(s/max s) for nonnegative sampling weights `scores`
    /// (negative or NaN weights count as 0); tensor *i* draws its u with `key.fold(paths[i])`.
    public static func samplingKeys(_ scores: [Tensor], paths: [String], key: RandomKey) throws -> [Tensor] {
        let largest = scores.reduce(Float(0)) { m, t in t.withUnsafeBufferPointer { p in p.reduce(m) { Swift.max($0, $1) } } }
        guard largest > 0, largest.isFinite else {
            throw InitiumError.invalidArgument("sketch: the base score is zero or not finite everywhere, so there is nothing to sample from")
        }
        return try zip(scores, paths).map { score, path in
            let u = try Tensor.uniform(score.shape, low: 0, high: 1, key: key.fold(path))
            return score.zipped(with: u) { s, u in
                guard s > 0 else { return -Float.infinity }
                // u = 0 has probability 2⁻²⁴ in float32; it maps to the least likely key.
                return Float(Foundation.log(Double(Swift.max(u, Float.leastNonzeroMagnitude))) / Double(s / largest))
            }
        }
    }
}
