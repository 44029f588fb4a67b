import COpenBLAS

/// Single-precision matrix products through OpenBLAS's `cblas_sgemm` (row-major). Transposes are
/// passed as flags, never materialised.
public enum GEMM {
    /// Shares of a parallel product start at multiples of this many rows (or columns) of C, a
    /// multiple of every OpenBLAS single-precision micro-kernel's tile (UNROLL_M, UNROLL_N ≤ 32).
    public static let shareAlignment = 64

    /// C ← α·op(A)·op(B) + β·C, with op(A) of shape m×k and op(B) of shape k×n.
    ///
    /// The result does not depend on the thread count. OpenBLAS 0.3.21's threaded driver
    /// (`driver/level3/level3_thread.c`) splits the inner dimension k differently from its
    /// single-threaded one (`level3.c`) when the last stretch is between `GEMM_Q` and 2·`GEMM_Q`
    /// long, so the same product rounded differently at 1 and at 2 BLAS threads (e.g. 32×400 by
    /// 400×120, LeNet-5's fc1). So every call here runs OpenBLAS's single-threaded driver over the
    /// whole depth k, and with several threads (``Parallel/threadCount``) Initium itself splits C
    /// into row shares (column shares when C is wider than tall) starting at multiples of
    /// ``shareAlignment``: each element of C is then computed by the same kernel, over the same
    /// k panels, as in one single-threaded call. `ThreadDeterminismTests` checks it.
    ///
    /// - Parameters:
    ///   - a, b: row-major matrices, stored as `[m, k]`/`[k, m]` and `[k, n]`/`[n, k]` depending on
    ///     `transposeA`/`transposeB`.
    ///   - c: the row-major m×n result.
    public static func multiply(
        m: Int, n: Int, k: Int,
        _ a: UnsafePointer<Float>, transposeA: Bool,
        _ b: UnsafePointer<Float>, transposeB: Bool,
        into c: UnsafeMutablePointer<Float>,
        alpha: Float = 1, beta: Float = 0
    ) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if beta == 0 { c.update(repeating: 0, count: m * n) } else if beta != 1 {
                for i in 0..<(m * n) { c[i] *= beta }
            }
            return
        }
        let (lda, ldb) = (transposeA ? m : k, transposeB ? k : n)
        /// op(A)[rows] · op(B)[:, columns] into C[rows, columns] with the single-threaded driver.
        func product(rows: Range<Int>, columns: Range<Int>) {
            let aShare = a + (transposeA ? rows.lowerBound : rows.lowerBound * k)
            let bShare = b + (transposeB ? columns.lowerBound * k : columns.lowerBound)
            cblas_sgemm(
                CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(rows.count), Int32(columns.count), Int32(k),
                alpha, aShare, Int32(lda),
                bShare, Int32(ldb),
                beta, c + rows.lowerBound * n + columns.lowerBound, Int32(n))
        }
        let splitsRows = m >= n
        let extent = splitsRows ? m : n
        let shares = min(Parallel.threadCount, extent / shareAlignment, max(1, m * n * k / minimumWorkPerShare))
        if shares <= 1 {
            if Parallel.blasThreadCount == 1 {
                product(rows: 0..<m, columns: 0..<n)
            } else {
                Parallel.withSingleThreadedBLAS { product(rows: 0..<m, columns: 0..<n) }
            }
            return
        }
        let units = extent / shareAlignment
        Parallel.withWorkers { worker, workers in
            let count = min(shares, workers)
            guard worker < count else { return }
            let start = worker * units / count * shareAlignment
            let end = worker == count - 1 ? extent : (worker + 1) * units / count * shareAlignment
            if splitsRows {
                product(rows: start..<end, columns: 0..<n)
            } else {
                product(rows: 0..<m, columns: start..<end)
            }
        }
    }

    /// Multiply-adds below which a share is not worth a worker.
    static let minimumWorkPerShare = 1 << 18
}
