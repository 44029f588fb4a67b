import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumPrune

@Test func exponentialAndLinearSchedulesReachTheTarget() {
    for schedule in PruningSchedule.allCases {
        let densities = (1...100).map { schedule.density(afterRound: $0, of: 100, target: 0.01) }
        #expect(densities.last == 0.01)
        #expect(zip(densities, densities.dropFirst()).allSatisfy { $0 > $1 })
    }
    // exponential: every round keeps the same fraction of what remains, 0.01^(1/100)
    #expect(abs(PruningSchedule.exponential.density(afterRound: 50, of: 100, target: 0.01) - 0.1) < 1e-12)
}

@Test func robustRescalingRestoresEveryUnitsFanInNorm() throws {
    let model = try MLP(widths: [30, 20, 4], activation: .relu, scope: Scope(key: RandomKey(seed: 9)))
    let weights = try PrunableSelection.excludingClassifier.weights(of: model)
    let dense = weights[0].parameter.value
    let mask = try PruningPlan(method: .magnitude, density: 0.3, rescales: true)
        .prune(model, data: ScoringData(exampleShape: [30], key: RandomKey(seed: 0)))
    let pruned = weights[0].parameter.value
    for row in 0..<20 {
        let before = (0..<30).reduce(0.0) { $0 + pow(Double(dense[row, $1]), 2) }
        let after = (0..<30).reduce(0.0) { $0 + pow(Double(pruned[row, $1]), 2) }
        #expect(relativeError(after, before) < 1e-5)
        for j in 0..<30 where mask.masks[0][row, j] == 0 { #expect(pruned[row, j] == 0) }
    }
}

@Test func layerwisePruningGivesEveryLayerTheTargetDensity() throws {
    let model = try MLP(widths: [30, 20, 10, 4], activation: .relu, scope: Scope(key: RandomKey(seed: 9)))
    let mask = try PruningPlan(method: .synflow, density: 0.2, rounds: 10, scope: .layerwise)
        .prune(model, data: ScoringData(exampleShape: [30], key: RandomKey(seed: 0)))
    #expect(mask.remainingCounts == [120, 40])
}

@Test func collapseIsAUserErrorUnlessAllowed() throws {
    func fresh() throws -> MLP { try MLP(widths: [64, 128, 64, 10], activation: .relu, scope: Scope(key: RandomKey(seed: 2))) }
    let data = ScoringData(exampleShape: [64], key: RandomKey(seed: 0))
    do {
        _ = try PruningPlan(method: .magnitude, density: 0.01).prune(try fresh(), data: data)
        Issue.record("magnitude pruning at 1% should collapse the second layer")
    } catch let error as InitiumError {
        #expect(error.description.contains("layer collapse") && error.description.contains("layers.2.weight"))
    }
    let mask = try PruningPlan(method: .magnitude, density: 0.01, allowsCollapse: true).prune(try fresh(), data: data)
    #expect(mask.collapsedPaths == ["layers.2.weight"])
}
