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
