import InitiumCore

/// The graph structure that goes with one batch of a graph dataset, set on
/// ``ForwardContext/graph`` by whoever runs a graph model (the Trainer, evaluation, inspection).
///
/// Node tasks (node classification) see the whole graph with ``outputNodes`` the rows whose
/// logits the model returns, in label order; graph tasks (graph classification) see the
/// block-diagonal union of the batch's graphs with ``nodeGraph`` saying which graph each node
/// belongs to. The three propagation matrices are computed once per batch, so layers never
/// renormalize in their forward pass.
public struct GraphBatch: Sendable {
    /// The whole graph (node tasks) or the disjoint union of the batch's graphs (graph tasks).
    public let graph: Graph
    /// ``Graph/propagation(_:)`` `.symmetric` of ``graph`` (GCN).
    public let symmetric: SparseMatrix
    /// ``Graph/propagation(_:)`` `.mean` of ``graph`` (GraphSAGE).
    public let mean: SparseMatrix
    /// ``Graph/propagation(_:)`` `.sum` of ``graph`` (GIN).
    public let sum: SparseMatrix
    /// Graph tasks: the graph (0..<``graphCount``) of each node of ``graph``; `nil` for node tasks.
    public let nodeGraph: [Int32]?
    /// The number of graphs in the batch (1 for node tasks).
    public let graphCount: Int
    /// Node tasks: the nodes whose logits the model returns, in label order (`nil`: every node).
    /// Always `nil` for graph tasks.
    public let outputNodes: [Int]?

    /// A node-task batch: the whole `graph`, returning the logits of `outputNodes` (`nil`: all).
    public init(graph: Graph, outputNodes: [Int]? = nil) throws {
        if let bad = outputNodes?.first(where: { $0 < 0 || $0 >= graph.nodeCount }) {
            throw InitiumError.invalidArgument("graph batch: output node \(bad) is outside 0..<\(graph.nodeCount)")
        }
        self.init(
            graph: graph, symmetric: graph.propagation(.symmetric), mean: graph.propagation(.mean), sum: graph.propagation(.sum),
            nodeGraph: nil, graphCount: 1, outputNodes: outputNodes)
    }

    /// One isolated node as a batch of `task`: the single example that data-free passes
    /// (SynFlow's all-ones input, multiply-add counts) feed a graph model.
    public static func isolatedNode(task: GraphTask) throws -> GraphBatch {
        let node = try Graph(nodeCount: 1, edges: [])
        return task == .nodes ? try GraphBatch(graph: node) : try GraphBatch(graphs: [node])
    }

    /// A graph-task batch: the disjoint union of `graphs` (at least one), in order.
    public init(graphs: [Graph]) throws {
        guard !graphs.isEmpty else { throw InitiumError.invalidArgument("graph batch: needs at least one graph") }
        let union = Graph.blockDiagonal(graphs)
        var owners = [Int32]()
        owners.reserveCapacity(union.nodeCount)
        for (index, graph) in graphs.enumerated() { owners.append(contentsOf: repeatElement(Int32(index), count: graph.nodeCount)) }
        // normalizations act within each block, so the union's equal the blocks' block-diagonal
        self.init(
            graph: union, symmetric: union.propagation(.symmetric), mean: union.propagation(.mean), sum: union.propagation(.sum),
            nodeGraph: owners, graphCount: graphs.count, outputNodes: nil)
    }

    private init(
        graph: Graph, symmetric: SparseMatrix, mean: SparseMatrix, sum: SparseMatrix, nodeGraph: [Int32]?, graphCount: Int,
        outputNodes: [Int]?
    ) {
        self.graph = graph
        self.symmetric = symmetric
        self.mean = mean
        self.sum = sum
        self.nodeGraph = nodeGraph
        self.graphCount = graphCount
        self.outputNodes = outputNodes
    }

    /// Whether this batch is of a graph task (graph classification): the model pools over ``nodeGraph``.
    public var isGraphTask: Bool { nodeGraph != nil }

    /// The same node-task batch returning the logits of `nodes` (its propagation matrices reused).
    public func selecting(_ nodes: [Int]?) throws -> GraphBatch {
        guard !isGraphTask else { throw InitiumError.invalidArgument("graph batch: a graph task has no output nodes") }
        if let bad = nodes?.first(where: { $0 < 0 || $0 >= graph.nodeCount }) {
            throw InitiumError.invalidArgument("graph batch: output node \(bad) is outside 0..<\(graph.nodeCount)")
        }
        return GraphBatch(
            graph: graph, symmetric: symmetric, mean: mean, sum: sum, nodeGraph: nil, graphCount: 1, outputNodes: nodes)
    }

    /// The precomputed matrix of `kind`.
    public func propagation(_ kind: GraphPropagation) -> SparseMatrix {
        switch kind {
        case .symmetric: return symmetric
        case .mean: return mean
        case .sum: return sum
        }
    }

    /// The matrix R whose product R·H `[nodes, d]` is the model's readout: for a node task the rows
    /// of ``outputNodes`` (`[outputNodes.count, nodes]`, one 1 per row; every node when `nil`), for
    /// a graph task the `pooling` of each graph's nodes (`[graphCount, nodes]`: 1 for a sum, 1/nᵍ
    /// for a mean over the nᵍ nodes of graph g). Use with ``Tensor/sparseProduct(_:_:)``.
    public func readout(_ pooling: GraphPooling) -> SparseMatrix {
        let nodes = graph.nodeCount
        guard let nodeGraph else {
            let rows = outputNodes ?? Array(0..<nodes)
            return try! SparseMatrix(
                rowCount: rows.count, columnCount: nodes, rowOffsets: Array(0...rows.count),
                columnIndices: rows.map { Int32($0) }, values: Array(repeating: 1, count: rows.count))
        }
        var sizes = [Int](repeating: 0, count: graphCount)
        for owner in nodeGraph { sizes[Int(owner)] += 1 }
        var offsets = [0]
        for size in sizes { offsets.append(offsets.last! + size) }
        // nodes of graph g are the consecutive block offsets[g]..<offsets[g + 1]
        let values = nodeGraph.map { owner -> Float in
            pooling == .sum ? 1 : 1 / Float(max(sizes[Int(owner)], 1))
        }
        return try! SparseMatrix(
            rowCount: graphCount, columnCount: nodes, rowOffsets: offsets, columnIndices: (0..<nodes).map { Int32($0) },
            values: values)
    }
}

/// How a graph task's node representations become one vector per graph.
public enum GraphPooling: String, Sendable, Hashable, CaseIterable {
    /// The mean over the graph's nodes (PyG's `global_mean_pool`).
    case mean
    /// The sum over the graph's nodes (PyG's `global_add_pool`, GIN's readout).
    case sum
}
