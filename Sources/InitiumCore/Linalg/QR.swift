import COpenBLAS

/// Dense linear algebra through LAPACK (OpenBLAS's Fortran entry points, declared in
/// `COpenBLAS/shim.h`). LAPACK is column-major; every function here takes and returns row-major
/// tensors and says how it maps between the two.
public enum Linalg {}

extension Linalg {
    /// The Q factor of a Householder QR factorization with the sign fix, Q·diag(sign(diag R)),
    /// for an m×n row-major matrix with m ≥ n: an m×n matrix with orthonormal columns.
    ///
    /// When the input's entries are i.i.d. N(0, 1), the sign fix makes Q Haar-distributed on the
    /// Stiefel manifold (Mezzadri, "How to generate random matrices from the classical compact
    /// groups", math-ph/0609050); without it the distribution depends on LAPACK's sign choices.
    /// Uses `sgeqrf_` then `sorgqr_`, each with a workspace query for the blocked algorithms, on
    /// one BLAS thread so that the result does not depend on the thread count
    /// (``Parallel/withSingleThreadedBLAS(_:)``).
    public static func orthonormalColumns(_ matrix: Tensor) throws -> Tensor {
        guard matrix.rank == 2, matrix.shape[0] >= matrix.shape[1], matrix.shape[1] > 0 else {
            throw InitiumError.invalidShape(
                operation: "Linalg.orthonormalColumns", shape: matrix.shape, reason: "expected an m×n matrix with m ≥ n ≥ 1")
        }
        let (m, n) = (matrix.shape[0], matrix.shape[1])
        // Row-major m×n is column-major n×m; transposing once gives LAPACK the m×n matrix.
        var columnMajor = try matrix.transposed().detached()
        try columnMajor.withUnsafeMutableBufferPointer { a in
            try householderQ(a.baseAddress!, rows: m, columns: n)
        }
        return try columnMajor.reshaped([n, m]).transposed()
    }

    /// Replaces the column-major `rows`×`columns` matrix at `a` (leading dimension `rows`,
    /// rows ≥ columns) by its sign-fixed Q factor. Callers that already hold column-major data (a
    /// row-major transpose) use this directly and skip two copies.
    public static func householderQ(_ a: UnsafeMutablePointer<Float>, rows m: Int, columns n: Int) throws {
        precondition(m >= n && n >= 1, "householderQ needs rows ≥ columns ≥ 1")
        guard m <= Int(Int32.max), m * n <= Int(Int32.max) else {
            throw InitiumError.invalidArgument("QR of a \(m)×\(n) matrix exceeds LAPACK's 32-bit indices")
        }
        // on one BLAS thread, so the factor does not depend on the thread count
        try Parallel.withSingleThreadedBLAS {
            var (mm, nn, lda, info) = (Int32(m), Int32(n), Int32(m), Int32(0))
            var tau = [Float](repeating: 0, count: n)
            var query: Float = 0
            var lwork: Int32 = -1
            sgeqrf_(&mm, &nn, a, &lda, &tau, &query, &lwork, &info)
            try check(info, "sgeqrf_ workspace query")
            var orgQuery: Float = 0
            sorgqr_(&mm, &nn, &nn, a, &lda, &tau, &orgQuery, &lwork, &info)
            try check(info, "sorgqr_ workspace query")
            lwork = Int32(max(query, orgQuery, Float(n)).rounded(.up))
            var work = [Float](repeating: 0, count: Int(lwork))
            sgeqrf_(&mm, &nn, a, &lda, &tau, &work, &lwork, &info)
            try check(info, "sgeqrf_")
            // R's diagonal sits on the diagonal of the factored matrix; sorgqr_ overwrites it.
            let signs = (0..<n).map { a[$0 * m + $0] < 0 ? Float(-1) : Float(1) }
            sorgqr_(&mm, &nn, &nn, a, &lda, &tau, &work, &lwork, &info)
            try check(info, "sorgqr_")
            for j in 0..<n where signs[j] < 0 {
                let column = a + j * m
                for i in 0..<m { column[i] = -column[i] }
            }
        }
    }

    static func check(_ info: Int32, _ routine: String) throws {
        guard info == 0 else {
            throw InitiumError.internalFailure("LAPACK \(routine) failed with info = \(info)")
        }
    }
}
