import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// Zachary's karate club as published: 34 members, 78 friendships (156 stored directions, no
/// self-loops), degree sequence facts every copy of the data shares (node 33 has 17 friends,
/// node 0 has 16, node 11 only one), 17 members in each faction, and the leaders in opposite ones.
@Test func karateClubIsZacharysGraph() throws {
    let graph = try KarateClub.graph()
    #expect(graph.nodeCount == 34 && graph.edgeCount == 156 && graph.isSymmetric)
    #expect((0..<34).allSatisfy { graph.adjacency[$0, $0] == 0 })
    let degrees = graph.degrees
    #expect(degrees[33] == 17 && degrees[0] == 16 && degrees[11] == 1 && degrees.reduce(0, +) == 156)
    #expect(KarateClub.factions.filter { $0 == 0 }.count == 17)
    #expect(KarateClub.factions[0] == 0 && KarateClub.factions[33] == 1)
    let (train, test) = try DatasetSpec("karate").load(directory: nil, key: RandomKey(seed: 1))
    #expect(train.count == 2 && test.count == 32 && train.labels == [0, 1])
    #expect(train.exampleShape == [34] && train.signature == KarateClub.signature)
    let batch = try #require(try test.graphBatch(test.batchIndices(size: 5, shuffledWith: nil)[0]))
    #expect(batch.outputNodes == (1..<33).map { $0 } && batch.graph == graph && !batch.isGraphTask)
    #expect(test.batch(test.batchIndices(size: 5, shuffledWith: nil)[0]).inputs.shape == [34, 34])
}

/// The three propagations on a small directed graph with an isolated node (3) and a self-loop
/// (node 2, weight 2), against values worked by hand: messages flow u → v, so row v of P holds
/// v's in-neighbours; GCN keeps the existing self-loop weight and adds 1 elsewhere.
@Test func propagationsFollowPyGConventions() throws {
    // edges 0→1 (w 1), 2→1 (w 3), 1→0 (w 1), 2→2 (w 2); node 3 isolated
    let graph = try Graph(nodeCount: 4, edges: [(0, 1, 1), (2, 1, 3), (1, 0, 1), (2, 2, 2)], undirected: false)
    #expect(graph.degrees == [1, 4, 2, 0])
    #expect(graph.propagation(.sum).dense().scalars == [0, 1, 0, 0, 1, 0, 3, 0, 0, 0, 2, 0, 0, 0, 0, 0])
    #expect(graph.propagation(.mean).dense().scalars == [0, 1, 0, 0, 0.25, 0, 0.75, 0, 0, 0, 1, 0, 0, 0, 0, 0])
    // Ã = Aᵀ + I where missing: rows 0: {0:1, 1:1}, 1: {0:1, 1:1, 2:3}, 2: {2:2}, 3: {3:1}; D̃ = 2, 5, 2, 1
    let p = graph.propagation(.symmetric)
    let d: [Float] = [2, 5, 2, 1]
    // the kernel computes d_i^-1/2 · w · d_j^-1/2 in Float32: a few ulps from w/√(d_i d_j)
    func close(_ i: Int, _ j: Int, _ w: Float) -> Bool { abs(p[i, j] - w / (d[i] * d[j]).squareRoot()) < 1e-6 }
    #expect(close(0, 0, 1) && close(0, 1, 1) && close(1, 0, 1) && close(1, 1, 1) && close(1, 2, 3) && close(2, 2, 2))
    #expect(p[3, 3] == 1 && p.entryCount == 7)
}

/// A mini-batch of graphs: the block-diagonal union, each node's graph, and readouts that
/// select (node tasks) or pool (graph tasks) through one sparse product.
@Test func graphBatchesOfGraphsPoolPerGraph() throws {
    let a = try Graph(nodeCount: 2, edges: [(0, 1, 1)])
    let b = try Graph(nodeCount: 3, edges: [(0, 1, 1), (1, 2, 1)])
    let batch = try GraphBatch(graphs: [a, b])
    #expect(batch.graph.nodeCount == 5 && batch.graphCount == 2 && batch.nodeGraph == [0, 0, 1, 1, 1])
    #expect(batch.sum == SparseMatrix.blockDiagonal([a.propagation(.sum), b.propagation(.sum)]))
    #expect(batch.symmetric == SparseMatrix.blockDiagonal([a.propagation(.symmetric), b.propagation(.symmetric)]))
    let h = try Tensor(shape: [5, 1], scalars: [1, 3, 2, 4, 9])
    #expect(try Tensor.sparseProduct(batch.readout(.mean), h).scalars == [2, 5])
    #expect(try Tensor.sparseProduct(batch.readout(.sum), h).scalars == [4, 15])
    let nodes = try GraphBatch(graph: b, outputNodes: [2, 0])
    #expect(try Tensor.sparseProduct(nodes.readout(.mean), try Tensor(shape: [3, 1], scalars: [5, 6, 7])).scalars == [7, 5])
    #expect(throws: InitiumError.self) { try GraphBatch(graph: b, outputNodes: [3]) }
}

/// Against scipy.sparse (scripts/make_sparse_fixture.py) on three random directed weighted graphs,
/// each with an isolated node and a pre-existing self-loop: A·X, the pullback Aᵀ·G, and the three
/// propagation matrices. References are float64 rounded to float32; Initium sums at most n float32
/// products of values below 2·|x|, so 1e-5 relative to the row scale bounds the rounding.
@Test func sparseEngineMatchesSciPy() throws {
    let url = try #require(Bundle.module.url(forResource: "sparse_graphs", withExtension: "npz", subdirectory: "Fixtures"))
    let arrays = Dictionary(uniqueKeysWithValues: try NumPyArchive.read(from: url.path).map { ($0.name, $0.array.tensor) })
    func close(_ a: Tensor, _ b: Tensor, _ what: String) {
        #expect(a.shape == b.shape, "\(what)")
        let scale = max(b.scalars.map(abs).max() ?? 1, 1)
        let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-5 * scale, "\(what): worst difference \(worst)")
    }
    for c in 0..<3 {
        let shape = try #require(arrays["\(c)_shape"]).scalars.map { Int($0) }
        let a = try SparseMatrix(
            rowCount: shape[0], columnCount: shape[1], rowOffsets: try #require(arrays["\(c)_indptr"]).scalars.map { Int($0) },
            columnIndices: try #require(arrays["\(c)_indices"]).scalars.map { Int32($0) },
            values: try #require(arrays["\(c)_data"]).scalars)
        let x = Parameter(try #require(arrays["\(c)_x"]))
        let y = try Tensor.sparseProduct(a, x.tracked)
        close(y, try #require(arrays["\(c)_ax"]), "case \(c) A·X")
        let g = try #require(arrays["\(c)_g"])
        try y.backward(seed: g)
        close(try #require(x.gradient), try #require(arrays["\(c)_atg"]), "case \(c) Aᵀ·G")
        let graph = try Graph(adjacency: a)
        for kind in GraphPropagation.allCases {
            close(graph.propagation(kind).dense(), try #require(arrays["\(c)_\(kind)"]), "case \(c) \(kind)")
        }
        if c == 0 {
            let stored = try #require(Bundle.module.url(forResource: "scipy_csr", withExtension: "npz", subdirectory: "Fixtures"))
            #expect(try GraphFile.read(from: stored.path).adjacency == a)
            #expect(throws: InitiumError.self) { try GraphFile.read(from: stored.path, nodeCount: 8) }
        }
    }
}
