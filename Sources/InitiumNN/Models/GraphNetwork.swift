import Foundation
import InitiumCore

/// A message-passing graph network: GCN, GraphSAGE-mean or GIN layers (``GCNConv``,
/// ``SAGEConv``, ``GINConv``), for node classification or graph classification, reading node
/// features `[nodes, features]` and the graph from ``ForwardContext/graph``.
///
/// Layers and names (PyTorch Geometric's): an optional `encoder` (``NodeEncoder``, `encoder.lin`;
/// required by random node features), then `convs.0 … convs.{n−1}`, each followed by φ (and
/// dropout before it, residual `h + φ(conv(h))` when the widths agree):
/// - node task: n = layers − 1 hidden convs of width `width`, then `head`, a conv of the same
///   kind mapping to the classes (a 2-layer GCN is `convs.0`, `head`, Kipf & Welling's model);
///   the logits are the rows of ``GraphBatch/outputNodes`` (all nodes when nil), in that order;
/// - graph task: n = layers convs of width `width`, pooling (mean, sum or max) over the nodes of
///   each graph (``GraphBatch/nodeGraph``), then `head`, an MLP readout `head.0` Linear(width,
///   width) → φ → `head.2` Linear(width, classes); logits `[graphCount, classes]`.
/// Parameter paths: GCN `convs.{i}.lin.weight`, `convs.{i}.bias`; SAGE `convs.{i}.lin_l.{weight,bias}`,
/// `convs.{i}.lin_r.weight`; GIN `convs.{i}.nn.{0,1,3}.…` (Linear, BatchNorm, Linear) and `convs.{i}.eps`.
public final class GraphNetwork: Module {
    /// What the spec fixes.
    public let configuration: Configuration
    /// The input stage, when the spec asks for one.
    public let encoder: NodeEncoder?
    /// The message-passing layers before the head.
    public let convs: [any MessagePassingLayer]
    /// The output stage: a conv (node task) or the MLP readout (graph task).
    public let head: any Module
    /// φ.
    public let activation: Activation
    /// `encoder`, `convs`, `head`.
    public let children: [(name: String, module: any Module)]
    private let dropout: Dropout

    /// The network for `features` input features and `classes` classes.
    public init(_ configuration: Configuration, features: Int, classes: Int, activation: Activation, scope: Scope) throws {
        self.configuration = configuration
        self.activation = activation
        let width = configuration.width
        var list = ChildList(scope)
        encoder = configuration.hasEncoder
            ? try list.add("encoder") { try NodeEncoder(features, width: width, activation: activation, scope: $0) } : nil
        let hiddenCount = configuration.resolvedTask == .node ? configuration.layers - 1 : configuration.layers
        var inWidth = configuration.hasEncoder ? width : features
        var convs: [any MessagePassingLayer] = []
        try list.addGroup("convs") { scope in
            var layers = ChildList(scope)
            for _ in 0..<hiddenCount {
                let input = inWidth
                convs.append(try Self.addConv(&layers, String(layers.entries.count)) {
                    try configuration.makeConv(input, width, activation: activation, scope: $0)
                })
                inWidth = width
            }
            return Sequential(layers)
        }
        self.convs = convs
        let finalWidth = inWidth
        switch configuration.resolvedTask {
        case .node:
            head = try Self.addConv(&list, "head") { try configuration.makeConv(finalWidth, classes, activation: activation, scope: $0) }
        case .graph:
            let readout: Sequential = try list.addGroup("head") { scope in
                var layers = ChildList(scope)
                try layers.append { Linear(finalWidth, width, scope: $0) }.roles = [.hidden]
                try layers.append { _ in ActivationLayer(activation) }
                try layers.append { Linear(width, classes, scope: $0) }.roles = [.classifier]
                return Sequential(layers)
            }
            head = readout
        }
        children = list.entries
        dropout = try Dropout(probability: Float(configuration.dropout))
        for (i, conv) in convs.enumerated() {
            for linear in conv.featureTransforms { linear.roles = i == 0 && encoder == nil ? [.input] : [.hidden] }
        }
        if let last = (head as? any MessagePassingLayer)?.featureTransforms {
            for linear in last { linear.roles = hiddenCount == 0 && encoder == nil ? [.input, .classifier] : [.classifier] }
        }
    }

    /// Builds the child `name` of `list` as a message-passing layer of a type known at run time.
    private static func addConv(
        _ list: inout ChildList, _ name: String, _ make: (Scope) throws -> any MessagePassingLayer
    ) throws -> any MessagePassingLayer {
        func record<M: MessagePassingLayer>(_ layer: M) throws -> M { try list.add(name) { _ in layer } }
        let layer: any MessagePassingLayer
        do { layer = try make(list.scope.child(name)) } catch let error as InitiumError { throw error.inLayer(name) }
        return try record(layer)
    }

    /// The message-passing layers in forward order (the head last for node tasks): the layers
    /// Virgo initializes and the graph diagnostics measure.
    public var messagePassingLayers: [any MessagePassingLayer] {
        convs + ((head as? any MessagePassingLayer).map { [$0] } ?? [])
    }

    /// A model: its output is computed from its children.
    public var kind: LayerKind { .container }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        guard let graph = context.graph else {
            throw InitiumError.invalidArgument("\(configuration.architecture.rawValue) models need a graph: run them on graph data (the forward context has no `graph`)")
        }
        var h = input
        if let encoder { h = try forward(child: encoder, h, context: context) }
        for conv in convs {
            let previous = h
            h = try activation.apply(try forward(child: conv, try dropout.forward(h, context: context), context: context))
            if configuration.residual, h.shape == previous.shape { h = try h + previous }
        }
        switch configuration.resolvedTask {
        case .node:
            guard !graph.isGraphTask else {
                throw InitiumError.invalidArgument(
                    "\(configuration.architecture.rawValue) was built for node classification but the batch holds whole graphs (use task=graph)")
            }
            h = try forward(child: head, try dropout.forward(h, context: context), context: context)
            guard let rows = graph.outputNodes else { return h }
            return try h.indexSelect(axis: 0, rows)
        case .graph:
            guard graph.isGraphTask || graph.outputNodes == nil else {
                throw InitiumError.invalidArgument(
                    "\(configuration.architecture.rawValue) was built for graph classification but the batch labels nodes (use task=node)")
            }
            return try forward(child: head, try pool(h, graph: graph), context: context)
        }
    }

    /// `[graphCount, width]`: each graph's node rows reduced by the configured pooling (mean and
    /// sum through the batch's ``GraphBatch/readout(_:)`` matrix, max over each graph's rows,
    /// which are contiguous in a block-diagonal batch).
    func pool(_ h: Tensor, graph: GraphBatch) throws -> Tensor {
        switch configuration.pool {
        case .mean: return try Tensor.sparseProduct(graph.readout(.mean), h)
        case .sum: return try Tensor.sparseProduct(graph.readout(.sum), h)
        case .max: break
        }
        let ranges = try GraphNetwork.nodeRanges(graph, nodes: h.shape[0])
        let pooled = try ranges.enumerated().map { index, range -> Tensor in
            guard !range.isEmpty else {
                throw InitiumError.invalidArgument("graph \(index) of the batch has no nodes; max pooling needs at least one")
            }
            return try h.slice(axis: 0, range).max(axis: 0)
        }
        return try Tensor.stack(pooled, axis: 0)
    }

    /// The node range of each graph of the batch (one range for a single graph).
    static func nodeRanges(_ graph: GraphBatch, nodes: Int) throws -> [Range<Int>] {
        guard let owners = graph.nodeGraph else { return [0..<nodes] }
        guard owners.count == nodes else {
            throw InitiumError.invalidArgument("the batch assigns \(owners.count) nodes to graphs, but the features have \(nodes) rows")
        }
        var starts = [Int](repeating: -1, count: graph.graphCount), ends = [Int](repeating: 0, count: graph.graphCount)
        for (node, owner) in owners.enumerated() {
            let g = Int(owner)
            guard g >= 0, g < graph.graphCount, starts[g] == -1 || ends[g] == node else {
                throw InitiumError.invalidArgument("node \(node) belongs to graph \(g): the nodes of each of the \(graph.graphCount) graphs must be contiguous")
            }
            if starts[g] == -1 { starts[g] = node }
            ends[g] = node + 1
        }
        return zip(starts, ends).map { $0 == -1 ? 0..<0 : $0..<$1 }
    }
}

extension GraphNetwork {
    /// The message-passing layer type.
    public enum Architecture: String, Sendable, Hashable, CaseIterable {
        /// ``GCNConv``.
        case gcn
        /// ``SAGEConv`` (mean).
        case sage
        /// ``GINConv``.
        case gin
    }

    /// Node or graph classification.
    public enum Task: String, Sendable, Hashable, CaseIterable {
        /// One label per node; logits for ``GraphBatch/outputNodes``.
        case node
        /// One label per graph; pooling, then an MLP readout.
        case graph
    }

    /// How a graph task reduces its nodes.
    public enum Pooling: String, Sendable, Hashable, CaseIterable {
        /// The mean of the node features.
        case mean
        /// The sum.
        case sum
        /// The elementwise maximum (the RNI paper's readout).
        case max
    }

    /// What a `gcn:`/`sage:`/`gin:` spec fixes.
    public struct Configuration: GraphModelConfiguration, Hashable {
        /// The layer type.
        public var architecture: Architecture
        /// Message-passing layers (node task: the head conv included).
        public var layers: Int
        /// Hidden width.
        public var width: Int
        /// φ, when the spec names one (else the run's activation).
        public var activation: Activation?
        /// Residual connections around hidden layers of equal widths.
        public var residual: Bool
        /// Node or graph classification; `nil` until the data decides (``resolved(for:)``), then node.
        public var task: Task?
        /// Graph pooling.
        public var pool: Pooling
        /// Dropout probability before every conv.
        public var dropout: Double
        /// Whether the input goes through a ``NodeEncoder``; `nil`: for graph tasks only.
        public var encoder: Bool?
        /// GIN's ε.
        public var epsilon: Float
        /// Whether GIN's ε is trained.
        public var trainEpsilon: Bool
        /// Whether GIN's MLP has a BatchNorm.
        public var batchNorm: Bool

        /// The task (node unless the spec or the data said otherwise).
        public var resolvedTask: Task { task ?? .node }
        /// Whether there is an encoder (by default for graph tasks, as OGB's atom encoder).
        public var hasEncoder: Bool { encoder ?? (resolvedTask == .graph) }

        /// This configuration with the data's task where the spec names none.
        public func resolved(for task: GraphTask) -> any ModelConfiguration {
            var copy = self
            copy.task = copy.task ?? (task == .graphs ? .graph : .node)
            return copy
        }

        /// Builds the network; `activation` is the run's, used when the spec names none.
        public func build(spec: String, activation: Activation, inputShape: [Int], classCount: Int, scope: Scope) throws -> any Module {
            guard inputShape.count == 1, inputShape[0] > 0 else {
                throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "needs node features [features], got examples of shape \(inputShape)")
            }
            guard classCount >= 1 else {
                throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "needs at least one class")
            }
            return try GraphNetwork(self, features: inputShape[0], classes: classCount, activation: self.activation ?? activation, scope: scope)
        }

        /// An upper bound from the hidden layers (the input and class widths are the data's).
        public var parameterCount: Int? {
            let perLayer = Self.denseParameterCount([width, width, width])
            guard let perLayer else { return nil }
            let (total, overflow) = perLayer.multipliedReportingOverflow(by: layers + 2)
            return overflow ? nil : total
        }

        /// One message-passing layer of this architecture.
        func makeConv(_ inputs: Int, _ outputs: Int, activation: Activation, scope: Scope) throws -> any MessagePassingLayer {
            switch architecture {
            case .gcn: return try GCNConv(inputs, outputs, scope: scope)
            case .sage: return try SAGEConv(inputs, outputs, scope: scope)
            case .gin:
                return try GINConv(
                    inputs, outputs, hidden: width, activation: activation, batchNorm: batchNorm,
                    epsilon: epsilon, trainEpsilon: trainEpsilon, scope: scope)
            }
        }
    }
}

/// A model configuration that leaves part of itself to graph data (node or graph
/// classification), filled in by ``ModelSpec/build(activation:inputShape:classCount:graphTask:key:)``.
public protocol GraphModelConfiguration: ModelConfiguration {
    /// This configuration for data whose examples are `task`'s.
    func resolved(for task: GraphTask) -> any ModelConfiguration
}

extension ModelFamily {
    /// `gcn:layers=L,width=W,…`.
    public static let gcn = graphFamily(.gcn, summary: "graph convolutional network (Kipf & Welling; PyG GCNConv)")
    /// `sage:layers=L,width=W,…`.
    public static let sage = graphFamily(.sage, summary: "GraphSAGE with mean aggregation (PyG SAGEConv)")
    /// `gin:layers=L,width=W,…`.
    public static let gin = graphFamily(.gin, summary: "graph isomorphism network (PyG GINConv, MLP Linear-BatchNorm-φ-Linear)")

    /// A graph family: keys `layers`, `width` (required), `act`, `residual`, `task`, `pool`,
    /// `dropout`, `encoder`, and for GIN `eps`, `train-eps`, `norm`.
    static func graphFamily(_ architecture: GraphNetwork.Architecture, summary: String) -> ModelFamily {
        let name = architecture.rawValue
        let ginKeys = architecture == .gin ? ["eps", "train-eps", "norm"] : []
        let ginSyntax = architecture == .gin ? "[,eps=0][,train-eps=false][,norm=batch|none]" : ""
        return ModelFamily.keyed(
            name, syntax: "\(name):layers=L,width=W[,act=relu][,residual=false][,task=node|graph][,pool=mean|sum|max][,dropout=0][,encoder=true|false]" + ginSyntax,
            example: "\(name):layers=2,width=64", summary: summary, input: .graph,
            required: ["layers", "width"], optional: ["act", "residual", "task", "pool", "dropout", "encoder"] + ginKeys
        ) { values in
            func real(_ key: String, default fallback: Double, range: ClosedRange<Double>, open: Bool = false) throws -> Double {
                guard let text = try values.text(key) else { return fallback }
                guard let value = Double(text), range.contains(value), !(open && value == range.upperBound) else {
                    throw values.error("'\(key)' must be a number in [\(range.lowerBound), \(range.upperBound)\(open ? ")" : "]"), got '\(text)'")
                }
                return value
            }
            enum Norm: String, CaseIterable { case batch, none }
            let activation = try values.text("act").map { text in
                do { return try Activation(text) } catch { throw values.error("'act': \(error)") }
            }
            return try GraphNetwork.Configuration(
                architecture: architecture, layers: values.positiveInteger("layers"), width: values.positiveInteger("width"),
                activation: activation, residual: values.boolean("residual", default: false),
                task: values.has("task") ? values.choice("task", default: GraphNetwork.Task.node) : nil, pool: values.choice("pool", default: GraphNetwork.Pooling.mean),
                dropout: real("dropout", default: 0, range: 0...1, open: true), encoder: values.has("encoder") ? values.boolean("encoder", default: false) : nil,
                epsilon: Float(real("eps", default: 0, range: -1...1_000)), trainEpsilon: values.boolean("train-eps", default: false),
                batchNorm: values.choice("norm", default: Norm.batch) == .batch)
        }
    }
}
