/// Reductions over axes (sum, mean, max, argmax, variance) with pullbacks.
///
/// Every reduction over one axis views the tensor as `[outer, n, inner]` and reduces the middle
/// dimension, which keeps the inner loop contiguous.
extension Tensor {
    /// `[outer, n, inner]` sizes for reducing `axis`.
    func reductionExtents(axis: Int) -> (outer: Int, n: Int, inner: Int) {
        let outer = Shape.count(of: Array(shape[..<axis]))
        let inner = Shape.count(of: Array(shape[(axis + 1)...]))
        return (outer, shape[axis], inner)
    }

    func reducedShape(axis: Int, keepDims: Bool) -> [Int] {
        var s = shape
        if keepDims { s[axis] = 1 } else { s.remove(at: axis) }
        return s
    }

    /// Sum over one axis without recording (also used by pullbacks).
    func reducedSum(axis: Int, keepDims: Bool) -> Tensor {
        let (outer, n, inner) = reductionExtents(axis: axis)
        let out = Tensor(shape: reducedShape(axis: axis, keepDims: keepDims), repeating: 0)
        let src = storage.base, dst = out.storage.base
        if inner == 1 {
            for o in 0..<outer {
                let row = src + o * n
                var s0: Float = 0, s1: Float = 0, s2: Float = 0, s3: Float = 0
                var k = 0
                while k + 4 <= n {
                    s0 += row[k]; s1 += row[k + 1]; s2 += row[k + 2]; s3 += row[k + 3]
                    k += 4
                }
                while k < n { s0 += row[k]; k += 1 }
                dst[o] = (s0 + s1) + (s2 + s3)
            }
        } else {
            for o in 0..<outer {
                let d = dst + o * inner
                for k in 0..<n {
                    let s = src + (o * n + k) * inner
                    for i in 0..<inner { d[i] += s[i] }
                }
            }
        }
        return out
    }

    private func normalizedAxes(_ axes: [Int]?, operation: String) throws -> [Int] {
        guard let axes else { return Array(0..<rank) }
        let resolved = try axes.map { try Shape.normalize(axis: $0, rank: rank, operation: operation) }
        guard Set(resolved).count == resolved.count else {
            throw InitiumError.invalidArgument("\(operation): repeated axis in \(axes)")
        }
        return resolved.sorted()
    }

    /// The sum over `axes` (all axes when `nil`); reduced axes are removed unless `keepDims`.
    public func sum(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let resolved = try normalizedAxes(axes, operation: "sum")
        let inputShape = shape
        var result = detached()
        for axis in resolved.reversed() { result = result.reducedSum(axis: axis, keepDims: true) }
        let keptShape = result.shape
        let finalShape = keepDims ? keptShape : inputShape.enumerated().filter { !resolved.contains($0.offset) }.map(\.element)
        return result.viewed(as: finalShape).recording(input: self) { g in
            g.viewed(as: keptShape).broadcastValues(to: inputShape)
        }
    }

    /// The mean over `axes` (all axes when `nil`).
    public func mean(axes: [Int]? = nil, keepDims: Bool = false) throws -> Tensor {
        let resolved = try normalizedAxes(axes, operation: "mean")
        let n = resolved.reduce(1) { $0 * shape[$1] }
        return try sum(axes: resolved, keepDims: keepDims) * (1 / Float(Swift.max(n, 1)))
    }

    /// The variance over `axes` (all when `nil`): Σ(x − mean)²/(n − correction).
    public func variance(axes: [Int]? = nil, keepDims: Bool = false, correction: Int = 0) throws -> Tensor {
        let resolved = try normalizedAxes(axes, operation: "variance")
        let n = resolved.reduce(1) { $0 * shape[$1] }
        guard n - correction > 0 else {
            throw InitiumError.invalidArgument("variance: \(n) elements with correction \(correction)")
        }
        let centered = try self - mean(axes: resolved, keepDims: true)
        return try centered.squared().sum(axes: resolved, keepDims: keepDims) * (1 / Float(n - correction))
    }

    /// The maximum over one axis; the gradient goes to the first position of the maximum.
    public func max(axis: Int, keepDims: Bool = false) throws -> Tensor {
        let a = try Shape.normalize(axis: axis, rank: rank, operation: "max")
        let indices = argmaxIndices(axis: a)
        let (outer, n, inner) = reductionExtents(axis: a)
        let out = Tensor(uninitializedShape: reducedShape(axis: a, keepDims: keepDims))
        let src = storage.base, dst = out.storage.base
        for o in 0..<outer {
            for i in 0..<inner { dst[o * inner + i] = src[(o * n + indices[o * inner + i]) * inner + i] }
        }
        let inputShape = shape
        return out.recording(input: self) { g in
            var grad = Tensor(shape: inputShape, repeating: 0)
            let gp = g.storage.base, gd = grad.storage.base
            for o in 0..<outer {
                for i in 0..<inner { gd[(o * n + indices[o * inner + i]) * inner + i] = gp[o * inner + i] }
            }
            grad.node = nil
            return grad
        }
    }

    /// The maximum over all elements.
    public func max() -> Float {
        var m = -Float.infinity
        for i in 0..<count { m = Swift.max(m, storage.base[i]) }
        return m
    }

    /// The minimum over all elements.
    public func min() -> Float {
        var m = Float.infinity
        for i in 0..<count { m = Swift.min(m, storage.base[i]) }
        return m
    }

    /// The index of the maximum along `axis` (first one on ties), as a tensor of the reduced shape.
    public func argmax(axis: Int) throws -> [Int] {
        argmaxIndices(axis: try Shape.normalize(axis: axis, rank: rank, operation: "argmax"))
    }

    func argmaxIndices(axis: Int) -> [Int] {
        let (outer, n, inner) = reductionExtents(axis: axis)
        var result = [Int](repeating: 0, count: outer * inner)
        let src = storage.base
        for o in 0..<outer {
            for i in 0..<inner {
                var best = -Float.infinity, bestIndex = 0
                for k in 0..<n {
                    let v = src[(o * n + k) * inner + i]
                    if v > best || (k == 0) { best = v; bestIndex = k }
                }
                result[o * inner + i] = bestIndex
            }
        }
        return result
    }
}
