import InitiumCore

/// Training objectives.
public enum Loss: String, Sendable, Codable, CaseIterable {
    /// Mean softmax cross-entropy over integer labels, fused with log-softmax.
    case crossEntropy = "cross-entropy"
    /// Mean squared error against one-hot targets (or regression targets).
    case meanSquaredError = "mse"

    /// The loss of `output` `[n, classes]` against integer `labels`.
    public func callAsFunction(_ output: Tensor, labels: [Int32]) throws -> Tensor {
        switch self {
        case .crossEntropy:
            return try output.softmaxCrossEntropy(labels: labels)
        case .meanSquaredError:
            guard output.rank == 2, output.shape[0] == labels.count else {
                throw InitiumError.shapeMismatch(operation: "mse", lhs: output.shape, rhs: [labels.count])
            }
            return try Self.meanSquaredError(output, target: Self.oneHot(labels, classes: output.shape[1]))
        }
    }

    /// Mean squared error ⟨(y − t)²⟩ over all elements.
    public static func meanSquaredError(_ output: Tensor, target: Tensor) throws -> Tensor {
        guard output.shape == target.shape else {
            throw InitiumError.shapeMismatch(operation: "mse", lhs: output.shape, rhs: target.shape)
        }
        return try (output - target).squared().mean()
    }

    /// One-hot rows `[n, classes]` for integer labels.
    public static func oneHot(_ labels: [Int32], classes: Int) throws -> Tensor {
        var t = Tensor.zeros([labels.count, classes])
        try t.withUnsafeMutableBufferPointer { p in
            for (i, label) in labels.enumerated() {
                guard label >= 0, Int(label) < classes else {
                    throw InitiumError.invalidArgument("label \(label) is outside 0..<\(classes)")
                }
                p[i * classes + Int(label)] = 1
            }
        }
        return t
    }
}
