import Foundation

/// Numerically stable log-softmax and the fused softmax cross-entropy loss.
extension Tensor {
    /// log softmax over the last axis: xᵢ − max(x) − log Σⱼ exp(xⱼ − max(x)).
    /// Pullback: g − softmax · Σ g.
    public func logSoftmax() throws -> Tensor {
        guard rank >= 1, let n = shape.last, n > 0 else {
            throw InitiumError.invalidShape(operation: "logSoftmax", shape: shape, reason: "needs a non-empty last axis")
        }
        let rows = count / n
        let out = Tensor(uninitializedShape: shape)
        let src = storage.base, dst = out.storage.base
        for r in 0..<rows {
            let x = src + r * n, y = dst + r * n
            var m = -Float.infinity
            for j in 0..<n { m = Swift.max(m, x[j]) }
            var s: Float = 0
            for j in 0..<n { s += expf(x[j] - m) }
            let logZ = m + logf(s)
            for j in 0..<n { y[j] = x[j] - logZ }
        }
        let saved = out.detached()
        return out.recording(input: self) { g in
            let grad = Tensor(uninitializedShape: saved.shape)
            let gp = g.storage.base, lp = saved.storage.base, gd = grad.storage.base
            for r in 0..<rows {
                var total: Float = 0
                for j in 0..<n { total += gp[r * n + j] }
                for j in 0..<n { gd[r * n + j] = gp[r * n + j] - expf(lp[r * n + j]) * total }
            }
            return grad
        }
    }

    /// The mean cross-entropy between logits `[n, classes]` and integer labels, fused with
    /// log-softmax: L = −(1/n) Σᵢ log softmax(xᵢ)[yᵢ]. Pullback: (softmax(x) − onehot(y))/n.
    public func softmaxCrossEntropy(labels: [Int32]) throws -> Tensor {
        guard rank == 2, shape[0] == labels.count else {
            throw InitiumError.shapeMismatch(operation: "crossEntropy", lhs: shape, rhs: [labels.count])
        }
        let (n, classes) = (shape[0], shape[1])
        if let bad = labels.first(where: { $0 < 0 || Int($0) >= classes }) {
            throw InitiumError.invalidArgument("crossEntropy: label \(bad) is outside 0..<\(classes)")
        }
        var probabilities = Tensor(uninitializedShape: shape)
        let src = storage.base, prob = probabilities.storage.base
        var total: Double = 0
        for r in 0..<n {
            let x = src + r * classes, p = prob + r * classes
            var m = -Float.infinity
            for j in 0..<classes { m = Swift.max(m, x[j]) }
            var s: Float = 0
            for j in 0..<classes {
                let e = expf(x[j] - m)
                p[j] = e
                s += e
            }
            let inv = 1 / s
            for j in 0..<classes { p[j] *= inv }
            total += Double(m + logf(s) - x[Int(labels[r])])
        }
        let loss = Tensor(Float(total / Double(Swift.max(n, 1))))
        probabilities.node = nil
        let saved = probabilities
        return loss.recording(input: self) { g in
            let grad = Tensor(uninitializedShape: saved.shape)
            let scale = g.storage.base[0] / Float(n)
            let p = saved.storage.base, d = grad.storage.base
            for i in 0..<(n * classes) { d[i] = p[i] * scale }
            for r in 0..<n { d[r * classes + Int(labels[r])] -= scale }
            return grad
        }
    }
}

/// Softmax over the last axis, the attention probabilities of a transformer.
extension Tensor {
    /// softmax over the last axis: pᵢ = exp(xᵢ − m)/Σⱼ exp(xⱼ − m), m = max(x), with entries
    /// equal to −∞ (masked by ``masked(by:)``) given probability exactly 0, and a row that is
    /// entirely −∞ given all zeros. Eight-lane exponentials, rows shared over workers (a row's
    /// result does not depend on which worker computes it).
    /// Pullback: ∂x = p ⊙ (g − Σⱼ gⱼpⱼ).
    public func softmax() throws -> Tensor {
        guard rank >= 1, let n = shape.last, n > 0 else {
            throw InitiumError.invalidShape(operation: "softmax", shape: shape, reason: "needs a non-empty last axis")
        }
        let rows = count / n
        let out = Tensor(uninitializedShape: shape)
        let src = storage.base, dst = out.storage.base
        Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, (1 << 14) / n)) { range in
            for r in range { SoftmaxRow.forward(src + r * n, dst + r * n, n) }
        }
        let saved = out.detached()
        return out.recording(input: self) { g in
            let grad = Tensor(uninitializedShape: saved.shape)
            let gp = g.storage.base, pp = saved.storage.base, gd = grad.storage.base
            Parallel.forEachChunk(count: rows, minimumPerThread: Swift.max(1, (1 << 14) / n)) { range in
                for r in range { SoftmaxRow.backward(gp + r * n, pp + r * n, gd + r * n, n) }
            }
            return grad
        }
    }
}

/// The row kernels of ``Tensor/softmax()``.
enum SoftmaxRow {
    typealias Vector = SIMD8<Float>

    /// Below this every value is −∞ (a masked entry).
    static let maskedBelow = -Float.greatestFiniteMagnitude

    static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
        var m = -Float.infinity
        for j in 0..<n { m = Swift.max(m, x[j]) }
        guard m > maskedBelow else {
            y.update(repeating: 0, count: n)
            return
        }
        let (floor, shift) = (Vector(repeating: maskedBelow), Vector(repeating: m))
        var acc = Vector()
        var j = 0
        while j + 8 <= n {
            let v = VectorLoops.load(x + j)
            let e = VectorMath.select(VectorMath.lessThanMask(v, floor), Vector(), else: VectorMath.exp(v - shift))
            VectorLoops.store(e, y + j)
            acc += e
            j += 8
        }
        var total = acc.sum()
        while j < n {
            let e = x[j] < maskedBelow ? 0 : expf(x[j] - m)
            y[j] = e
            total += e
            j += 1
        }
        VectorLoops.affine(y, y, n, scale: 1 / total, shift: 0)
    }

    static func backward(_ g: UnsafePointer<Float>, _ p: UnsafePointer<Float>, _ d: UnsafeMutablePointer<Float>, _ n: Int) {
        var acc = Vector()
        var j = 0
        while j + 8 <= n {
            acc += VectorLoops.load(g + j) * VectorLoops.load(p + j)
            j += 8
        }
        var dot = acc.sum()
        while j < n {
            dot += g[j] * p[j]
            j += 1
        }
        for j in 0..<n { d[j] = p[j] * (g[j] - dot) }
    }
}
