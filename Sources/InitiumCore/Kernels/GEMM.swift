import COpenBLAS

/// Single-precision matrix products through OpenBLAS's `cblas_sgemm` (row-major). Transposes are
/// passed as flags, never materialised.
public enum GEMM {
    /// C ← α·op(A)·op(B) + β·C, with op(A) of shape m×k and op(B) of shape k×n.
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
        cblas_sgemm(
            CblasRowMajor,
            transposeA ? CblasTrans : CblasNoTrans,
            transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k),
            alpha, a, Int32(transposeA ? m : k),
            b, Int32(transposeB ? k : n),
            beta, c, Int32(n))
    }
}
