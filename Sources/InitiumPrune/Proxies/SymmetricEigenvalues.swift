/// Eigenvalues of a small real symmetric matrix by the cyclic Jacobi method, in Double.
///
/// Each rotation zeroes one off-diagonal pair (Golub & Van Loan, "Matrix Computations", §8.5);
/// sweeps repeat until the off-diagonal Frobenius norm falls below 10⁻¹⁴ of the matrix's. For the
/// N ≤ a few hundred correlation matrices of `jacob_cov` this is exact to rounding and gives the
/// same bits for every thread count (as ``Linalg/symmetricEigenvalues(_:size:)`` does too since it
/// runs LAPACK on one BLAS thread; this one was written when it did not): the score Σ log(λ + 10⁻⁵) + 1/(λ + 10⁻⁵) is dominated by the
/// eigenvalues near 0, so last-bit differences there would make the proxy depend on `--threads`.
enum SymmetricEigenvalues {
    /// The eigenvalues of the n×n row-major symmetric matrix `a`, ascending.
    static func of(_ a: [Double], n: Int) -> [Double] {
        precondition(a.count == n * n, "SymmetricEigenvalues: \(a.count) entries for n = \(n)")
        var m = a
        let total = m.reduce(0) { $0 + $1 * $1 }
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += m[i * n + j] * m[i * n + j] } }
            if off <= 1e-28 * max(total, 1e-300) { break }
            for p in 0..<n {
                for q in (p + 1)..<n where m[p * n + q] != 0 {
                    let (app, aqq, apq) = (m[p * n + p], m[q * n + q], m[p * n + q])
                    let theta = (aqq - app) / (2 * apq)
                    let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let (akp, akq) = (m[k * n + p], m[k * n + q])
                        m[k * n + p] = c * akp - s * akq
                        m[k * n + q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let (apk, aqk) = (m[p * n + k], m[q * n + k])
                        m[p * n + k] = c * apk - s * aqk
                        m[q * n + k] = s * apk + c * aqk
                    }
                }
            }
        }
        return (0..<n).map { m[$0 * n + $0] }.sorted()
    }
}
