import COpenBLAS

extension Linalg {
    /// A thin singular value decomposition A = U·diag(S)·Vᵀ of an m×n matrix, k = min(m, n).
    public struct SingularValueDecomposition: Sendable {
        /// U, `[m, k]`, orthonormal columns.
        public var u: Tensor
        /// The singular values, descending, `k` of them.
        public var singularValues: [Float]
        /// Vᵀ, `[k, n]`, orthonormal rows.
        public var vt: Tensor
    }

    /// The thin SVD of a row-major m×n matrix by LAPACK's divide-and-conquer `sgesdd_`
    /// (jobz = 'S', workspace query first).
    ///
    /// The row-major input is the column-major n×m matrix Aᵀ = V·S·Uᵀ; decomposing Aᵀ as LAPACK
    /// sees it gives column-major factors that, read back row-major, are exactly Vᵀ and U of A.
    public static func svd(_ matrix: Tensor) throws -> SingularValueDecomposition {
        guard matrix.rank == 2, matrix.count > 0 else {
            throw InitiumError.invalidShape(operation: "Linalg.svd", shape: matrix.shape, reason: "expected a non-empty matrix")
        }
        let (m, n) = (matrix.shape[0], matrix.shape[1])
        let k = min(m, n)
        // LAPACK's view: B = Aᵀ, an n×m column-major matrix with leading dimension n.
        var b = matrix.scalars
        var singular = [Float](repeating: 0, count: k)
        var uB = [Float](repeating: 0, count: n * k)   // column-major n×k: left vectors of B (= V of A)
        var vtB = [Float](repeating: 0, count: k * m)  // column-major k×m: right vectors of B (= Uᵀ of A)
        var jobz = Int8(UInt8(ascii: "S"))
        var (rows, columns, lda, ldu, ldvt, info) = (Int32(n), Int32(m), Int32(n), Int32(n), Int32(k), Int32(0))
        var iwork = [Int32](repeating: 0, count: 8 * k)
        var query: Float = 0
        var lwork: Int32 = -1
        // on one BLAS thread, so the factors do not depend on the thread count
        try Parallel.withSingleThreadedBLAS {
            sgesdd_(&jobz, &rows, &columns, &b, &lda, &singular, &uB, &ldu, &vtB, &ldvt, &query, &lwork, &iwork, &info)
            try check(info, "sgesdd_ workspace query")
            lwork = Int32(query.rounded(.up))
            var work = [Float](repeating: 0, count: max(1, Int(lwork)))
            sgesdd_(&jobz, &rows, &columns, &b, &lda, &singular, &uB, &ldu, &vtB, &ldvt, &work, &lwork, &iwork, &info)
            try check(info, "sgesdd_")
        }
        // Column-major n×k read row-major is k×n: Vᵀ of A. Column-major k×m read row-major is m×k: U of A.
        return SingularValueDecomposition(
            u: try Tensor(shape: [m, k], scalars: vtB), singularValues: singular, vt: try Tensor(shape: [k, n], scalars: uB))
    }

    /// The singular values of a matrix, descending.
    public static func singularValues(_ matrix: Tensor) throws -> [Float] {
        try svd(matrix).singularValues
    }
}
