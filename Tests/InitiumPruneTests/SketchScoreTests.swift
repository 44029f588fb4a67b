import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumPrune

/// Keeping the top Efraimidis–Spirakis key of four entries picks entry i with probability
/// sᵢ/Σs; over n draws each frequency has standard error √(p(1−p)/n), and 5 of them is allowed.
@Test func sketchSamplesWithProbabilityProportionalToTheScore() throws {
    let scores = [try Tensor(shape: [4], scalars: [1, 2, 3, 4])]
    let n = 4000
    var counts = [0, 0, 0, 0]
    for draw in 0..<n {
        let keys = try SketchScore.samplingKeys(scores, paths: ["w"], key: RandomKey(seed: UInt64(draw)))
        let mask = try PruningMask.keepingTop(keys, paths: ["w"], density: 0.25, scope: .global)
        let kept = mask.masks[0].scalars.firstIndex(of: 1)!
        counts[kept] += 1
    }
    for i in 0..<4 {
        let p = Double(i + 1) / 10
        #expect(abs(Double(counts[i]) / Double(n) - p) < 5 * (p * (1 - p) / Double(n)).squareRoot())
    }
}

@Test func sketchNeverKeepsAZeroScoreWhilePositiveOnesRemain() throws {
    let scores = [try Tensor(shape: [2, 4], scalars: [0, 5, 0, 1, 0, 0, 2, 0]), try Tensor(shape: [3], scalars: [0, 3, 0])]
    for seed in 0..<50 {
        let keys = try SketchScore.samplingKeys(scores, paths: ["a", "b"], key: RandomKey(seed: UInt64(seed)))
        let mask = try PruningMask.keepingTop(keys, paths: ["a", "b"], density: 3.0 / 11, scope: .global)
        for (score, m) in zip(scores, mask.masks) {
            for (s, kept) in zip(score.scalars, m.scalars) where kept == 1 { #expect(s > 0) }
        }
    }
    #expect(throws: InitiumError.self) {
        try SketchScore.samplingKeys([Tensor.zeros([3])], paths: ["a"], key: RandomKey(seed: 0))
    }
}

/// The sketch plan reaches its density exactly, is reproducible from its key, and is a random
/// draw: another key or SynFlow's deterministic top-k give different masks.
@Test func sketchPlanIsAReproducibleRandomizedSynFlow() throws {
    func fresh() throws -> MLP { try MLP(widths: [20, 40, 30, 4], activation: .relu, scope: Scope(key: RandomKey(seed: 3))) }
    func mask(_ method: PruningMethod, seed: UInt64) throws -> PruningMask {
        try PruningPlan(method: method, density: 0.1, rounds: 10).prune(try fresh(), data: ScoringData(exampleShape: [20], key: RandomKey(seed: seed)))
    }
    let a = try mask(.sketch, seed: 1)
    #expect(a.remainingCounts.reduce(0, +) == Int((0.1 * Double(800 + 1200)).rounded()))
    #expect(a == (try mask(.sketch, seed: 1)))
    #expect(a != (try mask(.sketch, seed: 2)))
    #expect(a != (try mask(.synflow, seed: 1)))
    #expect(PruningMethod.sketch.defaultRounds == 100 && !PruningMethod.sketch.score.needsData)
}
