import COpenBLAS

extension Linalg {
    /// The eigenvalues, ascending, of a real symmetric n×n matrix given row-major in Double
    /// (LAPACK `dsyevd`, divide and conquer). Only the lower triangle is read.
    public static func symmetricEigenvalues(_ matrix: [Double], size n: Int) throws -> [Double] {
        guard n >= 0, matrix.count == n * n else {
            throw InitiumError.invalidShape(operation: "symmetricEigenvalues", shape: [matrix.count], reason: "expected \(n)×\(n) values")
        }
        guard n > 0 else { return [] }
        guard matrix.allSatisfy(\.isFinite) else {
            throw InitiumError.invalidArgument("symmetricEigenvalues: the matrix has NaN or infinite entries")
        }
        var a = matrix
        var w = [Double](repeating: 0, count: n)
        var jobz = Int8(UInt8(ascii: "N")), uplo = Int8(UInt8(ascii: "U"))
        var size = Int32(n), lda = Int32(n), info: Int32 = 0
        var lwork: Int32 = -1, liwork: Int32 = -1
        var workQuery = 0.0
        var iworkQuery: Int32 = 0
        // on one BLAS thread, so the eigenvalues do not depend on the thread count
        try Parallel.withSingleThreadedBLAS {
            dsyevd_(&jobz, &uplo, &size, &a, &lda, &w, &workQuery, &lwork, &iworkQuery, &liwork, &info)
            try check(info, "dsyevd_ (workspace query)")
            lwork = Int32(workQuery)
            liwork = max(1, iworkQuery)
            var work = [Double](repeating: 0, count: Int(lwork))
            var iwork = [Int32](repeating: 0, count: Int(liwork))
            dsyevd_(&jobz, &uplo, &size, &a, &lda, &w, &work, &lwork, &iwork, &liwork, &info)
            try check(info, "dsyevd_")
        }
        return w
    }
}
