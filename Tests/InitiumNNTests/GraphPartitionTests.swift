import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// A stochastic block model: `blocks` blocks of `size` nodes, each pair joined with probability
/// `inside` within a block and `across` between blocks, drawn from `seed` (undirected, unweighted).
func stochasticBlockGraph(blocks: Int, size: Int, inside: Float, across: Float, seed: UInt64) throws -> Graph {
    let n = blocks * size
    let draws = try Tensor.uniform([n * n], key: RandomKey(seed: seed)).scalars
    var edges: [(u: Int, v: Int, weight: Float)] = []
    for i in 0..<n {
        for j in (i + 1)..<n where draws[i * n + j] < (i / size == j / size ? inside : across) {
            edges.append((i, j, 1))
        }
    }
    return try Graph(nodeCount: n, edges: edges)
}

/// Two cliques of `size` nodes (0..<size and size..<2·size) joined by the one edge (size−1, size).
func twoCliques(size: Int) throws -> Graph {
    var edges: [(u: Int, v: Int, weight: Float)] = [(size - 1, size, 1)]
    for offset in [0, size] {
        for i in 0..<size {
            for j in (i + 1)..<size { edges.append((offset + i, offset + j, 1)) }
        }
    }
    return try Graph(nodeCount: 2 * size, edges: edges)
}

@Suite struct GraphPartitionTests {
    /// The minimum cut of two 6-cliques joined by one edge is that edge: any other bisection cuts
    /// at least 5 clique edges. METIS finds it.
    @Test func twoCliquesSplitIntoTheCliques() throws {
        let graph = try twoCliques(size: 6)
        let partition = try GraphPartition(graph, parts: 2, seed: 1)
        #expect(partition.edgeCut == 1)
        #expect(Set(partition.parts[0..<6]).count == 1)
        #expect(Set(partition.parts[6..<12]).count == 1)
        #expect(partition.parts[0] != partition.parts[6])
    }

    /// Every part holds at most (1 + ufactor/1000)·N/k nodes (METIS's balance constraint, ufactor
    /// 30), rounded up; and the reported cut counts the pairs across parts, recomputed here.
    @Test(arguments: [2, 4, 7])
    func partsAreBalancedAndTheCutIsCounted(k: Int) throws {
        let graph = try stochasticBlockGraph(blocks: 4, size: 50, inside: 0.3, across: 0.01, seed: 3)
        let partition = try GraphPartition(graph, parts: k, seed: 5)
        let limit = (1 + Double(GraphPartition.imbalanceTolerance) / 1000) * Double(graph.nodeCount) / Double(k)
        #expect(Double(partition.partSizes.max()!) <= limit.rounded(.up), "sizes \(partition.partSizes)")
        #expect(partition.partSizes.reduce(0, +) == graph.nodeCount)
        var cut = 0
        let a = graph.adjacency
        for i in 0..<graph.nodeCount {
            for e in a.entries(ofRow: i) where Int(a.columnIndices[e]) > i && partition.parts[Int(a.columnIndices[e])] != partition.parts[i] {
                cut += 1
            }
        }
        #expect(partition.edgeCut == cut)
    }

    /// On a 4-block SBM with p_in = 0.3 and p_out = 0.01 a 4-way partition cuts far fewer edges
    /// than the ≈ 0.01·6·50² = 150 between blocks plus any within: well under a random split's
    /// ≈ ¾ of all ≈ 1,600 edges.
    @Test func blockModelCutIsSmall() throws {
        let graph = try stochasticBlockGraph(blocks: 4, size: 50, inside: 0.3, across: 0.01, seed: 3)
        let partition = try GraphPartition(graph, parts: 4, seed: 5)
        #expect(partition.edgeCut < graph.edgeCount / 2 / 4)
    }

    @Test func sameSeedSamePartition() throws {
        let graph = try stochasticBlockGraph(blocks: 3, size: 40, inside: 0.2, across: 0.05, seed: 9)
        let first = try GraphPartition(graph, parts: 5, seed: 11)
        let second = try GraphPartition(graph, parts: 5, seed: 11)
        #expect(first == second)
    }

    @Test func badPartCountsAreRefused() throws {
        let graph = try twoCliques(size: 3)
        #expect(throws: InitiumError.invalidArgument(
            "graph partition: the number of parts `k` must be at least 1, got 0")) { try GraphPartition(graph, parts: 0, seed: 0) }
        #expect(throws: InitiumError.invalidArgument(
            "graph partition: the number of parts `k` (7) must not exceed the number of nodes (6)")) { try GraphPartition(graph, parts: 7, seed: 0) }
    }

    /// A graph without edges has no cut to minimize: equal contiguous blocks, cut 0.
    @Test func edgelessGraphGetsBlocks() throws {
        let graph = try Graph(nodeCount: 6, edges: [])
        let partition = try GraphPartition(graph, parts: 3, seed: 0)
        #expect(partition.parts == [0, 0, 1, 1, 2, 2])
        #expect(partition.edgeCut == 0)
    }

    /// The abstract graph has one node per part and w(P, Q) = the cut edges between P and Q: its
    /// total undirected weight is the edge cut, and it has no self-loop.
    @Test func abstractGraphWeightIsTheCut() throws {
        let graph = try stochasticBlockGraph(blocks: 4, size: 30, inside: 0.3, across: 0.05, seed: 21)
        let partition = try GraphPartition(graph, parts: 6, seed: 2)
        let abstract = try partition.abstractGraph(of: graph)
        #expect(abstract.nodeCount == 6)
        #expect(abstract.isSymmetric)
        #expect(Int(abstract.adjacency.values.reduce(0, +)) == 2 * partition.edgeCut)
        for p in 0..<6 { #expect(abstract.adjacency[p, p] == 0) }
        var expected = [Float](repeating: 0, count: 36)
        let a = graph.adjacency
        for i in 0..<graph.nodeCount {
            for e in a.entries(ofRow: i) where Int(a.columnIndices[e]) > i {
                let (p, q) = (Int(partition.parts[i]), Int(partition.parts[Int(a.columnIndices[e])]))
                if p != q { expected[p * 6 + q] += 1; expected[q * 6 + p] += 1 }
            }
        }
        #expect(abstract.adjacency.dense().scalars == expected)
    }
}
