import Testing
@testable import InitiumCore

/// max |(QᵀQ − I)ᵢⱼ| in Double.
private func orthogonalityError(_ q: Tensor) -> Double {
    let (m, n) = (q.shape[0], q.shape[1])
    let v = q.scalars.map(Double.init)
    var worst = 0.0
    for a in 0..<n {
        for b in a..<n {
            var dot = 0.0
            for i in 0..<m { dot += v[i * n + a] * v[i * n + b] }
            worst = max(worst, abs(dot - (a == b ? 1 : 0)))
        }
    }
    return worst
}

/// Householder QR in Float32 loses orthogonality only at the level of n·ε ≈ 1e-6 for these
/// sizes, so 1e-5 catches a wrong transpose or a dropped reflector (errors of order 1).
@Test(arguments: [[6, 6], [50, 20], [128, 128], [300, 7]])
func qrGivesOrthonormalColumns(shape: [Int]) throws {
    let a = try Tensor.normal(shape, key: RandomKey(seed: 4))
    let q = try Linalg.orthonormalColumns(a)
    #expect(q.shape == shape)
    #expect(orthogonalityError(q) < 1e-5)
}

/// Q spans the same columns as A, and the sign fix makes R = QᵀA upper triangular with a
/// positive diagonal (so Q is the unique such factor).
@Test func qrSignFixGivesPositiveDiagonal() throws {
    let a = try Tensor.normal([40, 12], key: RandomKey(seed: 8))
    let q = try Linalg.orthonormalColumns(a)
    let r = try q.matmul(a, transposeSelf: true)
    for i in 0..<12 {
        #expect(r[i, i] > 0)
        for j in 0..<i { #expect(abs(r[i, j]) < 1e-4, "R[\(i),\(j)] = \(r[i, j]) below the diagonal") }
    }
}

@Test func qrRejectsWideMatrices() throws {
    #expect(throws: InitiumError.self) { try Linalg.orthonormalColumns(Tensor.zeros([3, 5])) }
}

/// U·diag(S)·Vᵀ reproduces A to Float32 rounding (1e-4 relative to the largest singular value),
/// U and V have orthonormal columns, and S is sorted.
@Test(arguments: [[8, 5], [5, 8], [30, 30]])
func svdReconstructs(shape: [Int]) throws {
    let a = try Tensor.normal(shape, key: RandomKey(seed: 2))
    let d = try Linalg.svd(a)
    let k = min(shape[0], shape[1])
    #expect(d.u.shape == [shape[0], k] && d.vt.shape == [k, shape[1]])
    #expect(d.singularValues == d.singularValues.sorted(by: >))
    var us = d.u
    us.withUnsafeMutableBufferPointer { p in
        for i in 0..<shape[0] { for j in 0..<k { p[i * k + j] *= d.singularValues[j] } }
    }
    let back = try us.matmul(d.vt)
    let worst = zip(back.scalars, a.scalars).map { abs($0 - $1) }.max()!
    #expect(worst < 1e-4 * d.singularValues[0])
    #expect(orthogonalityError(d.u) < 1e-5)
    #expect(orthogonalityError(try d.vt.transposed()) < 1e-5)
}

/// A matrix with known singular values: diag(3, 2, 1) embedded in a 4×3 matrix.
@Test func svdOfKnownMatrix() throws {
    let a = try Tensor(shape: [4, 3], scalars: [0, 0, 1, 0, 3, 0, 2, 0, 0, 0, 0, 0])
    let s = try Linalg.singularValues(a)
    #expect(zip(s, [3, 2, 1] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 })
}
