/// Sparse × dense matrix products, the message passing of graph networks (PyG's
/// `torch.sparse.mm(A, X)` / `spmm`).
extension Tensor {
    /// Y = A·X for a sparse `a` `[m, n]` and a dense `x` `[n, d]`: row i of Y is Σₖ A[i, k]·X[k, :].
    ///
    /// Rows of Y are shared over the workers (``Parallel/forEachChunk(count:minimumPerThread:_:)``);
    /// each row is summed by one worker over its entries in column order, so the result is the same
    /// for any thread count. Differentiable in `x`: ∂X = Aᵀ·∂Y (the same kernel on the transpose,
    /// built once when the pullback runs). `a` is a constant (graph structure, not a parameter).
    public static func sparseProduct(_ a: SparseMatrix, _ x: Tensor) throws -> Tensor {
        guard x.rank == 2, x.shape[0] == a.columnCount else {
            throw InitiumError.shapeMismatch(operation: "sparseProduct", lhs: [a.rowCount, a.columnCount], rhs: x.shape)
        }
        let result = multiply(a, x.storage.base, width: x.shape[1])
        return result.recording(input: x) { g in
            multiply(a.transposed(), g.storage.base, width: g.shape[1])
        }
    }

    /// The kernel of ``sparseProduct(_:_:)``: A·X for X row-major `[a.columnCount, width]` at `x`.
    private static func multiply(_ a: SparseMatrix, _ x: UnsafeMutablePointer<Float>, width: Int) -> Tensor {
        let out = Tensor(shape: [a.rowCount, width], repeating: 0)
        let y = out.storage.base
        guard width > 0, a.rowCount > 0 else { return out }
        let averageWork = Swift.max(1, (a.entryCount + a.rowCount) * width / a.rowCount)
        a.rowOffsets.withUnsafeBufferPointer { offsets in
            a.columnIndices.withUnsafeBufferPointer { columns in
                a.values.withUnsafeBufferPointer { values in
                    let shared = UncheckedSendable((offsets, columns, values, x, y))
                    Parallel.forEachChunk(count: a.rowCount, minimumPerThread: Swift.max(1, (1 << 15) / averageWork)) { rows in
                        let (offsets, columns, values, x, y) = shared.value
                        for row in rows {
                            let destination = y + row * width
                            for k in offsets[row]..<offsets[row + 1] {
                                VectorLoops.accumulate(x + Int(columns[k]) * width, scaledBy: values[k], into: destination, width)
                            }
                        }
                    }
                }
            }
        }
        return out
    }
}

extension VectorLoops {
    /// dst[j] += a·src[j] (BLAS's axpy), one multiply and one add per element in every lane so
    /// the result does not depend on the vector width.
    @inline(__always)
    static func accumulate(
        _ src: UnsafePointer<Float>, scaledBy a: Float, into dst: UnsafeMutablePointer<Float>, _ n: Int
    ) {
        let va = Vector(repeating: a)
        var j = 0
        while j + 8 <= n {
            store(load(dst + j) + load(src + j) * va, dst + j)
            j += 8
        }
        while j < n {
            dst[j] += src[j] * a
            j += 1
        }
    }
}
