/// Embedding lookup: rows of a table gathered by token ids, PyTorch's `F.embedding`.
extension Tensor {
    /// The rows of this table `[count, dimension]` at the token ids `ids` (Float32 holding
    /// integers, any shape, e.g. `[batch, sequence]`): the result has shape `ids.shape + [dimension]`.
    ///
    /// An id that is not an integer in `0..<count` throws, naming the id. Pullback: the output
    /// gradient's rows scatter-added into a zero table gradient, in the order of the ids (so the
    /// sum is the same for any thread count); the row `paddingIndex`, when given, gets no
    /// gradient (PyTorch's `padding_idx`).
    public func embeddingLookup(_ ids: Tensor, paddingIndex: Int? = nil) throws -> Tensor {
        guard rank == 2 else {
            throw InitiumError.invalidShape(operation: "embedding", shape: shape, reason: "the table must be [count, dimension]")
        }
        let (rows, dimension) = (shape[0], shape[1])
        let indices: [Int] = try ids.withUnsafeBufferPointer { values in
            try values.map { value in
                guard value >= 0, value < Float(rows), value == value.rounded(.towardZero) else {
                    throw InitiumError.invalidArgument(
                        "embedding: token id \(value.isFinite && value == value.rounded() ? String(Int(value)) : String(value)) "
                            + "is outside the table's 0..<\(rows)")
                }
                return Int(value)
            }
        }
        let out = Tensor(uninitializedShape: ids.shape + [dimension])
        let table = storage.base, dst = out.storage.base
        for (position, row) in indices.enumerated() {
            VectorLoops.copy(table + row * dimension, dst + position * dimension, dimension)
        }
        return out.recording(input: self) { g in
            let grad = Tensor(shape: [rows, dimension], repeating: 0)
            let gs = g.storage.base, gd = grad.storage.base
            for (position, row) in indices.enumerated() where row != paddingIndex {
                VectorLoops.accumulate(gs + position * dimension, gd + row * dimension, dimension)
            }
            return grad
        }
    }
}
