import Testing
@testable import InitiumCore

// LAPACK's blocked QR, SVD and symmetric eigensolver call BLAS themselves, and OpenBLAS's
// threaded drivers round differently from its serial ones: at 256×256, 53,643 of 65,536 entries
// of Q and 214 of 256 singular values differed between 1 and 2 threads. `Linalg` runs them on one
// BLAS thread, so orthogonal initialization and the spectra do not depend on the thread count.
// The reference is the single-threaded result itself; equality is bit for bit.

/// Counts the values whose bit patterns differ.
private func differing(_ a: [Float], _ b: [Float]) -> Int { zip(a, b).filter { $0.bitPattern != $1.bitPattern }.count }

@Test func lapackResultsAreBitIdenticalAtOneAndTwoThreads() throws {
    let n = 256
    let m = try Tensor.normal([n, n], key: RandomKey(seed: 1))
    func run(threads: Int) throws -> (q: [Float], s: [Float], u: [Float], eigenvalues: [Double], blas: Int) {
        try Parallel.withThreadCount(threads) {
            let q = try Linalg.orthonormalColumns(m)
            let svd = try Linalg.svd(m)
            let gram = try m.matmul(m, transposeSelf: true).scalars.map(Double.init)
            return (q.scalars, svd.singularValues, svd.u.scalars, try Linalg.symmetricEigenvalues(gram, size: n), Parallel.blasThreadCount)
        }
    }
    let one = try run(threads: 1), two = try run(threads: 2)
    #expect(one.blas == 1 && two.blas == 2)
    #expect(differing(one.q, two.q) == 0)
    #expect(differing(one.s, two.s) == 0)
    #expect(differing(one.u, two.u) == 0)
    #expect(zip(one.eigenvalues, two.eigenvalues).filter { $0.bitPattern != $1.bitPattern }.isEmpty)
}
