import InitiumCore

/// How a graph layer mixes node features along edges: the matrix P of Y = P·X.
///
/// Messages flow along edges (PyG's `source_to_target`): the adjacency's entry (u, v) sends u's
/// features to v, so P is built from Aᵀ and degrees are weighted in-degrees. For an undirected
/// graph (both directions stored) Aᵀ = A.
public enum GraphPropagation: Sendable, Hashable, CaseIterable {
    /// D̃^-1/2 Ã D̃^-1/2 with Ã = Aᵀ plus a self-loop of weight 1 on every node that has none
    /// (a node's existing self-loop keeps its weight) and D̃ its row sums; a zero degree gives 0.
    /// PyG's `gcn_norm` with `add_remaining_self_loops` (Kipf & Welling, "Semi-Supervised
    /// Classification with Graph Convolutional Networks", ICLR 2017).
    case symmetric
    /// D⁻¹Aᵀ, the mean over in-neighbours (GraphSAGE's mean aggregator, Hamilton et al. 2017); no
    /// self-loops are added and a node without in-neighbours gets a zero row.
    case mean
    /// Aᵀ, the sum over in-neighbours (GIN, Xu et al., "How Powerful are Graph Neural Networks?", ICLR 2019).
    case sum
}

/// A graph on `nodeCount` nodes: a weighted adjacency matrix in CSR form.
///
/// An undirected graph stores each edge in both directions; self-loops are present only when the
/// data has them. Weights are finite and non-negative (checked when the graph is made).
public struct Graph: Sendable, Equatable {
    /// The number of nodes.
    public let nodeCount: Int
    /// The weighted adjacency `[nodeCount, nodeCount]`: entry (u, v) is the weight of the edge u → v.
    public let adjacency: SparseMatrix

    /// A graph from its adjacency; throws when it is not square or a weight is negative or not finite.
    public init(adjacency: SparseMatrix) throws {
        guard adjacency.rowCount == adjacency.columnCount else {
            throw InitiumError.invalidArgument(
                "graph: the adjacency must be square, got \(adjacency.rowCount)×\(adjacency.columnCount)")
        }
        for row in 0..<adjacency.rowCount {
            for k in adjacency.entries(ofRow: row) where !(adjacency.values[k].isFinite && adjacency.values[k] >= 0) {
                throw InitiumError.invalidArgument(
                    "graph: edge \(row) → \(adjacency.columnIndices[k]) has weight \(adjacency.values[k]); weights must be finite and ≥ 0")
            }
        }
        nodeCount = adjacency.rowCount
        self.adjacency = adjacency
    }

    /// A graph from edges `(u, v, weight)` on nodes `0..<nodeCount`; an undirected graph also
    /// stores (v, u) for every u ≠ v. Repeated edges are summed. Throws naming a bad node or weight.
    public init(nodeCount: Int, edges: [(u: Int, v: Int, weight: Float)], undirected: Bool = true) throws {
        var entries: [(row: Int, column: Int, value: Float)] = []
        entries.reserveCapacity(edges.count * (undirected ? 2 : 1))
        for edge in edges {
            guard edge.u >= 0, edge.u < nodeCount, edge.v >= 0, edge.v < nodeCount else {
                throw InitiumError.invalidArgument("graph: edge \(edge.u) – \(edge.v) names a node outside 0..<\(nodeCount)")
            }
            entries.append((edge.u, edge.v, edge.weight))
            if undirected, edge.u != edge.v { entries.append((edge.v, edge.u, edge.weight)) }
        }
        try self.init(adjacency: SparseMatrix(rowCount: nodeCount, columnCount: nodeCount, entries: entries))
    }

    /// The number of stored (directed) edges; an undirected edge counts twice, a self-loop once.
    public var edgeCount: Int { adjacency.entryCount }

    /// The weighted in-degree of each node, Σᵤ A[u, v] (for an undirected graph, the weighted degree).
    public var degrees: [Float] { adjacency.transposed().rowSums }

    /// Whether A = Aᵀ (weights included).
    public var isSymmetric: Bool { adjacency == adjacency.transposed() }

    /// The propagation matrix of `kind` (see ``GraphPropagation``), `[nodeCount, nodeCount]`.
    public func propagation(_ kind: GraphPropagation) -> SparseMatrix {
        let incoming = adjacency.transposed()
        switch kind {
        case .sum:
            return incoming
        case .mean:
            let sums = incoming.rowSums
            return incoming.mappingValues { row, _, value in sums[row] > 0 ? value / sums[row] : 0 }
        case .symmetric:
            let looped = incoming.fillingMissingDiagonal(with: 1)
            let inverseRoots = looped.rowSums.map { $0 > 0 ? 1 / $0.squareRoot() : 0 }
            return looped.mappingValues { row, column, value in inverseRoots[row] * value * inverseRoots[column] }
        }
    }

    /// The disjoint union of `graphs`: node ids of each graph shifted past the previous graphs'
    /// (the block-diagonal adjacency used for mini-batches of graphs).
    public static func blockDiagonal(_ graphs: [Graph]) -> Graph {
        let union = SparseMatrix.blockDiagonal(graphs.map(\.adjacency))
        return Graph(validated: union)
    }

    /// A graph whose adjacency is known to be square with valid weights.
    init(validated adjacency: SparseMatrix) {
        nodeCount = adjacency.rowCount
        self.adjacency = adjacency
    }
}
