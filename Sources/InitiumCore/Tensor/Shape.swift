/// Helpers on shapes (arrays of dimension sizes): element counts, strides, axis normalisation and
/// NumPy-style broadcasting.
public enum Shape {
    /// The number of elements of a tensor with this shape (1 for a scalar).
    @inlinable
    public static func count(of shape: [Int]) -> Int {
        var n = 1
        for d in shape { n *= d }
        return n
    }

    /// Row-major strides, in elements.
    public static func strides(of shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var s = 1
        for axis in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[axis] = s
            s *= shape[axis]
        }
        return strides
    }

    /// The row-major flat index of a multi-dimensional index.
    static func flatIndex(_ indices: [Int], in shape: [Int]) -> Int {
        precondition(indices.count == shape.count, "index \(indices) for shape \(shape)")
        var flat = 0
        for (i, d) in zip(indices, shape) {
            precondition(i >= 0 && i < d, "index \(indices) out of range for shape \(shape)")
            flat = flat * d + i
        }
        return flat
    }

    /// Resolves a possibly negative axis (`-1` is the last) against a rank.
    public static func normalize(axis: Int, rank: Int, operation: String) throws -> Int {
        let a = axis < 0 ? axis + rank : axis
        guard a >= 0 && a < max(rank, 1) else {
            throw InitiumError.invalidArgument("\(operation): axis \(axis) is out of range for rank \(rank)")
        }
        return a
    }

    /// The shape two shapes broadcast to (NumPy rules: align trailing axes; sizes equal or 1).
    public static func broadcast(_ a: [Int], _ b: [Int], operation: String) throws -> [Int] {
        let rank = max(a.count, b.count)
        var result = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                result[i] = da
            } else if da == 1 {
                result[i] = db
            } else {
                throw InitiumError.shapeMismatch(operation: operation, lhs: a, rhs: b)
            }
        }
        return result
    }

    /// Strides of `shape` when read as if broadcast to `target`: 0 along broadcast axes.
    static func broadcastStrides(of shape: [Int], to target: [Int]) -> [Int] {
        let own = strides(of: shape)
        let offset = target.count - shape.count
        return (0..<target.count).map { i in
            i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
        }
    }
}
