import InitiumCore

/// `fashion-mnist-knn(n=10000,k=10)`: a k-nearest-neighbour graph of Fashion-MNIST images, node
/// classification with the standard semi-supervised split.
///
/// Nodes are the first `n` training images (pixels in [0, 1], features `[n, 784]`), labelled by
/// their class. Each node is joined to its `k` nearest other images in Euclidean pixel distance
/// (ties to the lower index); the graph is symmetrized (an undirected edge wherever either end
/// chose the other, weight 1), as scikit-learn's `kneighbors_graph` followed by A ∨ Aᵀ. Squared
/// distances ‖xᵢ‖² + ‖xⱼ‖² − 2xᵢ·xⱼ come from a BLAS product per block of rows. Split (from the
/// run's key): 20 labelled nodes per class, 500 validation and 1,000 test nodes
/// (``NodeClassification/semiSupervisedSplit(perClass:validation:test:key:)``).
public enum FashionMNISTKNN {
    /// The `k` nearest neighbours of each row of `points` `[n, d]` (itself excluded), ties broken
    /// by index, as an undirected unweighted graph.
    public static func neighbourGraph(_ points: Tensor, k: Int) throws -> Graph {
        guard points.rank == 2 else {
            throw InitiumError.invalidShape(operation: "k-nearest-neighbour graph", shape: points.shape, reason: "needs [points, features]")
        }
        let (n, d) = (points.shape[0], points.shape[1])
        guard k >= 1, k < n else { throw InitiumError.invalidArgument("k-nearest-neighbour graph: `k` must be in 1..<\(n), got \(k)") }
        let norms: [Float] = points.withUnsafeBufferPointer { x in
            (0..<n).map { i in (0..<d).reduce(Float(0)) { $0 + x[i * d + $1] * x[i * d + $1] } }
        }
        var neighbours = [Int](repeating: 0, count: n * k)
        let blockRows = max(1, min(n, (1 << 22) / n))
        var gram = [Float](repeating: 0, count: blockRows * n)
        points.withUnsafeBufferPointer { x in
            gram.withUnsafeMutableBufferPointer { g in
                neighbours.withUnsafeMutableBufferPointer { chosen in
                    var start = 0
                    while start < n {
                        let rows = min(blockRows, n - start)
                        GEMM.multiply(
                            m: rows, n: n, k: d, x.baseAddress! + start * d, transposeA: false, x.baseAddress!, transposeB: true,
                            into: g.baseAddress!)
                        let blockStart = start
                        Parallel.forEachChunk(count: rows, minimumPerThread: max(1, (1 << 16) / n)) { range in
                            var bestDistance = [Float](repeating: 0, count: k)
                            var bestIndex = [Int](repeating: 0, count: k)
                            for r in range {
                                let i = blockStart + r
                                var filled = 0
                                for j in 0..<n where j != i {
                                    let distance = norms[i] + norms[j] - 2 * g[r * n + j]
                                    if filled == k, distance >= bestDistance[k - 1] { continue }
                                    var slot = filled < k ? filled : k - 1
                                    if filled < k { filled += 1 }
                                    while slot > 0, bestDistance[slot - 1] > distance {
                                        bestDistance[slot] = bestDistance[slot - 1]
                                        bestIndex[slot] = bestIndex[slot - 1]
                                        slot -= 1
                                    }
                                    bestDistance[slot] = distance
                                    bestIndex[slot] = j
                                }
                                for s in 0..<k { chosen[i * k + s] = bestIndex[s] }
                            }
                        }
                        start += rows
                    }
                }
            }
        }
        var entries: [(row: Int, column: Int, value: Float)] = []
        entries.reserveCapacity(2 * n * k)
        for i in 0..<n {
            for s in 0..<k {
                entries.append((i, neighbours[i * k + s], 1))
                entries.append((neighbours[i * k + s], i, 1))
            }
        }
        // a pair chosen from both ends appears twice: keep weight 1 (A ∨ Aᵀ)
        let summed = try SparseMatrix(rowCount: n, columnCount: n, entries: entries)
        return try Graph(adjacency: summed.mappingValues { _, _, _ in 1 })
    }

    /// The node classification data of the first `n` training images of `directory`.
    public static func load(n: Int, k: Int, directory: String?) throws -> NodeClassification {
        let images = try FashionMNIST.load(split: .train, directory: FashionMNIST.directory(explicit: directory))
        guard n <= images.count else {
            throw InitiumError.invalidArgument("fashion-mnist-knn: `n` must be at most \(images.count), got \(n)")
        }
        let subset = try images.prefix(n)
        let features = try subset.inputs.reshaped([n, subset.featureCount])
        return try NodeClassification(
            graph: neighbourGraph(features, k: k), features: features, labels: subset.labels, classCount: subset.classCount)
    }

    /// A spec's `n` and `k`, validated.
    static func parameters(_ spec: DatasetParameters) throws -> (n: Int, k: Int) {
        let n = try spec.integer("n", default: 10_000), k = try spec.integer("k", default: 10)
        guard n >= 2, n <= 60_000, k >= 1, k < n else { throw spec.invalid("needs 2 ≤ n ≤ 60000 and 1 ≤ k < n") }
        return (n, k)
    }
}

extension DatasetFamily {
    /// `fashion-mnist-knn(n=10000,k=10)` (``FashionMNISTKNN``).
    public static let fashionMNISTKNN = DatasetFamily(
        name: "fashion-mnist-knn", keys: ["n", "k"], syntax: "fashion-mnist-knn(n=10000,k=10)",
        summary: "k-nearest-neighbour graph (pixel space, symmetrized) of the first n Fashion-MNIST training images, "
            + "node classification: 20 labelled nodes per class, 500 validation, 1,000 test",
        readsDirectory: true,
        signature: { spec in
            _ = try FashionMNISTKNN.parameters(spec)
            return DataSignature(exampleShape: [784], classCount: 10, graphTask: .nodes)
        }
    ) { spec, source in
        let (n, k) = try FashionMNISTKNN.parameters(spec)
        let data = try FashionMNISTKNN.load(n: n, k: k, directory: source.directory)
        return try data.datasets(try data.semiSupervisedSplit(key: source.key.fold("split")), name: spec.description)
    }
}
