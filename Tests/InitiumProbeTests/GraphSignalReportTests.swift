import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import Testing
@testable import InitiumProbe

private func ring(_ n: Int) throws -> Graph {
    try Graph(nodeCount: n, edges: (0..<n).map { (u: $0, v: ($0 + 1) % n, weight: Float(1)) })
}

/// A deep GCN whose Θ are identities on positive features is repeated Â-propagation: on a ring
/// (regular) ÂᵏX tends to a constant, so the relative unnormalized energy collapses and the deep
/// layers are flagged as over-smoothing while the first is not. The reported variances are those
/// of the layer outputs, and the forward ratios are relative to layer 1.
@Test func graphSignalReportFlagsOverSmoothing() throws {
    let model = try ModelSpec("gcn:layers=40,width=4").build(activation: .relu, inputShape: [4], classCount: 4, key: RandomKey(seed: 0))
    for case let layer as any MessagePassingLayer in model.namedModules.map(\.module) {
        for linear in layer.featureTransforms {
            linear.weight.value = try Tensor(shape: [4, 4], scalars: (0..<16).map { $0 % 5 == 0 ? 1 : 0 })
        }
    }
    let x = try Tensor.uniform([12, 4], low: 0.5, high: 2, key: RandomKey(seed: 1))
    let batch = try GraphBatch(graph: try ring(12))
    let report = try GraphSignalReport(model: model, inputs: x, batch: batch, key: RandomKey(seed: 5))
    #expect(report.layers.count == 40)
    #expect(!report.layers[0].verdict.contains("over-smoothing"))
    #expect(report.layers[39].verdict.contains("over-smoothing"))
    #expect(report.layers[0].forwardRatio == 1)
    let energy = report.layers.map(\.relativeEnergy)
    #expect(energy[39] < 0.01 * report.inputRelativeEnergy)
}

/// With Virgo's one-sided forward variances the predicted forward ratios are 1 by construction;
/// on a d-regular graph with constant features they are also what a deep GCN measures: the
/// measured forward variance stays within 2× of layer 1 (Acceptance 1's property, on a small net).
@Test func virgoForwardPredictionIsOneAndHoldsOnARegularGraph() throws {
    let n = 64
    var edges: [(u: Int, v: Int, weight: Float)] = []
    for i in 0..<n { edges += [(i, (i + 1) % n, 1), (i, (i + 5) % n, 1)] }
    let graph = try Graph(nodeCount: n, edges: edges)
    let x = try Tensor.uniform([n, 32], low: -1, high: 1, key: RandomKey(seed: 2)) + 0.5
    let batch = try GraphBatch(graph: graph)
    let model = try ModelSpec("gcn:layers=8,width=128").build(activation: .relu, inputShape: [32], classCount: 4, key: RandomKey(seed: 3))
    _ = try Scheme("virgo(mode=forward)").apply(to: model, context: InitializationContext(key: RandomKey(seed: 4), batch: x, graph: batch))
    let virgo = try VirgoVariances(propagation: batch.symmetric, features: x, layers: 8, inputWidth: 32, hiddenWidth: 128, outputWidth: 4)
    let report = try GraphSignalReport(model: model, inputs: x, batch: batch, key: RandomKey(seed: 5), virgo: (virgo.forward, virgo.backward))
    for layer in report.layers.dropFirst() {
        // s_l is a sample variance of U(±a) over 128·128 weights: relative error ~0.7%, 8 layers compound to < 10%
        let predicted = try #require(layer.predictedForwardRatio)
        #expect(abs(predicted - 1) < 0.1, "\(layer.name)")
    }
    for layer in report.layers.dropLast() {
        let ratio = layer.forwardRatio
        #expect((0.5...2).contains(ratio), "\(layer.name): \(ratio)")
    }
}
