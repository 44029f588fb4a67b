import InitiumCore
import InitiumNN
import Testing
@testable import InitiumPrune

@Test func shrinkBenchMetricsOfAPrunedMLP() throws {
    let model = try MLP(widths: [30, 20, 10, 4], activation: .relu, scope: Scope(key: RandomKey(seed: 9)))
    let mask = try PruningPlan(method: .random, density: 0.25, scope: .layerwise)
        .prune(model, data: ScoringData(exampleShape: [30], key: RandomKey(seed: 0)))
    let metrics = try PruningMetrics.measure(model, mask: mask, for: DataSignature(exampleShape: [30], classCount: 3))
    // a linear layer's multiply-adds per example are its weight count
    #expect(metrics.denseMultiplyAdds == 600 + 200 + 40)
    #expect(abs(metrics.theoreticalSpeedup - 840.0 / (150 + 50 + 40)) < 1e-9)
    // all parameters (biases included) over nonzero ones; PyTorch-default biases are nonzero
    #expect(abs(metrics.compressionRatio - Double(840 + 34) / Double(150 + 50 + 40 + 34)) < 1e-9)
    #expect(metrics.layers.map(\.density) == [0.25, 0.25])
    #expect(metrics.density == 0.25 && metrics.collapsedLayers.isEmpty)
}

@Test func convolutionMultiplyAddsCountOutputPositions() throws {
    let model = try ModelSpec("conv2").build(activation: .relu, inputShape: [1, 12, 12], classCount: 3, key: RandomKey(seed: 4))
    let weights = try PrunableSelection.allWeights.weights(of: model)
    let metrics = try PruningMetrics.measure(model, mask: PruningMask.dense(weights), for: DataSignature(exampleShape: [1, 12, 12], classCount: 3))
    #expect(metrics.theoreticalSpeedup == 1)
    // conv2: two 3×3 "same" convolutions with 64 channels on 12×12, then fully connected layers
    let convolutions = 12 * 12 * 64 * 9 * 1 + 12 * 12 * 64 * 9 * 64
    let linear = weights.filter { $0.parameter.shape.count == 2 }.reduce(0) { $0 + $1.count }
    #expect(metrics.denseMultiplyAdds == convolutions + linear)
}

/// ShrinkBench's compression target: the prunable density d solves total / (d·prunable + fixed) = ratio.
@Test func compressionTargetGivesTheDensityThatReachesIt() throws {
    // 6·5 + 5 + 5·3 + 3 = 53 parameters; without the classifier 30 are prunable and 23 fixed.
    let model = try MLP(widths: [6, 5, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 0)))
    let density = try PrunableSelection.excludingClassifier.density(forCompression: 2, of: model)
    #expect(abs(density - (53.0 / 2 - 23) / 30) < 1e-12)
    #expect(abs(53 / (density * 30 + 23) - 2) < 1e-12)
    #expect(try PrunableSelection.allWeights.density(forCompression: 1, of: model) == 1)
    // 53 / 23 ≈ 2.30 is the ratio reached only by removing every prunable weight.
    #expect(throws: InitiumError.self) { try PrunableSelection.excludingClassifier.density(forCompression: 3, of: model) }
    #expect(throws: InitiumError.self) { try PrunableSelection.allWeights.density(forCompression: 0.5, of: model) }
}
