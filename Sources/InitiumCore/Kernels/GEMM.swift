import COpenBLAS

/// Single-precision matrix products through OpenBLAS's `cblas_sgemm` (row-major). Transposes are
/// passed as flags, never materialised.
public enum GEMM {
    /// The longest inner dimension handed to one `cblas_sgemm` call; longer products are summed
    /// over consecutive blocks of this depth, in order (β = 1 after the first).
    ///
    /// Why: OpenBLAS 0.3.21 sums the inner dimension k in panels of its `GEMM_Q`, and when the
    /// last stretch is between `GEMM_Q` and 2·`GEMM_Q` long its single-threaded driver
    /// (`driver/level3/level3.c`) splits it at ⌈⌊r/2⌋/UNROLL_M⌉·UNROLL_M while the threaded one
    /// (`level3_thread.c`) splits it at ⌈r/2⌉, so the same product rounded differently at 1 and
    /// at 2 threads (e.g. 32×400 by 400×120, LeNet-5's fc1). A call with k ≤ `GEMM_Q` is one
    /// panel in both drivers. 128 is below the single-precision `GEMM_Q` of the kernels checked
    /// (320 for Cooperlake, where results first differ at k = 322; 168 for Bulldozer, the
    /// smallest among the x86-64 sections of `param.h` read); `ThreadDeterminismTests` checks it
    /// on the machine that runs them.
    public static let depthBlock = 128

    /// C ← α·op(A)·op(B) + β·C, with op(A) of shape m×k and op(B) of shape k×n.
    ///
    /// The result does not depend on BLAS's thread count (see ``depthBlock``).
    ///
    /// - Parameters:
    ///   - a, b: row-major matrices, stored as `[m, k]`/`[k, m]` and `[k, n]`/`[n, k]` depending on
    ///     `transposeA`/`transposeB`.
    ///   - c: the row-major m×n result.
    @inlinable
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
        var start = 0
        var blockBeta = beta
        while start < k {
            let depth = min(depthBlock, k - start)
            // the block's first column of op(A) and first row of op(B)
            let aBlock = a + (transposeA ? start * m : start)
            let bBlock = b + (transposeB ? start : start * n)
            cblas_sgemm(
                CblasRowMajor,
                transposeA ? CblasTrans : CblasNoTrans,
                transposeB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(depth),
                alpha, aBlock, Int32(lda),
                bBlock, Int32(ldb),
                blockBeta, c, Int32(n))
            blockBeta = 1
            start += depth
        }
    }
}
