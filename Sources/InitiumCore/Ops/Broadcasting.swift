/// The kernel behind every broadcasting binary op: walks the output in row-major order with an
/// odometer over the outer axes and a tight inner loop over the last axis.
@inline(__always)
func broadcastBinary(
    _ a: Tensor, _ b: Tensor, outputShape: [Int], _ f: (Float, Float) -> Float
) -> Tensor {
    let out = Tensor(uninitializedShape: outputShape)
    let o = out.storage.base
    let pa = a.storage.base, pb = b.storage.base
    let n = out.count
    if a.shape == b.shape {
        for i in 0..<n { o[i] = f(pa[i], pb[i]) }
        return out
    }
    if b.count == 1 {
        let s = pb[0]
        for i in 0..<n { o[i] = f(pa[i], s) }
        return out
    }
    if a.count == 1 {
        let s = pa[0]
        for i in 0..<n { o[i] = f(s, pb[i]) }
        return out
    }
    let rank = outputShape.count
    let sa = Shape.broadcastStrides(of: a.shape, to: outputShape)
    let sb = Shape.broadcastStrides(of: b.shape, to: outputShape)
    let inner = outputShape[rank - 1]
    let ia = sa[rank - 1], ib = sb[rank - 1]
    var index = [Int](repeating: 0, count: rank)
    var offsetA = 0, offsetB = 0, position = 0
    while position < n {
        if ia == 1 && ib == 1 {
            for j in 0..<inner { o[position + j] = f(pa[offsetA + j], pb[offsetB + j]) }
        } else if ia == 1 && ib == 0 {
            let s = pb[offsetB]
            for j in 0..<inner { o[position + j] = f(pa[offsetA + j], s) }
        } else if ia == 0 && ib == 1 {
            let s = pa[offsetA]
            for j in 0..<inner { o[position + j] = f(s, pb[offsetB + j]) }
        } else {
            for j in 0..<inner { o[position + j] = f(pa[offsetA + j * ia], pb[offsetB + j * ib]) }
        }
        position += inner
        var axis = rank - 2
        while axis >= 0 {
            index[axis] += 1
            offsetA += sa[axis]
            offsetB += sb[axis]
            if index[axis] < outputShape[axis] { break }
            offsetA -= sa[axis] * outputShape[axis]
            offsetB -= sb[axis] * outputShape[axis]
            index[axis] = 0
            axis -= 1
        }
    }
    return out
}

extension Tensor {
    /// Sums this tensor down to `target`, a shape it was broadcast from: the pullback of
    /// broadcasting. Leading axes are summed away and axes where `target` has size 1 are summed
    /// with the result kept at size 1.
    func summed(toShape target: [Int]) -> Tensor {
        if shape == target { return self }
        var result = self.detached()
        let extra = shape.count - target.count
        if extra > 0 {
            let lead = Shape.count(of: Array(shape.prefix(extra)))
            result = result.viewed(as: [lead] + Array(shape.dropFirst(extra))).reducedSum(axis: 0, keepDims: false)
        }
        for axis in 0..<target.count where target[axis] == 1 && result.shape[axis] != 1 {
            result = result.reducedSum(axis: axis, keepDims: true)
        }
        return result.viewed(as: target)
    }

    /// Adds `other` (same shape, or broadcastable to this one) in place, copying first if shared.
    public mutating func addInPlace(_ other: Tensor) {
        combineInPlace(other) { $0 + $1 }
    }

    /// Multiplies by `other` (same shape, or broadcastable to this one) in place.
    public mutating func multiplyInPlace(_ other: Tensor) {
        combineInPlace(other) { $0 * $1 }
    }

    /// Multiplies every element by `factor` in place.
    public mutating func scaleInPlace(by factor: Float) {
        withUnsafeMutableBufferPointer { p in
            for i in p.indices { p[i] *= factor }
        }
    }

    @inline(__always)
    private mutating func combineInPlace(_ other: Tensor, _ f: (Float, Float) -> Float) {
        if other.shape == shape {
            let src = other.storage.base
            withUnsafeMutableBufferPointer { p in
                for i in p.indices { p[i] = f(p[i], src[i]) }
            }
        } else {
            precondition(
                (try? Shape.broadcast(shape, other.shape, operation: "in-place")) == shape,
                "in-place update: \(other.shape) does not broadcast to \(shape)")
            self = broadcastBinary(self, other, outputShape: shape, f)
        }
    }
}
