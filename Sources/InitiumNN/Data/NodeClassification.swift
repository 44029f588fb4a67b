import InitiumCore

/// Node classification data: one graph, a feature row per node, a label per node, and which
/// nodes are labelled for training, validation and testing. Turns into the ``DatasetSplits`` of
/// a node task (``GraphData/nodes(_:nodes:)``), which train full-batch.
public struct NodeClassification: Sendable {
    /// The graph.
    public var graph: Graph
    /// Node features `[nodeCount, features]`.
    public var features: Tensor
    /// The class of every node, in `0..<classCount`.
    public var labels: [Int32]
    /// The number of classes.
    public var classCount: Int

    /// Node data; throws when the features or labels do not have one row per node or a label is
    /// out of range.
    public init(graph: Graph, features: Tensor, labels: [Int32], classCount: Int) throws {
        guard features.rank == 2, features.shape[0] == graph.nodeCount else {
            throw InitiumError.invalidShape(
                operation: "node classification", shape: features.shape, reason: "needs [\(graph.nodeCount) nodes, features]")
        }
        guard labels.count == graph.nodeCount else {
            throw InitiumError.invalidArgument("node classification: \(labels.count) labels for \(graph.nodeCount) nodes")
        }
        if let bad = labels.first(where: { $0 < 0 || Int($0) >= classCount }) {
            throw InitiumError.invalidArgument("node classification: label \(bad) outside 0..<\(classCount)")
        }
        self.graph = graph
        self.features = features
        self.labels = labels
        self.classCount = classCount
    }

    /// The labelled nodes of each split.
    public struct Split: Sendable, Equatable {
        /// Training nodes.
        public var train: [Int]
        /// Validation nodes.
        public var validation: [Int]
        /// Test nodes.
        public var test: [Int]

        /// A split.
        public init(train: [Int], validation: [Int], test: [Int]) {
            self.train = train
            self.validation = validation
            self.test = test
        }
    }

    /// The semi-supervised split of Planetoid (Yang, Cohen & Salakhutdinov, ICML 2016) and
    /// Kipf & Welling (2017), drawn from `key`: nodes in the order of a random permutation; the
    /// first `perClass` of each class train, then the next `validation` nodes validate and the next
    /// `test` ones test (each capped by the nodes left). Throws when a class has no node at all.
    public func semiSupervisedSplit(perClass: Int = 20, validation: Int = 500, test: Int = 1000, key: RandomKey) throws -> Split {
        var counts = [Int](repeating: 0, count: classCount)
        for label in labels { counts[Int(label)] += 1 }
        if let empty = counts.firstIndex(of: 0) {
            throw InitiumError.invalidArgument("node classification: class \(empty) has no node (classes 0..<\(classCount))")
        }
        let order = Tensor.permutation(graph.nodeCount, key: key)
        var taken = [Int](repeating: 0, count: classCount)
        var train: [Int] = [], rest: [Int] = []
        for node in order {
            let c = Int(labels[node])
            if taken[c] < perClass {
                taken[c] += 1
                train.append(node)
            } else {
                rest.append(node)
            }
        }
        let validationCount = min(validation, rest.count)
        let testCount = min(test, rest.count - validationCount)
        return Split(
            train: train, validation: Array(rest[0..<validationCount]),
            test: Array(rest[validationCount..<(validationCount + testCount)]))
    }

    /// The training, validation (when `split` has any) and test sets, named `name`.
    public func datasets(_ split: Split, name: String) throws -> DatasetSplits {
        let whole = try GraphBatch(graph: graph)
        func set(_ nodes: [Int]) throws -> Dataset {
            if let bad = nodes.first(where: { $0 < 0 || $0 >= graph.nodeCount }) {
                throw InitiumError.invalidArgument("node classification: split node \(bad) outside 0..<\(graph.nodeCount)")
            }
            return try Dataset(
                nodeFeatures: features, labels: nodes.map { labels[$0] }, classCount: classCount, name: name,
                graph: .nodes(whole, nodes: nodes))
        }
        return DatasetSplits(
            train: try set(split.train), validation: split.validation.isEmpty ? nil : try set(split.validation),
            test: try set(split.test))
    }
}
