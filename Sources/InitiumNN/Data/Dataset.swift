import InitiumCore

/// A labelled dataset held in memory: inputs `[n, …feature shape]` and labels.
///
/// Classification sets have one label per example. Language-model sets have `T` labels per
/// example (``labelsPerExample``), the next token of each of its `T` positions, stored example
/// after example; ``batch(_:)`` returns the chosen examples' labels in the same order, which is
/// the `(b, t)` row order of a language model's `[B·T, V]` logits. Token inputs are ids stored as
/// Float32 (exact below 2²⁴), with ``tokenVocabularySize`` set; padded sequence sets also set
/// ``paddingToken``, and ``batch(_:)`` trims the trailing columns that are padding in every row.
/// Graph sets carry their structure (``graph``): their inputs are node features and their examples
/// labelled nodes or whole graphs (``GraphData``); ``graphBatch(_:)`` is the structure of a batch.
public struct Dataset: Sendable {
    /// The inputs, first axis indexing examples (images are `[n, channels, height, width]`,
    /// token sequences `[n, T]`).
    public var inputs: Tensor
    /// The labels, in `0..<classCount`: ``labelsPerExample`` of them per example, example after example.
    public var labels: [Int32]
    /// The number of classes (a language model's vocabulary size).
    public var classCount: Int
    /// A short name for reports.
    public var name: String
    /// When inputs are token ids: the size of their vocabulary (every id is in `0..<size`);
    /// `nil` for real-valued inputs. Token inputs are never standardized or centred.
    public var tokenVocabularySize: Int?
    /// The id that pads sequences at their end (inputs `[n, L]`), or `nil` when examples are not padded.
    public var paddingToken: Int32?
    /// For graph data: the graph(s) and what an example is (a node or a graph); `nil` otherwise.
    public var graph: GraphData?

    /// A dataset; throws if the number of labels is not a positive multiple of the number of
    /// examples (one, or `T` per example) or a label is out of range.
    public init(
        inputs: Tensor, labels: [Int32], classCount: Int, name: String, tokenVocabularySize: Int? = nil,
        paddingToken: Int32? = nil
    ) throws {
        guard inputs.rank >= 1,
            inputs.shape[0] == labels.count || (inputs.shape[0] > 0 && labels.count % inputs.shape[0] == 0 && labels.count > 0)
        else {
            throw InitiumError.shapeMismatch(operation: "Dataset \(name)", lhs: inputs.shape, rhs: [labels.count])
        }
        if let bad = labels.first(where: { $0 < 0 || Int($0) >= classCount }) {
            throw InitiumError.invalidArgument("dataset \(name): label \(bad) outside 0..<\(classCount)")
        }
        if paddingToken != nil, inputs.rank != 2 {
            throw InitiumError.invalidShape(
                operation: "Dataset \(name)", shape: inputs.shape, reason: "padded sequences must be [examples, length]")
        }
        self.inputs = inputs
        self.labels = labels
        self.classCount = classCount
        self.name = name
        self.tokenVocabularySize = tokenVocabularySize
        self.paddingToken = paddingToken
    }

    /// A graph dataset: `nodeFeatures` `[rows, features]` with one row per node of
    /// `graph` (``GraphData/nodeRowCount``) and one label per example (labelled node or graph).
    public init(nodeFeatures: Tensor, labels: [Int32], classCount: Int, name: String, graph: GraphData) throws {
        guard nodeFeatures.rank == 2, nodeFeatures.shape[0] == graph.nodeRowCount else {
            throw InitiumError.invalidShape(
                operation: "Dataset \(name)", shape: nodeFeatures.shape,
                reason: "node features must be [\(graph.nodeRowCount) nodes, features]")
        }
        guard labels.count == graph.exampleCount else {
            throw InitiumError.invalidArgument("dataset \(name): \(labels.count) labels for \(graph.exampleCount) examples")
        }
        if let bad = labels.first(where: { $0 < 0 || Int($0) >= classCount }) {
            throw InitiumError.invalidArgument("dataset \(name): label \(bad) outside 0..<\(classCount)")
        }
        inputs = nodeFeatures
        self.labels = labels
        self.classCount = classCount
        self.name = name
        self.graph = graph
    }

    /// The number of examples (labelled nodes or graphs for graph data).
    public var count: Int { graph?.exampleCount ?? inputs.shape[0] }
    /// The number of labels of one example: 1 for classification, `T` for a language model.
    public var labelsPerExample: Int { count == 0 ? 1 : labels.count / count }
    /// The shape of one example.
    public var exampleShape: [Int] { Array(inputs.shape.dropFirst()) }
    /// The number of scalars in one example.
    public var featureCount: Int { Shape.count(of: exampleShape) }
    /// One example's shape and the number of classes: what a model for this set takes in and predicts.
    public var signature: DataSignature {
        DataSignature(
            exampleShape: exampleShape, classCount: classCount, tokenVocabularySize: tokenVocabularySize, graphTask: graph?.task)
    }

    /// The first `n` examples (all if `n` is larger).
    public func prefix(_ n: Int) throws -> Dataset {
        let m = Swift.max(0, Swift.min(n, count))
        if let graph {
            let (kept, rows) = graph.prefix(m)
            return try Dataset(
                nodeFeatures: inputs.slice(axis: 0, 0..<rows), labels: Array(labels.prefix(m)), classCount: classCount, name: name,
                graph: kept)
        }
        return try Dataset(
            inputs: inputs.slice(axis: 0, 0..<m), labels: Array(labels.prefix(m * labelsPerExample)), classCount: classCount,
            name: name, tokenVocabularySize: tokenVocabularySize, paddingToken: paddingToken)
    }

    /// The examples at `indices`, in that order (a mini-batch), with their labels in the same
    /// order. With a ``paddingToken`` the trailing columns that are padding in every chosen row
    /// are dropped (dynamic padding; at least one column is kept).
    /// For graph data the inputs are the node features the batch's structure (``graphBatch(_:)``)
    /// covers: every node of the graph (node tasks), the chosen graphs' nodes (graph tasks).
    public func batch(_ indices: ArraySlice<Int>) -> (inputs: Tensor, labels: [Int32]) {
        if let graph {
            let y = indices.map { labels[$0] }
            guard let rows = graph.inputRows(indices) else { return (inputs, y) }
            return (try! inputs.indexSelect(axis: 0, rows), y)  // rows come from the validated offsets
        }
        let featureCount = self.featureCount
        let perExample = labelsPerExample
        let kept = paddingToken.map { usedColumns(of: indices, padding: Float($0)) } ?? featureCount
        let shape = paddingToken == nil ? [indices.count] + exampleShape : [indices.count, kept]
        var x = Tensor(uninitializedShape: shape)
        x.withUnsafeMutableBufferPointer { dst in
            inputs.withUnsafeBufferPointer { src in
                for (row, index) in indices.enumerated() {
                    (dst.baseAddress! + row * kept).update(from: src.baseAddress! + index * featureCount, count: kept)
                }
            }
        }
        var y = [Int32]()
        y.reserveCapacity(indices.count * perExample)
        for index in indices { y.append(contentsOf: labels[(index * perExample)..<((index + 1) * perExample)]) }
        return (x, y)
    }

    /// One more than the last column holding a non-padding id in any of the rows `indices`
    /// (at least 1).
    private func usedColumns(of indices: ArraySlice<Int>, padding: Float) -> Int {
        let length = featureCount
        var used = 1
        inputs.withUnsafeBufferPointer { src in
            for index in indices {
                let row = src.baseAddress! + index * length
                var end = length
                while end > used, row[end - 1] == padding { end -= 1 }
                used = Swift.max(used, end)
            }
        }
        return used
    }

    /// `n` examples (all of them if there are fewer) drawn without replacement with `key`: the
    /// first mini-batch of ``batchIndices(size:shuffledWith:)`` for the same key.
    public func randomBatch(_ n: Int, key: RandomKey) -> (inputs: Tensor, labels: [Int32]) {
        batch(randomIndices(n, key: key))
    }

    /// The examples ``randomBatch(_:key:)`` chooses, for ``graphBatch(_:)``.
    public func randomIndices(_ n: Int, key: RandomKey) -> ArraySlice<Int> {
        Tensor.permutation(count, key: key).prefix(Swift.max(0, Swift.min(n, count)))
    }

    /// The graph structure of the batch of `indices` (``batch(_:)`` gives its inputs and labels),
    /// `nil` for data that is not a graph.
    public func graphBatch(_ indices: ArraySlice<Int>) throws -> GraphBatch? {
        try graph?.batch(indices)
    }

    /// A forward context for the batch of `indices` (``batch(_:)``): for graph data it carries the
    /// batch's structure (``graphBatch(_:)``), so any model family runs on the batch.
    public func forwardContext(
        for indices: ArraySlice<Int>, mode: ForwardContext.Mode, recordsGradients: Bool? = nil, key: RandomKey = RandomKey(seed: 0)
    ) throws -> ForwardContext {
        let context = ForwardContext(mode: mode, recordsGradients: recordsGradients, key: key)
        context.graph = try graphBatch(indices)
        return context
    }

    /// Mini-batches of `size` over a permutation drawn from `key` (the last may be smaller);
    /// `nil` key keeps the stored order. Node tasks of graph data have one batch of every example
    /// in stored order, whatever `size` (full-batch training).
    public func batchIndices(size: Int, shuffledWith key: RandomKey?) -> [ArraySlice<Int>] {
        if graph?.isFullBatch == true { return count == 0 ? [] : [Array(0..<count)[...]] }
        let order = key.map { Tensor.permutation(count, key: $0) } ?? Array(0..<count)
        return stride(from: 0, to: count, by: max(size, 1)).map { order[$0..<Swift.min($0 + size, count)] }
    }

    /// Per-feature-independent standardization: subtracts `mean` and divides by `std` (scalars).
    public mutating func standardize(mean: Float, std: Float) {
        inputs = inputs.mapped { ($0 - mean) / std }
    }

    /// The mean of each input feature over the examples (in Double, returned as Float).
    public var featureMeans: Tensor {
        let n = inputs.shape[0], f = featureCount
        var sums = [Double](repeating: 0, count: f)
        inputs.withUnsafeBufferPointer { p in
            for i in 0..<n {
                for j in 0..<f { sums[j] += Double(p[i * f + j]) }
            }
        }
        return try! Tensor(shape: exampleShape, scalars: sums.map { Float($0 / Double(Swift.max(n, 1))) })
    }

    /// Subtracts a per-feature mean (e.g. the training set's ``featureMeans``) from every example.
    public mutating func subtractFeatureMeans(_ means: Tensor) throws {
        guard means.shape == exampleShape else {
            throw InitiumError.shapeMismatch(operation: "subtractFeatureMeans", lhs: exampleShape, rhs: means.shape)
        }
        inputs = try (inputs - means).detached()
    }

    /// The constants that standardize this set's inputs: the mean and standard deviation over
    /// all input scalars (in Double), the deviation floored at 10⁻¹² so constant inputs stay finite.
    public var standardization: (mean: Float, std: Float) {
        let m = inputs.moments
        return (Float(m.mean), Float(Swift.max(m.variance.squareRoot(), 1e-12)))
    }
}

/// What a model trained on a dataset takes in and predicts: the shape of one example (a model's
/// input shape), the number of classes (its output width) and, for token inputs, the vocabulary
/// size (an embedding's row count).
public struct DataSignature: Sendable, Hashable {
    /// The shape of one example, e.g. `[1, 28, 28]`.
    public var exampleShape: [Int]
    /// The number of classes.
    public var classCount: Int
    /// When examples are token ids: the size of their vocabulary; `nil` for real-valued inputs.
    public var tokenVocabularySize: Int?
    /// For graph data: whether examples are nodes or graphs (``exampleShape`` is then one node's
    /// features); `nil` for data that is not a graph.
    public var graphTask: GraphTask?

    /// A signature.
    public init(exampleShape: [Int], classCount: Int, tokenVocabularySize: Int? = nil, graphTask: GraphTask? = nil) {
        self.exampleShape = exampleShape
        self.classCount = classCount
        self.tokenVocabularySize = tokenVocabularySize
        self.graphTask = graphTask
    }
}
