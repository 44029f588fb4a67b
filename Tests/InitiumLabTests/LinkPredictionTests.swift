import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumLab

@Suite struct LinkPredictionTests {
    /// AUC by counting pairs: positives (0.9, 0.8, 0.4) beat negatives (0.5, 0.4, 0.1) in
    /// 3 + 3 + 1 pairs and tie in one (0.4 = 0.4, counted ½): 7.5/9.
    @Test func areaUnderCurveCountsPairsWithTiesHalf() {
        let auc = ReceiverOperatingCharacteristic.areaUnderCurve(positives: [0.9, 0.8, 0.4], negatives: [0.5, 0.4, 0.1])
        #expect(abs(auc - 7.5 / 9) < 1e-12)
        #expect(ReceiverOperatingCharacteristic.areaUnderCurve(positives: [2, 3], negatives: [0, 1]) == 1)
        #expect(ReceiverOperatingCharacteristic.areaUnderCurve(positives: [0], negatives: [1, 2]) == 0)
        #expect(ReceiverOperatingCharacteristic.areaUnderCurve(positives: [1, 1], negatives: [1]) == 0.5)
    }

    /// A ring of 40 nodes with chords i–(i+5): 10% of its 80 edges held out, none of them left in
    /// the training graph, every node keeping a neighbour; negatives are non-edges; the same key
    /// gives the same split.
    @Test func splitHoldsOutEdgesAndDrawsNonEdges() throws {
        let n = 40
        let edges = (0..<n).flatMap { i in [(u: i, v: (i + 1) % n, weight: Float(1)), (u: i, v: (i + 5) % n, weight: Float(1))] }
        let graph = try Graph(nodeCount: n, edges: edges)
        let split = try LinkPredictionSplit(graph, fraction: 0.1, key: RandomKey(seed: 3))
        #expect(split.heldOutEdges.count == 8)
        #expect(split.negativePairs.count == 8)
        #expect(split.trainingEdgeCount == 72)
        #expect(split.trainingGraph.edgeCount == 144)
        let a = split.trainingGraph.adjacency
        for p in split.heldOutEdges {
            #expect(a[p.i, p.j] == 0 && a[p.j, p.i] == 0)
            #expect(graph.adjacency[p.i, p.j] == 1)
        }
        for p in split.negativePairs { #expect(p.i < p.j && graph.adjacency[p.i, p.j] == 0) }
        #expect(Set(split.negativePairs).count == 8)
        #expect(split.trainingGraph.degrees.allSatisfy { $0 >= 1 })
        let again = try LinkPredictionSplit(graph, fraction: 0.1, key: RandomKey(seed: 3))
        #expect(again.heldOutEdges == split.heldOutEdges && again.negativePairs == split.negativePairs)
    }

    /// A star's leaves have one neighbour each, so none of its edges may be held out.
    @Test func leavesKeepTheirOnlyEdge() throws {
        let graph = try Graph(nodeCount: 6, edges: (1..<6).map { (u: 0, v: $0, weight: Float(1)) })
        let split = try LinkPredictionSplit(graph, fraction: 0.5, key: RandomKey(seed: 1))
        #expect(split.heldOutEdges.isEmpty)
        #expect(split.areaUnderCurve(table: Tensor.zeros([6, 2])) == nil)
        #expect(throws: InitiumError.self) { try LinkPredictionSplit(graph, fraction: 1, key: RandomKey(seed: 1)) }
    }

    /// A table whose dot products are high exactly on edges scores AUC 1 on any split of it.
    @Test func aucOfAnOracleTableIsOne() throws {
        // two 5-cliques; one-hot block vectors make u_i·u_j = 1 inside a clique and 0 across
        var edges: [(u: Int, v: Int, weight: Float)] = []
        for offset in [0, 5] { for i in 0..<5 { for j in (i + 1)..<5 { edges.append((offset + i, offset + j, 1)) } } }
        let graph = try Graph(nodeCount: 10, edges: edges)
        let split = try LinkPredictionSplit(graph, fraction: 0.2, key: RandomKey(seed: 2))
        #expect(split.heldOutEdges.count == 4)
        var values: [Float] = []
        for v in 0..<10 { values += v < 5 ? [1, 0] : [0, 1] }
        let table = try Tensor(shape: [10, 2], scalars: values)
        #expect(split.areaUnderCurve(table: table) == 1)
    }

    /// The probe separates linearly separable embeddings (the sign of the first coordinate) perfectly.
    @Test func probeAccuracy() throws {
        var values: [Float] = []
        for v in 0..<8 { values += [v % 2 == 0 ? 1 : -1, Float(v) / 10] }
        let table = try Tensor(shape: [8, 2], scalars: values)
        let labels: [Int32] = (0..<8).map { Int32($0 % 2) }
        let accuracy = try LinearProbe().accuracy(
            table: table, trainNodes: [0, 1, 2, 3], trainLabels: Array(labels[0..<4]), testNodes: [4, 5, 6, 7],
            testLabels: Array(labels[4..<8]), classCount: 2, key: RandomKey(seed: 1))
        #expect(accuracy == 1)
    }
}
