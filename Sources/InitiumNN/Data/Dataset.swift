import InitiumCore

/// A labelled classification dataset held in memory: inputs `[n, …feature shape]` and labels.
public struct Dataset: Sendable {
    /// The inputs, first axis indexing examples (images are `[n, channels, height, width]`).
    public var inputs: Tensor
    /// One integer label per example, in `0..<classCount`.
    public var labels: [Int32]
    /// The number of classes.
    public var classCount: Int
    /// A short name for reports.
    public var name: String

    /// A dataset; throws if the number of labels does not match the inputs or a label is out of range.
    public init(inputs: Tensor, labels: [Int32], classCount: Int, name: String) throws {
        guard inputs.rank >= 1, inputs.shape[0] == labels.count else {
            throw InitiumError.shapeMismatch(operation: "Dataset \(name)", lhs: inputs.shape, rhs: [labels.count])
        }
        if let bad = labels.first(where: { $0 < 0 || Int($0) >= classCount }) {
            throw InitiumError.invalidArgument("dataset \(name): label \(bad) outside 0..<\(classCount)")
        }
        self.inputs = inputs
        self.labels = labels
        self.classCount = classCount
        self.name = name
    }

    /// The number of examples.
    public var count: Int { labels.count }
    /// The shape of one example.
    public var exampleShape: [Int] { Array(inputs.shape.dropFirst()) }
    /// The number of scalars in one example.
    public var featureCount: Int { Shape.count(of: exampleShape) }
    /// One example's shape and the number of classes: what a model for this set takes in and predicts.
    public var signature: DataSignature { DataSignature(exampleShape: exampleShape, classCount: classCount) }

    /// The first `n` examples (all if `n` is larger).
    public func prefix(_ n: Int) throws -> Dataset {
        let m = Swift.min(n, count)
        return try Dataset(
            inputs: inputs.slice(axis: 0, 0..<m), labels: Array(labels.prefix(m)), classCount: classCount, name: name)
    }

    /// The examples at `indices`, in that order (a mini-batch).
    public func batch(_ indices: ArraySlice<Int>) -> (inputs: Tensor, labels: [Int32]) {
        let featureCount = self.featureCount
        var x = Tensor(uninitializedShape: [indices.count] + exampleShape)
        x.withUnsafeMutableBufferPointer { dst in
            inputs.withUnsafeBufferPointer { src in
                for (row, index) in indices.enumerated() {
                    (dst.baseAddress! + row * featureCount).update(from: src.baseAddress! + index * featureCount, count: featureCount)
                }
            }
        }
        return (x, indices.map { labels[$0] })
    }

    /// `n` examples (all of them if there are fewer) drawn without replacement with `key`: the
    /// first mini-batch of ``batchIndices(size:shuffledWith:)`` for the same key.
    public func randomBatch(_ n: Int, key: RandomKey) -> (inputs: Tensor, labels: [Int32]) {
        batch(Tensor.permutation(count, key: key).prefix(Swift.max(0, Swift.min(n, count))))
    }

    /// Mini-batches of `size` over a permutation drawn from `key` (the last may be smaller);
    /// `nil` key keeps the stored order.
    public func batchIndices(size: Int, shuffledWith key: RandomKey?) -> [ArraySlice<Int>] {
        let order = key.map { Tensor.permutation(count, key: $0) } ?? Array(0..<count)
        return stride(from: 0, to: count, by: max(size, 1)).map { order[$0..<Swift.min($0 + size, count)] }
    }

    /// Per-feature-independent standardization: subtracts `mean` and divides by `std` (scalars).
    public mutating func standardize(mean: Float, std: Float) {
        inputs = inputs.mapped { ($0 - mean) / std }
    }

    /// The mean of each input feature over the examples (in Double, returned as Float).
    public var featureMeans: Tensor {
        let n = count, f = featureCount
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
/// input shape) and the number of classes (its output width).
public struct DataSignature: Sendable, Hashable {
    /// The shape of one example, e.g. `[1, 28, 28]`.
    public var exampleShape: [Int]
    /// The number of classes.
    public var classCount: Int

    /// A signature.
    public init(exampleShape: [Int], classCount: Int) {
        self.exampleShape = exampleShape
        self.classCount = classCount
    }
}
