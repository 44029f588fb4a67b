/// Matrix products: plain, batched (with a broadcast batch, batches shared over workers), and
/// the fused affine map of a linear layer. All go through ``GEMM`` with transpose flags.
extension Tensor {
    /// The matrix product of the last two axes, scaled: `α·op(A)·op(B)`, `[…, m, k] × […, k, n] → […, m, n]`
    /// (`op` transposes the last two axes when its flag is set, without copying).
    ///
    /// Leading (batch) axes must match, or one operand may be a plain matrix shared by the batch.
    /// Each batch's product is one ``GEMM`` call (BLAS); independent batches are shared over
    /// ``Parallel`` workers, each product computed whole by one worker with single-threaded BLAS,
    /// so the bits do not depend on the thread count (see ``GEMM``).
    /// Pullbacks: ∂op(A) = α·G·op(B)ᵀ, ∂op(B) = α·op(A)ᵀ·G (summed over a shared operand's batch).
    public func matmul(
        _ other: Tensor, transposeSelf: Bool = false, transposeOther: Bool = false, alpha: Float = 1
    ) throws -> Tensor {
        guard rank >= 2, other.rank >= 2 else {
            throw InitiumError.shapeMismatch(operation: "matmul", lhs: shape, rhs: other.shape)
        }
        let (ra, ca) = (shape[rank - 2], shape[rank - 1])
        let (rb, cb) = (other.shape[other.rank - 2], other.shape[other.rank - 1])
        let (m, k) = transposeSelf ? (ca, ra) : (ra, ca)
        let (k2, n) = transposeOther ? (cb, rb) : (rb, cb)
        let batchA = Array(shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        guard k == k2, batchA == batchB || batchA.isEmpty || batchB.isEmpty else {
            throw InitiumError.shapeMismatch(operation: "matmul", lhs: shape, rhs: other.shape)
        }
        let batchShape = batchA.isEmpty ? batchB : batchA
        let batch = Shape.count(of: batchShape)
        let out = Tensor(uninitializedShape: batchShape + [m, n])
        let strideA = batchA.isEmpty ? 0 : m * k, strideB = batchB.isEmpty ? 0 : k * n
        let pa = storage.base, pb = other.storage.base, pc = out.storage.base
        Self.forEachBatch(batch, independent: true) { i in
            GEMM.multiply(
                m: m, n: n, k: k, pa + i * strideA, transposeA: transposeSelf,
                pb + i * strideB, transposeB: transposeOther, into: pc + i * m * n, alpha: alpha)
        }
        let (a, b) = (detached(), other.detached())
        let (needA, needB) = (node != nil, other.node != nil)
        return out.recording(inputs: [self, other]) { g in
            let gp = g.storage.base
            var ga: Tensor?
            var gb: Tensor?
            if needA {
                // op(A) = G·op(B)ᵀ; stored A is op(A) or its transpose.
                let grad = Tensor(shape: a.shape, repeating: 0)
                let gaPointer = grad.storage.base
                let sharedA = strideA == 0 && batch > 1
                Self.forEachBatch(batch, independent: !sharedA) { i in
                    if transposeSelf {
                        // A stored k×m: Aᵀ-grad = op(B)·Gᵀ
                        GEMM.multiply(
                            m: k, n: m, k: n, b.storage.base + i * strideB, transposeA: transposeOther,
                            gp + i * m * n, transposeB: true, into: gaPointer + i * strideA,
                            alpha: alpha, beta: sharedA && i > 0 ? 1 : 0)
                    } else {
                        GEMM.multiply(
                            m: m, n: k, k: n, gp + i * m * n, transposeA: false,
                            b.storage.base + i * strideB, transposeB: !transposeOther, into: gaPointer + i * strideA,
                            alpha: alpha, beta: sharedA && i > 0 ? 1 : 0)
                    }
                }
                ga = grad
            }
            if needB {
                let grad = Tensor(shape: b.shape, repeating: 0)
                let gbPointer = grad.storage.base
                let sharedB = strideB == 0 && batch > 1
                Self.forEachBatch(batch, independent: !sharedB) { i in
                    if transposeOther {
                        // B stored n×k: grad = Gᵀ·op(A)
                        GEMM.multiply(
                            m: n, n: k, k: m, gp + i * m * n, transposeA: true,
                            a.storage.base + i * strideA, transposeB: transposeSelf, into: gbPointer + i * strideB,
                            alpha: alpha, beta: sharedB && i > 0 ? 1 : 0)
                    } else {
                        GEMM.multiply(
                            m: k, n: n, k: m, a.storage.base + i * strideA, transposeA: !transposeSelf,
                            gp + i * m * n, transposeB: false, into: gbPointer + i * strideB,
                            alpha: alpha, beta: sharedB && i > 0 ? 1 : 0)
                    }
                }
                gb = grad
            }
            return [ga, gb]
        }
    }

    /// Runs `product(i)` for every batch index: in order on this thread when the products depend
    /// on each other (they accumulate into one shared result) or there is one, else in
    /// contiguous runs of indices shared over ``Parallel`` workers (each product whole on one
    /// worker, with single-threaded BLAS: the same bits as one thread).
    private static func forEachBatch(_ batch: Int, independent: Bool, _ product: (Int) -> Void) {
        guard independent, batch > 1, Parallel.threadCount > 1 else {
            for i in 0..<batch { product(i) }
            return
        }
        Parallel.withWorkers { worker, workers in
            let share = Swift.min(workers, batch)
            guard worker < share else { return }
            for i in (worker * batch / share)..<((worker + 1) * batch / share) { product(i) }
        }
    }

    /// The affine map of a linear layer, y = x·Wᵀ + b, for x `[n, in]`, W `[out, in]`, b `[out]`.
    ///
    /// One GEMM with the bias pre-filled and β = 1. Pullbacks: ∂x = G·W, ∂W = Gᵀ·x, ∂b = Σ_rows G.
    public static func affine(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        guard x.rank == 2, weight.rank == 2, x.shape[1] == weight.shape[1] else {
            throw InitiumError.shapeMismatch(operation: "linear", lhs: x.shape, rhs: weight.shape)
        }
        let (n, inFeatures, outFeatures) = (x.shape[0], x.shape[1], weight.shape[0])
        if let bias, bias.shape != [outFeatures] {
            throw InitiumError.shapeMismatch(operation: "linear bias", lhs: [outFeatures], rhs: bias.shape)
        }
        let out = Tensor(uninitializedShape: [n, outFeatures])
        let pc = out.storage.base
        if let bias {
            for r in 0..<n { (pc + r * outFeatures).update(from: bias.storage.base, count: outFeatures) }
        }
        GEMM.multiply(
            m: n, n: outFeatures, k: inFeatures, x.storage.base, transposeA: false,
            weight.storage.base, transposeB: true, into: pc, beta: bias == nil ? 0 : 1)
        let (xs, ws) = (x.detached(), weight.detached())
        let needX = x.node != nil, needW = weight.node != nil
        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return out.recording(inputs: inputs) { g in
            let gp = g.storage.base
            var gx: Tensor?
            var gw: Tensor?
            if needX {
                var t = Tensor(uninitializedShape: [n, inFeatures])
                GEMM.multiply(
                    m: n, n: inFeatures, k: outFeatures, gp, transposeA: false,
                    ws.storage.base, transposeB: false, into: t.storage.base)
                t.node = nil
                gx = t
            }
            if needW {
                var t = Tensor(uninitializedShape: [outFeatures, inFeatures])
                GEMM.multiply(
                    m: outFeatures, n: inFeatures, k: n, gp, transposeA: true,
                    xs.storage.base, transposeB: false, into: t.storage.base)
                t.node = nil
                gw = t
            }
            if bias == nil { return [gx, gw] }
            return [gx, gw, g.reducedSum(axis: 0, keepDims: false)]
        }
    }
}
