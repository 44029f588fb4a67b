import InitiumCore
import InitiumNN
import Testing
@testable import InitiumPrune

/// A two-layer MLP's prunable weights with distinct scales, for threshold tests.
private func sampleWeights() throws -> (model: MLP, weights: [PrunableWeight]) {
    let model = try MLP(widths: [20, 30, 10, 4], activation: .relu, scope: Scope(key: RandomKey(seed: 3)))
    return (model, try PrunableSelection.excludingClassifier.weights(of: model))
}

@Test func globalMaskKeepsExactlyTheTopFractionOverAllLayers() throws {
    let (_, weights) = try sampleWeights()
    let scores = weights.map { $0.parameter.value.mapped(Swift.abs) }
    let mask = try PruningMask.keepingTop(scores, paths: weights.map(\.path), density: 0.3, scope: .global)
    let total = weights.reduce(0) { $0 + $1.count }
    #expect(mask.remainingCounts.reduce(0, +) == Int((0.3 * Double(total)).rounded()))
    // every kept score is at least every removed score, across layers
    var kept: [Float] = [], removed: [Float] = []
    for (s, m) in zip(scores, mask.masks) {
        for i in 0..<s.count { (m[flat: i] == 1 ? { kept.append(s[flat: i]) } : { removed.append(s[flat: i]) })() }
    }
    #expect(kept.min()! >= removed.max()!)
    // torch-default weights of the 20-input layer are larger than those of the 30-input layer,
    // so a global threshold keeps a larger fraction of the first
    #expect(mask.densities[0] > mask.densities[1])
}

@Test func layerwiseMaskGivesEveryLayerTheSameDensity() throws {
    let (_, weights) = try sampleWeights()
    let scores = weights.map { $0.parameter.value.mapped(Swift.abs) }
    let mask = try PruningMask.keepingTop(scores, paths: weights.map(\.path), density: 0.3, scope: .layerwise)
    for (kept, total) in zip(mask.remainingCounts, mask.totalCounts) {
        #expect(kept == Int((0.3 * Double(total)).rounded()))
    }
}

@Test func removedWeightsAreNeverRevivedAndTiesAreCountedExactly() throws {
    let paths = ["a", "b"]
    let first = try PruningMask.keepingTop(
        [Tensor(shape: [4], scalars: [4, 3, 2, 1]), Tensor(shape: [4], scalars: [8, 7, 6, 5])],
        paths: paths, density: 0.5, scope: .global)
    #expect(first.masks[1].scalars == [1, 1, 1, 1])
    // equal scores everywhere: the kept count is still exact, and only surviving entries are kept
    let second = try PruningMask.keepingTop(
        [Tensor.ones([4]), Tensor.ones([4])], paths: paths, density: 0.25, scope: .global, within: first)
    #expect(second.masks[0].scalars == [0, 0, 0, 0])
    #expect(second.masks[1].scalars == [1, 1, 0, 0])
}

@Test(arguments: [0.0, -0.1, 1.5, Double.nan])
func densitiesOutsideTheUnitIntervalAreUserErrors(density: Double) throws {
    let (_, weights) = try sampleWeights()
    #expect(throws: InitiumError.self) {
        _ = try PruningMask.keepingTop(weights.map(\.parameter.value), paths: weights.map(\.path), density: density, scope: .global)
    }
}

@Test func unknownMethodsAndPathsAreUserErrors() throws {
    #expect(throws: InitiumError.self) { _ = try PruningMethod(parsing: "obd") }
    let (model, _) = try sampleWeights()
    #expect(throws: InitiumError.self) { _ = try PrunableSelection(paths: ["layers.9.weight"]).weights(of: model) }
}

@Test func classifierIsPrunableOnlyByFlag() throws {
    let (model, excluded) = try sampleWeights()
    let included = try PrunableSelection.allWeights.weights(of: model)
    #expect(excluded.map(\.path) == ["layers.0.weight", "layers.2.weight"])
    #expect(included.map(\.path) == ["layers.0.weight", "layers.2.weight", "layers.4.weight"])
    #expect(included.last!.isClassifier)
}

@Test func shuffledMaskKeepsEachLayersCount() throws {
    let (_, weights) = try sampleWeights()
    let mask = try PruningMask.keepingTop(weights.map { $0.parameter.value.mapped(Swift.abs) }, paths: weights.map(\.path), density: 0.2, scope: .global)
    let shuffled = mask.shuffled(key: RandomKey(seed: 1))
    #expect(shuffled.remainingCounts == mask.remainingCounts)
    #expect(shuffled != mask)
}

@Test func quickselectFindsTheKthLargest() {
    var values: [Float] = (0..<1000).map { Float(($0 * 7919) % 1000) / 10 }
    for k in [1, 2, 500, 999, 1000] {
        var copy = values
        #expect(Selection.kthLargest(&copy, k) == values.sorted(by: >)[k - 1])
    }
    values = [Float](repeating: 2, count: 50) + [1, 3]
    #expect(Selection.kthLargest(&values, 2) == 2)
}
