import Foundation
import InitiumCore

/// A node-embedding model: one learned vector u_v per node (the ``Embedding`` table `embedding`,
/// `[nodes, dimension]`), scored by LINE's first-order proximity (Tang, Qu, Wang, Zhang, Yan, Mei,
/// "LINE: Large-scale Information Network Embedding", WWW 2015, eq. 3 with negative sampling,
/// eq. 7):
///
///     O = −Σ_{(i,j)∈E} [ log σ(u_i·u_j) + Σ_{k=1..K} E_{v_k∼P_n} log σ(−u_i·u_{v_k}) ],  P_n(v) ∝ d_v^{3/4}.
///
/// An example is a directed edge, ids `[i, j]` (Float32 holding integers, see
/// ``edgeDataset(_:negativeSamples:)``); the forward pass draws K negative nodes per edge from the
/// context's key (``ForwardContext/nextKey()``) and returns two logits per (edge, node) pair,
/// `[−s/2, s/2]` with s = u_i·u_j for the edge and s = u_i·u_{v_k} for its negatives, rows
/// `(edge, slot)` with slot 0 the edge: `[B·(1+K), 2]`. With labels 1 for the edge and 0 for its
/// negatives, softmax cross-entropy of those logits is exactly −log σ(s) and −log σ(−s), so the
/// one ``Trainer`` minimizes LINE's objective (divided by the B·(1+K) rows of a batch).
public final class NodeEmbedding: Module {
    /// The table, parameter `embedding.weight` `[nodes, dimension]`.
    public let embedding: Embedding
    /// K, the negative nodes drawn per edge.
    public let negativeSamples: Int
    /// Cumulative noise weights Σ_{v' ≤ v} d_{v'}^{3/4}, in Double.
    private let noiseCumulative: [Double]
    /// The one child, `embedding`.
    public let children: [(name: String, module: any Module)]

    /// LINE's exponent of the degree in the noise distribution (Tang et al. 2015, after word2vec).
    public static let noiseExponent = 0.75

    /// A model with the given initial table `[nodes, dimension]` drawing K = `negativeSamples`
    /// negatives from P_n(v) ∝ `degrees[v]`^{3/4}; throws when the shapes disagree, K < 1 or no
    /// node has a positive degree.
    public init(table: Tensor, degrees: [Float], negativeSamples: Int) throws {
        guard table.rank == 2, table.shape[0] == degrees.count else {
            throw InitiumError.invalidShape(
                operation: "NodeEmbedding", shape: table.shape, reason: "the table must be [\(degrees.count) nodes, dimension]")
        }
        guard negativeSamples >= 1 else {
            throw InitiumError.invalidArgument("`negativeSamples` must be at least 1, got \(negativeSamples)")
        }
        var list = ChildList(Scope(key: nil))
        embedding = try list.add("embedding") { try Embedding(table.shape[0], table.shape[1], scope: $0) }
        embedding.weight.value = table.detached()
        embedding.roles = [.embedding]
        children = list.entries
        self.negativeSamples = negativeSamples
        var running = 0.0
        noiseCumulative = degrees.map { degree in
            running += degree > 0 ? Foundation.pow(Double(degree), Self.noiseExponent) : 0
            return running
        }
        guard running > 0 else {
            throw InitiumError.invalidArgument("NodeEmbedding: the graph has no edge, so there is no node to sample negatives from")
        }
    }

    /// A container of its table.
    public var kind: LayerKind { .container }

    /// The number of nodes.
    public var nodeCount: Int { embedding.count }
    /// The length of a node's vector.
    public var dimension: Int { embedding.dimension }

    /// Logits `[B·(1+K), 2]` for edges `input` `[B, 2]` (see the type's description).
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        guard input.rank == 2, input.shape[1] == 2 else {
            throw InitiumError.invalidShape(operation: "NodeEmbedding", shape: input.shape, reason: "edges must be [batch, 2] node ids")
        }
        let (batch, slots) = (input.shape[0], 1 + negativeSamples)
        let draws = try Tensor.uniform([batch * negativeSamples], key: context.nextKey())
        var sources = Tensor(uninitializedShape: [batch, 1])
        var others = Tensor(uninitializedShape: [batch, slots])
        let total = noiseCumulative[noiseCumulative.count - 1]
        input.withUnsafeBufferPointer { edges in
            draws.withUnsafeBufferPointer { u in
                sources.withUnsafeMutableBufferPointer { s in
                    others.withUnsafeMutableBufferPointer { o in
                        for b in 0..<batch {
                            s[b] = edges[2 * b]
                            o[b * slots] = edges[2 * b + 1]
                            for k in 0..<negativeSamples {
                                o[b * slots + 1 + k] = Float(noiseNode(Double(u[b * negativeSamples + k]) * total))
                            }
                        }
                    }
                }
            }
        }
        let table = context.read(embedding.weight)
        let scores = try (table.embeddingLookup(sources) * table.embeddingLookup(others)).sum(axes: [2])
        let halves = try Tensor(shape: [1, 2], scalars: [-0.5, 0.5])
        return try scores.reshaped([batch * slots, 1]) * halves
    }

    /// The first node whose cumulative noise weight exceeds `target` (the inverse CDF).
    private func noiseNode(_ target: Double) -> Int {
        var (low, high) = (0, noiseCumulative.count - 1)
        while low < high {
            let middle = (low + high) / 2
            if noiseCumulative[middle] > target { high = middle } else { low = middle + 1 }
        }
        return low
    }

    /// The labels of one edge example: 1 for the edge, 0 for each of its K negatives.
    public static func edgeLabels(negativeSamples: Int) -> [Int32] {
        [1] + [Int32](repeating: 0, count: negativeSamples)
    }

    /// The training examples of LINE's first-order objective on `graph`: every stored edge
    /// `i → j` with `i ≠ j` (an undirected edge gives both directions), repeated in proportion to
    /// its weight, as ids `[E, 2]` with ``edgeLabels(negativeSamples:)`` each, so that a shuffled
    /// pass samples edges with probability ∝ weight as LINE's edge sampling does. A weight is
    /// repeated round(w / w_min) times (w_min the smallest positive weight; an unweighted graph
    /// lists each edge once); zero-weight edges and self-loops are skipped. Throws when the graph
    /// has no such edge or the repeated list would exceed ``maximumEdgeExamples``.
    public static func edgeDataset(_ graph: Graph, negativeSamples: Int, name: String = "edges") throws -> Dataset {
        let a = graph.adjacency
        let smallest = a.values.filter { $0 > 0 }.min() ?? 1
        var ids: [Float] = []
        for i in 0..<graph.nodeCount {
            for e in a.entries(ofRow: i) where Int(a.columnIndices[e]) != i && a.values[e] > 0 {
                let repeats = Swift.max(1, Int((Double(a.values[e]) / Double(smallest)).rounded()))
                guard ids.count / 2 + repeats <= maximumEdgeExamples else {
                    throw InitiumError.invalidArgument(
                        "LINE: the edge weights ask for more than \(maximumEdgeExamples) edge samples per epoch (weights relative to the smallest are too large)")
                }
                for _ in 0..<repeats { ids += [Float(i), Float(a.columnIndices[e])] }
            }
        }
        guard !ids.isEmpty else { throw InitiumError.invalidArgument("LINE: the graph has no edge between distinct nodes to train on") }
        let count = ids.count / 2
        let labels = (0..<count).flatMap { _ in edgeLabels(negativeSamples: negativeSamples) }
        return try Dataset(
            inputs: Tensor(shape: [count, 2], scalars: ids), labels: labels, classCount: 2, name: name,
            tokenVocabularySize: graph.nodeCount)
    }

    /// The most edge examples one epoch may hold (50 million).
    public static let maximumEdgeExamples = 50_000_000
}
