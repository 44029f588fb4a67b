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
    /// softmax over the last axis with an optional additive attention mask:
    /// pᵢⱼ = exp(xᵢⱼ + Mᵢⱼ − m)/Σₖ exp(xᵢₖ + Mᵢₖ − m), m the row's visible maximum, M = −∞ where
    /// `mask` hides key j from query i (above the diagonal when causal, at padded keys) and 0
    /// elsewhere; hidden keys get probability exactly 0 (so do entries equal to −∞), and a row
    /// that hides every key gives all zeros. With a mask the input is scores
    /// `[batch, heads, queries, keys]`. Eight-lane exponentials, rows shared over workers (a row's
    /// result does not depend on which worker computes it).
    /// Pullback: ∂x = p ⊙ (g − Σⱼ gⱼpⱼ) (zero at hidden keys, where p = 0).
    public func softmax(mask: AttentionMask? = nil) throws -> Tensor {
        guard rank >= 1, let n = shape.last, n > 0 else {
            throw InitiumError.invalidShape(operation: "softmax", shape: shape, reason: "needs a non-empty last axis")
        }
        let rows = count / n
        let layout = try mask.map { try SoftmaxRow.MaskLayout($0, scores: shape) }
        let out = Tensor(uninitializedShape: shape)
        let src = storage.base, dst = out.storage.base
        let minimumRows = Swift.max(1, (1 << 14) / n)
        (layout?.additive ?? []).withUnsafeBufferPointer { additive in
            Parallel.forEachChunk(count: rows, minimumPerThread: minimumRows) { range in
                for r in range {
                    let limit = layout?.limit(ofRow: r) ?? n
                    let padding = layout?.paddingOffset(ofRow: r).map { additive.baseAddress! + $0 }
                    SoftmaxRow.forward(src + r * n, dst + r * n, n, limit: limit, padding: padding)
                }
            }
        }
        let saved = out.detached()
        return out.recording(input: self) { g in
            let grad = Tensor(uninitializedShape: saved.shape)
            let gp = g.storage.base, pp = saved.storage.base, gd = grad.storage.base
            Parallel.forEachChunk(count: rows, minimumPerThread: minimumRows) { range in
                for r in range { SoftmaxRow.backward(gp + r * n, pp + r * n, gd + r * n, n) }
            }
            return grad
        }
    }
}

/// The row kernels of ``Tensor/softmax(mask:)``.
enum SoftmaxRow {
    typealias Vector = SIMD8<Float>

    /// Below this every value is −∞ (a hidden entry).
    static let maskedBelow = -Float.greatestFiniteMagnitude

    /// Where each row of scores `[batch, heads, queries, keys]` may look: the causal limit and
    /// the batch's additive padding row (0 or −∞ per key).
    struct MaskLayout {
        let heads, queries, keys: Int
        let causal: Bool
        let additive: [Float]?

        init(_ mask: AttentionMask, scores shape: [Int]) throws {
            guard shape.count == 4 else {
                throw InitiumError.invalidShape(operation: "attention mask", shape: shape, reason: "expected scores [batch, heads, queries, keys]")
            }
            (heads, queries, keys, causal) = (shape[1], shape[2], shape[3], mask.causal)
            if let padding = mask.keyPadding, padding.count != shape[0] * keys {
                throw InitiumError.shapeMismatch(operation: "attention mask", lhs: [shape[0], keys], rhs: [padding.count])
            }
            if causal, queries != keys {
                throw InitiumError.invalidShape(operation: "causal attention mask", shape: shape, reason: "needs as many queries as keys")
            }
            additive = mask.keyPadding.flatMap { padding in padding.contains(true) ? padding.map { $0 ? -.infinity : 0 } : nil }
        }

        /// How many keys row r may see from the start (all, or up to its query when causal).
        func limit(ofRow r: Int) -> Int { causal ? r % queries + 1 : keys }

        /// Where row r's batch's padding row starts in ``additive``, or `nil` without padding.
        func paddingOffset(ofRow r: Int) -> Int? { additive == nil ? nil : r / (heads * queries) * keys }
    }

    /// One row: keys at or after `limit` and those where `padding` is −∞ get 0.
    static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, limit: Int, padding: UnsafePointer<Float>?) {
        if limit < n { (y + limit).update(repeating: 0, count: n - limit) }
        var m = -Float.infinity
        if let padding {
            for j in 0..<limit { m = Swift.max(m, x[j] + padding[j]) }
        } else {
            for j in 0..<limit { m = Swift.max(m, x[j]) }
        }
        guard m > maskedBelow else {
            y.update(repeating: 0, count: limit)
            return
        }
        let (floor, shift) = (Vector(repeating: maskedBelow), Vector(repeating: m))
        var acc = Vector()
        var j = 0
        while j + 8 <= limit {
            var v = VectorLoops.load(x + j)
            if let padding { v += VectorLoops.load(padding + j) }
            let e = VectorMath.select(VectorMath.lessThanMask(v, floor), Vector(), else: VectorMath.exp(v - shift))
            VectorLoops.store(e, y + j)
            acc += e
            j += 8
        }
        var total = acc.sum()
        while j < limit {
            let v = x[j] + (padding?[j] ?? 0)
            let e = v < maskedBelow ? 0 : expf(v - m)
            y[j] = e
            total += e
            j += 1
        }
        VectorLoops.affine(y, y, limit, scale: 1 / total, shift: 0)
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
