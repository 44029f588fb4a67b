import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

@Suite struct NodeEmbeddingTests {
    /// A path 0–1–2–3 plus a triangle 4–5–6 with the edge 4–6 of weight 3.
    func smallGraph() throws -> Graph {
        try Graph(nodeCount: 7, edges: [(0, 1, 1), (1, 2, 1), (2, 3, 1), (4, 5, 1), (5, 6, 1), (4, 6, 3)])
    }

    /// Row (b, 0) of the logits is [−s/2, s/2] with s = u_i·u_j of edge b, and each negative row
    /// (b, k) is the same for s = u_i·u_v of some node v with a positive degree: softmax
    /// cross-entropy with labels 1, 0, … is then −log σ(u_i·u_j) − Σ_k log σ(−u_i·u_v), LINE's
    /// first-order objective with negative sampling (checked term by term).
    @Test func logitsAreLINEScores() throws {
        let graph = try smallGraph()
        let table = try Tensor.normal([7, 4], key: RandomKey(seed: 1))
        let model = try NodeEmbedding(table: table, degrees: graph.degrees, negativeSamples: 3)
        let edges = try Tensor(shape: [2, 2], scalars: [0, 1, 6, 4])
        let logits = try model.forward(edges, context: ForwardContext(mode: .training, key: RandomKey(seed: 2)))
        #expect(logits.shape == [8, 2])
        func dot(_ i: Int, _ j: Int) -> Float { (0..<4).reduce(0) { $0 + table[i, $1] * table[j, $1] } }
        var expectedLoss = 0.0
        for (b, (i, j)) in [(0, 1), (6, 4)].enumerated() {
            #expect(abs(logits[b * 4, 1] - dot(i, j) / 2) < 1e-5)
            #expect(abs(logits[b * 4, 0] + dot(i, j) / 2) < 1e-5)
            expectedLoss += log1p(exp(-Double(dot(i, j))))
            for k in 1...3 {
                let s = 2 * logits[b * 4 + k, 1]
                #expect(abs(logits[b * 4 + k, 0] + s / 2) < 1e-6)
                let match = (0..<7).first { abs(dot(i, $0) - s) < 1e-4 }
                #expect(match != nil, "negative score \(s) of edge \(b) is no node's")
                expectedLoss += log1p(exp(Double(s)))
            }
        }
        let loss = try logits.softmaxCrossEntropy(labels: [1, 0, 0, 0, 1, 0, 0, 0]).scalar
        #expect(abs(Double(loss) - expectedLoss / 8) < 1e-5)
    }

    /// Negatives are drawn with P(v) ∝ d_v^{3/4}: over 60,000 draws each node's count lies
    /// within 5 binomial standard errors of its expectation, and a node of degree 0 is never drawn.
    /// Row v of the table is (v + 1)·e₀, so the score of source 0 against node v is v + 1 and
    /// names the node drawn.
    @Test func negativesFollowTheNoiseDistribution() throws {
        let degrees: [Float] = [1, 2, 0, 8, 3, 16]
        var table = Tensor.zeros([6, 3])
        for v in 0..<6 { table[flat: v * 3] = Float(v + 1) }
        let model = try NodeEmbedding(table: table, degrees: degrees, negativeSamples: 20)
        let batch = 3000
        let edges = try Tensor(shape: [batch, 2], scalars: (0..<batch).flatMap { _ in [Float(0), Float(1)] })
        let logits = try model.forward(edges, context: ForwardContext(mode: .inference, key: RandomKey(seed: 4)))
        var counts = [Int](repeating: 0, count: 6)
        for b in 0..<batch {
            for k in 1...20 { counts[Int((2 * logits[b * 21 + k, 1]).rounded()) - 1] += 1 }
        }
        let weights = degrees.map { $0 > 0 ? pow(Double($0), 0.75) : 0 }
        let total = weights.reduce(0, +)
        let draws = Double(batch * 20)
        for v in 0..<6 {
            let p = weights[v] / total
            let se = (draws * p * (1 - p)).squareRoot()
            #expect(abs(Double(counts[v]) - draws * p) <= 5 * se, "node \(v): \(counts[v]) draws, expected \(draws * p)")
        }
        #expect(counts[2] == 0)
    }

    /// The LINE loss's gradient with respect to the table against finite differences.
    @Test func gradientsMatchFiniteDifferences() throws {
        let graph = try smallGraph()
        let model = try NodeEmbedding(
            table: try Tensor.normal([7, 5], std: 0.5, key: RandomKey(seed: 6)), degrees: graph.degrees, negativeSamples: 2)
        let edges = try Tensor(shape: [3, 2], scalars: [0, 1, 5, 6, 2, 3])
        try expectModuleGradientsMatchFiniteDifferences(model, input: edges, entries: 35, differentiableInput: false)
    }

    /// Edge examples: both directions of every undirected edge, self-loops skipped, an edge of
    /// weight 3 (three times the smallest) repeated three times; labels 1 then K zeros.
    @Test func edgeDatasetRepeatsByWeight() throws {
        var edges = try smallGraph().adjacency
        edges = try SparseMatrix(rowCount: 7, columnCount: 7, entries: [(2, 2, 5)] + (0..<7).flatMap { i in
            edges.entries(ofRow: i).map { (i, Int(edges.columnIndices[$0]), edges.values[$0]) }
        })
        let data = try NodeEmbedding.edgeDataset(try Graph(adjacency: edges), negativeSamples: 2)
        #expect(data.count == 2 * (5 + 3))
        #expect(data.labelsPerExample == 3)
        #expect(Array(data.labels.prefix(3)) == [1, 0, 0])
        var pairs: [String: Int] = [:]
        for e in 0..<data.count { pairs["\(Int(data.inputs[e, 0]))-\(Int(data.inputs[e, 1]))", default: 0] += 1 }
        #expect(pairs["4-6"] == 3 && pairs["6-4"] == 3 && pairs["0-1"] == 1 && pairs["1-0"] == 1 && pairs["2-2"] == nil)
    }

    @Test func edgelessGraphIsRefused() throws {
        let graph = try Graph(nodeCount: 3, edges: [])
        #expect(throws: InitiumError.self) { try NodeEmbedding.edgeDataset(graph, negativeSamples: 1) }
        #expect(throws: InitiumError.self) { try NodeEmbedding(table: Tensor.zeros([3, 2]), degrees: graph.degrees, negativeSamples: 1) }
    }

    /// A few epochs of LINE on two 6-cliques joined by one edge lower the loss and leave nodes of
    /// the same clique more similar (mean cosine) than nodes of different cliques.
    @Test func trainingSeparatesCliques() throws {
        let graph = try twoCliques(size: 6)
        let embedder = LINEEmbedder(dimension: 8, epochs: 60, batchSize: 16, learningRate: 0.05)
        let start = try embedder.randomTable(nodeCount: 12, key: RandomKey(seed: 7))
        #expect(start.scalars.allSatisfy { abs($0) <= 0.5 / 8 })
        let result = try embedder.train(graph, from: start, key: RandomKey(seed: 8))
        #expect(result.epochLosses.count == 60)
        #expect(result.epochLosses.last! < result.epochLosses.first!)
        let u = result.table
        func cosine(_ i: Int, _ j: Int) -> Double {
            var (dot, a, b) = (0.0, 0.0, 0.0)
            for c in 0..<8 {
                dot += Double(u[i, c] * u[j, c]); a += Double(u[i, c] * u[i, c]); b += Double(u[j, c] * u[j, c])
            }
            return dot / (a * b).squareRoot()
        }
        var same: [Double] = [], different: [Double] = []
        for i in 0..<12 {
            for j in (i + 1)..<12 {
                if i / 6 == j / 6 { same.append(cosine(i, j)) } else { different.append(cosine(i, j)) }
            }
        }
        let meanSame = same.reduce(0, +) / Double(same.count)
        let meanDifferent = different.reduce(0, +) / Double(different.count)
        #expect(meanSame > meanDifferent + 0.3, "same \(meanSame), different \(meanDifferent)")
    }
}

/// LINE training gives the same bits with 1 and 2 threads (the kernels' fixed-order reductions).
@Test func lineTrainingIsThreadCountIndependent() throws {
    let graph = try twoCliques(size: 8)
    let embedder = LINEEmbedder(dimension: 32, epochs: 3, batchSize: 16)
    let start = try embedder.randomTable(nodeCount: 16, key: RandomKey(seed: 1))
    let one = try Parallel.withThreadCount(1) { try embedder.train(graph, from: start, key: RandomKey(seed: 2)) }
    let two = try Parallel.withThreadCount(2) { try embedder.train(graph, from: start, key: RandomKey(seed: 2)) }
    #expect(one.table == two.table)
    #expect(one.epochLosses == two.epochLosses)
}
