import InitiumCore

/// A message-passing layer of a graph network (``GCNConv``, ``SAGEConv``, ``GINConv``): it reads
/// one of the batch's precomputed propagation matrices from ``ForwardContext/graph`` and
/// transforms node features `[nodes, features]` with its own Linear layers.
///
/// Model-level recipes and probes find graph layers through this protocol, never by type:
/// Virgo draws the weights of ``featureTransforms``, the graph diagnostics measure each layer's
/// output (its kind is ``LayerKind/block``, so the output is reported after its children's).
public protocol MessagePassingLayer: Module {
    /// The propagation this layer aggregates with (GCN `symmetric`, SAGE `mean`, GIN `sum`).
    var propagation: GraphPropagation { get }
    /// The Linear layers whose weights transform node features, in forward order: GCN's `lin`,
    /// SAGE's `lin_l` and `lin_r`, GIN's first and last MLP Linear (the weights Virgo sets).
    var featureTransforms: [Linear] { get }
    /// Input and output widths.
    var inFeatures: Int { get }
    /// The output width.
    var outFeatures: Int { get }
}

extension ForwardContext {
    /// The graph batch a graph layer reads, checked against its input's node count; a clear
    /// error when no graph was set (a graph model run on non-graph data or outside a graph run).
    func requireGraph(for layer: String, input: Tensor, features: Int) throws -> GraphBatch {
        guard let graph else {
            throw InitiumError.invalidArgument(
                "\(layer) needs a graph: run graph models on graph data (the forward context has no `graph`)")
        }
        guard input.rank == 2, input.shape[0] == graph.graph.nodeCount, input.shape[1] == features else {
            throw InitiumError.invalidShape(
                operation: layer, shape: input.shape,
                reason: "expected node features [\(graph.graph.nodeCount), \(features)] for a graph of \(graph.graph.nodeCount) nodes")
        }
        return graph
    }
}
