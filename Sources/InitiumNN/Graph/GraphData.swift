import InitiumCore

/// The structure a graph ``Dataset`` carries (``Dataset/graph``) and what its examples are.
///
/// - Node tasks (``nodes(_:nodes:)``): the dataset's inputs are the features of every node of one
///   graph `[nodeCount, features]`; its examples are the labelled nodes `nodes` of its split, with
///   their labels in that order. A batch is the whole graph (full-batch training); the model returns
///   the logits of the batch's nodes (``GraphBatch/outputNodes``).
/// - Graph tasks (``graphs(_:nodeOffsets:)``): example i is the graph `graphs[i]`, whose node
///   features are rows `nodeOffsets[i]..<nodeOffsets[i + 1]` of the inputs (all graphs' nodes
///   stacked, `[total nodes, features]`); a mini-batch is the block-diagonal union of its graphs.
public enum GraphData: Sendable {
    /// One graph (its ``GraphBatch`` computed once, every node output) and the split's labelled nodes.
    case nodes(GraphBatch, nodes: [Int])
    /// Several graphs and where each one's node features start (`graphs.count + 1` offsets).
    case graphs([Graph], nodeOffsets: [Int])

    /// The node classification task on `graph`, examples `nodes` (validated against the graph).
    public static func nodeTask(_ graph: Graph, nodes: [Int]) throws -> GraphData {
        if let bad = nodes.first(where: { $0 < 0 || $0 >= graph.nodeCount }) {
            throw InitiumError.invalidArgument("graph dataset: labelled node \(bad) is outside the graph's 0..<\(graph.nodeCount)")
        }
        return .nodes(try GraphBatch(graph: graph), nodes: nodes)
    }

    /// The graph classification task on `graphs`, their node features stacked in order.
    public static func graphTask(_ graphs: [Graph]) -> GraphData {
        var offsets = [0]
        offsets.reserveCapacity(graphs.count + 1)
        for graph in graphs { offsets.append(offsets.last! + graph.nodeCount) }
        return .graphs(graphs, nodeOffsets: offsets)
    }

    /// Whether examples are nodes or graphs.
    public var task: GraphTask {
        if case .nodes = self { return .nodes }
        return .graphs
    }

    /// The number of examples: labelled nodes or graphs.
    public var exampleCount: Int {
        switch self {
        case let .nodes(_, nodes): return nodes.count
        case let .graphs(graphs, _): return graphs.count
        }
    }

    /// The number of rows the dataset's inputs must have (every node of every graph).
    public var nodeRowCount: Int {
        switch self {
        case let .nodes(batch, _): return batch.graph.nodeCount
        case let .graphs(_, offsets): return offsets.last ?? 0
        }
    }

    /// Whether a batch is always the whole graph (node tasks).
    public var isFullBatch: Bool {
        if case .nodes = self { return true }
        return false
    }

    /// The structure of the examples at `indices`, in that order.
    public func batch(_ indices: ArraySlice<Int>) throws -> GraphBatch {
        switch self {
        case let .nodes(whole, nodes):
            return try whole.selecting(indices.map { nodes[$0] })
        case let .graphs(graphs, _):
            return try GraphBatch(graphs: indices.map { graphs[$0] })
        }
    }

    /// The rows of the inputs a batch of `indices` reads, in order: every node for a node task,
    /// the chosen graphs' nodes one graph after the other for a graph task.
    func inputRows(_ indices: ArraySlice<Int>) -> [Int]? {
        switch self {
        case .nodes: return nil
        case let .graphs(_, offsets): return indices.flatMap { offsets[$0]..<offsets[$0 + 1] }
        }
    }

    /// The first `n` examples' structure and the number of input rows they keep.
    func prefix(_ n: Int) -> (data: GraphData, rows: Int) {
        switch self {
        case let .nodes(batch, nodes): return (.nodes(batch, nodes: Array(nodes.prefix(n))), batch.graph.nodeCount)
        case let .graphs(graphs, offsets):
            let kept = min(n, graphs.count)
            return (.graphs(Array(graphs.prefix(kept)), nodeOffsets: Array(offsets.prefix(kept + 1))), offsets[kept])
        }
    }
}

/// What the examples of a graph dataset are.
public enum GraphTask: String, Sendable, Hashable, Codable {
    /// Node classification: examples are labelled nodes of one graph (full-batch).
    case nodes
    /// Graph classification: examples are whole graphs (mini-batches of graphs).
    case graphs
}
