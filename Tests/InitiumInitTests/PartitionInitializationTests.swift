import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// A stochastic block model (`blocks` blocks of `size` nodes, edge probabilities `inside` and
/// `across`) drawn from `seed`, plus `isolated` nodes without edges at the end.
private func blockGraph(blocks: Int, size: Int, inside: Float, across: Float, isolated: Int = 0, seed: UInt64) throws -> Graph {
    let n = blocks * size
    let draws = try Tensor.uniform([n * n], key: RandomKey(seed: seed)).scalars
    var edges: [(u: Int, v: Int, weight: Float)] = []
    for i in 0..<n {
        for j in (i + 1)..<n where draws[i * n + j] < (i / size == j / size ? inside : across) { edges.append((i, j, 1)) }
    }
    return try Graph(nodeCount: n + isolated, edges: edges)
}

private func cosine(_ t: Tensor, _ i: Int, _ j: Int) -> Double {
    let d = t.shape[1]
    var (dot, a, b) = (0.0, 0.0, 0.0)
    for c in 0..<d {
        let (x, y) = (Double(t[i, c]), Double(t[j, c]))
        dot += x * y; a += x * x; b += y * y
    }
    return dot / max((a * b).squareRoot(), 1e-300)
}

@Suite struct PartitionInitializationTests {
    let embedder = LINEEmbedder(dimension: 16, epochs: 12, batchSize: 64, learningRate: 0.02)

    /// Spec §3: on a 4-block SBM (p_in = 0.3, p_out = 0.01, 200 nodes) the mean cosine between
    /// the initial vectors of same-block nodes exceeds that between different-block nodes
    /// (default k = ⌈√200⌉ = 15, α = 0.5, one round): by more than 0.3 (0.78 against −0.19
    /// for this graph and seed when written).
    @Test func sameBlockVectorsAreCloser() throws {
        let graph = try blockGraph(blocks: 4, size: 50, inside: 0.3, across: 0.01, seed: 1)
        let made = try PartitionInitialization().initialTable(for: graph, embedder: embedder, key: RandomKey(seed: 2))
        #expect(made.partition.partCount == 15)
        #expect(made.table.shape == [200, 16])
        var (same, different, ns, nd) = (0.0, 0.0, 0, 0)
        for i in 0..<200 {
            for j in (i + 1)..<200 {
                if i / 50 == j / 50 { same += cosine(made.table, i, j); ns += 1 } else { different += cosine(made.table, i, j); nd += 1 }
            }
        }
        #expect(same / Double(ns) > different / Double(nd) + 0.3, "same \(same / Double(ns)), different \(different / Double(nd))")
    }

    /// α = 0 (or no round) gives every node exactly its part's vector.
    @Test func zeroAlphaReproducesPartVectors() throws {
        let graph = try blockGraph(blocks: 3, size: 20, inside: 0.3, across: 0.02, seed: 3)
        for recipe in [PartitionInitialization(parts: 5, alpha: 0, rounds: 2), PartitionInitialization(parts: 5, alpha: 0.5, rounds: 0)] {
            let made = try recipe.initialTable(for: graph, embedder: embedder, key: RandomKey(seed: 4))
            for v in 0..<60 {
                let p = Int(made.partition.parts[v])
                #expect((0..<16).allSatisfy { made.table[v, $0] == made.partVectors[p, $0] })
            }
        }
    }

    /// One round on the path 0–1–2 with parts {0}, {1}, {2} and scalar part vectors (0, 1, 2):
    /// h ← (1−α)h + α·mean of neighbours = (0.5·0 + 0.5·1, 0.5·1 + 0.5·1, 0.5·2 + 0.5·1) at α = ½;
    /// the isolated node 3 (its own part, vector 7) keeps 7 and stays finite.
    @Test func smoothingIsTheNeighbourMean() throws {
        let graph = try Graph(nodeCount: 4, edges: [(0, 1, 1), (1, 2, 1)])
        let partition = try GraphPartition(parts: [2, 0, 3, 1], partCount: 4, of: graph)
        #expect(partition.edgeCut == 2)
        let vectors = try Tensor(shape: [4, 1], scalars: [1, 7, 0, 2])
        let one = try PartitionInitialization(alpha: 0.5, rounds: 1).smoothed(partVectors: vectors, partition: partition, graph: graph)
        #expect(one.scalars == [0.5, 1, 1.5, 7])
        let two = try PartitionInitialization(alpha: 0.5, rounds: 2).smoothed(partVectors: vectors, partition: partition, graph: graph)
        #expect(two.scalars == [0.75, 1, 1.25, 7])
    }

    /// Isolated nodes get their part's vector, never NaN, and the abstract graph's total weight
    /// equals the edge cut.
    @Test func isolatedNodesAreFiniteAndAbstractWeightIsTheCut() throws {
        let graph = try blockGraph(blocks: 2, size: 20, inside: 0.4, across: 0.05, isolated: 5, seed: 5)
        let made = try PartitionInitialization(parts: 6).initialTable(for: graph, embedder: embedder, key: RandomKey(seed: 6))
        #expect(made.table.scalars.allSatisfy { $0.isFinite })
        for v in 40..<45 {
            let p = Int(made.partition.parts[v])
            #expect((0..<16).allSatisfy { made.table[v, $0] == made.partVectors[p, $0] })
        }
        #expect(Int(made.abstractGraph.adjacency.values.reduce(0, +)) == 2 * made.partition.edgeCut)
        #expect(!made.abstractLosses.isEmpty)
    }

    @Test func specsParseAndPrint() throws {
        #expect(try NodeEmbeddingInitialization("random") == .random)
        #expect(try NodeEmbeddingInitialization("partition") == .partition(PartitionInitialization()))
        let spec = try NodeEmbeddingInitialization("partition(k=8,alpha=0.25,rounds=3)")
        #expect(spec == .partition(PartitionInitialization(parts: 8, alpha: 0.25, rounds: 3)))
        #expect(spec.description == "partition(k=8,alpha=0.25,rounds=3)")
        let short = try NodeEmbeddingInitialization("partition(epochs=2)")
        #expect(short == .partition(PartitionInitialization(abstractEpochs: 2)) && short.description == "partition(alpha=0.5,rounds=1,epochs=2)")
        for bad in ["partition(alpha=2)", "partition(k=0)", "partition(epochs=0)", "partition(rounds=-1)", "partition(beta=1)", "orthogonal", "random(k=2)"] {
            #expect(throws: InitiumError.self, "\(bad)") { try NodeEmbeddingInitialization(bad) }
        }
    }
}
