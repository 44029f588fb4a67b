/// Movement ops: reshape, permute/transpose, slice, concatenate/stack, index-select, broadcast.
extension Tensor {
    /// The same elements with another shape; one dimension may be `-1` (inferred). Shares storage.
    public func reshaped(_ newShape: [Int]) throws -> Tensor {
        var resolved = newShape
        let inferred = newShape.indices.filter { newShape[$0] == -1 }
        guard inferred.count <= 1, newShape.allSatisfy({ $0 >= -1 }) else {
            throw InitiumError.invalidShape(operation: "reshape", shape: newShape, reason: "at most one -1 and no other negative size")
        }
        if let i = inferred.first {
            let known = Shape.count(of: newShape.filter { $0 != -1 })
            guard known > 0, count % known == 0 else {
                throw InitiumError.shapeMismatch(operation: "reshape", lhs: shape, rhs: newShape)
            }
            resolved[i] = count / known
        }
        guard Shape.count(of: resolved) == count else {
            throw InitiumError.shapeMismatch(operation: "reshape", lhs: shape, rhs: newShape)
        }
        let original = shape
        return viewed(as: resolved).recording(input: self) { g in g.viewed(as: original) }
    }

    /// Collapses all axes after the first into one: `[n, a, b, …] → [n, a·b·…]`.
    public func flattened() throws -> Tensor {
        try reshaped([shape.first ?? 1, -1])
    }

    /// The axes reordered: result axis i is input axis `permutation[i]`. Copies.
    public func permuted(_ permutation: [Int]) throws -> Tensor {
        guard permutation.sorted() == Array(0..<rank) else {
            throw InitiumError.invalidArgument("permute: \(permutation) is not a permutation of the axes of shape \(shape)")
        }
        let out = permutedValues(permutation)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return out.recording(input: self) { g in g.permutedValues(inverse) }
    }

    /// The matrix transpose of the last two axes.
    public func transposed() throws -> Tensor {
        guard rank >= 2 else {
            throw InitiumError.invalidShape(operation: "transpose", shape: shape, reason: "needs at least 2 axes")
        }
        var p = Array(0..<rank)
        p.swapAt(rank - 1, rank - 2)
        return try permuted(p)
    }

    func permutedValues(_ permutation: [Int]) -> Tensor {
        let inStrides = Shape.strides(of: shape)
        return gathered(shape: permutation.map { shape[$0] }, strides: permutation.map { inStrides[$0] })
    }

    /// The values repeated to `target`, a shape this one broadcasts to (no graph; a copy).
    func broadcastValues(to target: [Int]) -> Tensor {
        gathered(shape: target, strides: Shape.broadcastStrides(of: shape, to: target))
    }

    /// A new tensor of `outShape` whose element at index i reads this tensor's storage at
    /// Σ iₖ·strides[k] (strides of 0 repeat along broadcast axes).
    private func gathered(shape outShape: [Int], strides: [Int]) -> Tensor {
        let out = Tensor(uninitializedShape: outShape)
        let src = storage.base, dst = out.storage.base
        let n = out.count
        guard n > 0 else { return out }
        let r = outShape.count
        if r == 0 { dst[0] = src[0]; return out }
        var index = [Int](repeating: 0, count: r)
        var offset = 0
        let inner = outShape[r - 1], innerStride = strides[r - 1]
        var position = 0
        while position < n {
            for j in 0..<inner { dst[position + j] = src[offset + j * innerStride] }
            position += inner
            var axis = r - 2
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < outShape[axis] { break }
                offset -= strides[axis] * outShape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return out
    }

    /// The elements with index in `range` along `axis`.
    public func slice(axis: Int, _ range: Range<Int>) throws -> Tensor {
        let a = try Shape.normalize(axis: axis, rank: rank, operation: "slice")
        guard range.lowerBound >= 0, range.upperBound <= shape[a] else {
            throw InitiumError.invalidArgument("slice: range \(range) is outside 0..<\(shape[a]) on axis \(a) of shape \(shape)")
        }
        let (outer, n, inner) = reductionExtents(axis: a)
        var outShape = shape
        outShape[a] = range.count
        let out = Tensor(uninitializedShape: outShape)
        let src = storage.base, dst = out.storage.base
        let run = range.count * inner
        for o in 0..<outer {
            (dst + o * run).update(from: src + (o * n + range.lowerBound) * inner, count: run)
        }
        let inputShape = shape
        return out.recording(input: self) { g in
            let grad = Tensor(shape: inputShape, repeating: 0)
            let gs = g.storage.base, gd = grad.storage.base
            for o in 0..<outer {
                (gd + (o * n + range.lowerBound) * inner).update(from: gs + o * run, count: run)
            }
            return grad
        }
    }

    /// Joins tensors along an existing axis; all other sizes must agree.
    public static func concatenate(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        guard let first = tensors.first else {
            throw InitiumError.invalidArgument("concatenate: no tensors")
        }
        let a = try Shape.normalize(axis: axis, rank: first.rank, operation: "concatenate")
        for t in tensors.dropFirst() {
            var s1 = first.shape, s2 = t.shape
            guard s1.count == s2.count else {
                throw InitiumError.shapeMismatch(operation: "concatenate", lhs: first.shape, rhs: t.shape)
            }
            s1[a] = 0; s2[a] = 0
            guard s1 == s2 else {
                throw InitiumError.shapeMismatch(operation: "concatenate", lhs: first.shape, rhs: t.shape)
            }
        }
        var outShape = first.shape
        outShape[a] = tensors.reduce(0) { $0 + $1.shape[a] }
        let (outer, total, inner) = (Shape.count(of: Array(outShape[..<a])), outShape[a], Shape.count(of: Array(outShape[(a + 1)...])))
        let out = Tensor(uninitializedShape: outShape)
        let dst = out.storage.base
        var start = 0
        var ranges: [Range<Int>] = []
        for t in tensors {
            let n = t.shape[a]
            let src = t.storage.base
            for o in 0..<outer {
                (dst + (o * total + start) * inner).update(from: src + o * n * inner, count: n * inner)
            }
            ranges.append(start..<(start + n))
            start += n
        }
        return out.recording(inputs: tensors) { g in
            ranges.map { try? g.detached().slice(axis: a, $0) }
        }
    }

    /// Stacks equally shaped tensors along a new axis.
    public static func stack(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor {
        guard let first = tensors.first else { throw InitiumError.invalidArgument("stack: no tensors") }
        let a = try Shape.normalize(axis: axis, rank: first.rank + 1, operation: "stack")
        var expandedShape = first.shape
        expandedShape.insert(1, at: a)
        let expandedTensors = try tensors.map { t -> Tensor in
            guard t.shape == first.shape else {
                throw InitiumError.shapeMismatch(operation: "stack", lhs: first.shape, rhs: t.shape)
            }
            return try t.reshaped(expandedShape)
        }
        return try concatenate(expandedTensors, axis: a)
    }

    /// The slices at `indices` along `axis` (gather / index-select); the pullback scatter-adds.
    public func indexSelect(axis: Int, _ indices: [Int]) throws -> Tensor {
        let a = try Shape.normalize(axis: axis, rank: rank, operation: "indexSelect")
        let (outer, n, inner) = reductionExtents(axis: a)
        if let bad = indices.first(where: { $0 < 0 || $0 >= n }) {
            throw InitiumError.invalidArgument("indexSelect: index \(bad) is outside 0..<\(n) on axis \(a)")
        }
        var outShape = shape
        outShape[a] = indices.count
        let out = Tensor(uninitializedShape: outShape)
        let src = storage.base, dst = out.storage.base
        let m = indices.count
        for o in 0..<outer {
            for (j, k) in indices.enumerated() {
                (dst + (o * m + j) * inner).update(from: src + (o * n + k) * inner, count: inner)
            }
        }
        let inputShape = shape
        return out.recording(input: self) { g in
            let grad = Tensor(shape: inputShape, repeating: 0)
            let gs = g.storage.base, gd = grad.storage.base
            for o in 0..<outer {
                for (j, k) in indices.enumerated() {
                    let d = gd + (o * n + k) * inner, s = gs + (o * m + j) * inner
                    for i in 0..<inner { d[i] += s[i] }
                }
            }
            return grad
        }
    }

    /// The tensor broadcast to `target` (copies); the pullback sums back.
    public func broadcast(to target: [Int]) throws -> Tensor {
        guard try Shape.broadcast(shape, target, operation: "broadcast") == target else {
            throw InitiumError.shapeMismatch(operation: "broadcast", lhs: shape, rhs: target)
        }
        let original = shape
        return broadcastValues(to: target).recording(input: self) { g in g.summed(toShape: original) }
    }
}
