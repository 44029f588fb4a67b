/// Helpers on shapes (arrays of dimension sizes): element counts, strides, axis normalisation and
/// NumPy-style broadcasting.
public enum Shape {
    /// The number of elements of a tensor with this shape (1 for a scalar). Traps on overflow:
    /// for shapes the program built itself; shapes read from files or typed by users go through
    /// ``checkedCount(of:)`` first.
    @inlinable
    public static func count(of shape: [Int]) -> Int {
        var n = 1
        for d in shape { n *= d }
        return n
    }

    /// The number of elements, or `nil` when the product of non-negative sizes overflows `Int`
    /// (a corrupt file header such as `[2³², 2³², 4]`, or an absurd model size), so callers can
    /// throw an error naming the shape instead of trapping. A zero dimension gives 0 whatever the
    /// others are, as in NumPy.
    public static func checkedCount(of shape: [Int]) -> Int? {
        if shape.contains(0) { return 0 }
        var n = 1
        for d in shape {
            let (product, overflow) = n.multipliedReportingOverflow(by: d)
            if overflow { return nil }
            n = product
        }
        return n
    }

    /// The bytes of `shape` at `elementSize` bytes per element, or `nil` on overflow.
    public static func checkedByteCount(of shape: [Int], elementSize: Int) -> Int? {
        guard let count = checkedCount(of: shape) else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: elementSize)
        return overflow ? nil : bytes
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
