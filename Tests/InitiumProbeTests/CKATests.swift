import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumProbe

private func randomMatrix(_ n: Int, _ p: Int, seed: UInt64) throws -> Tensor {
    try Tensor.normal([n, p], key: RandomKey(seed: seed))
}

/// A random orthogonal p×p matrix from the QR of a Gaussian one.
private func orthogonal(_ p: Int, seed: UInt64) throws -> Tensor {
    try Linalg.orthonormalColumns(try randomMatrix(p, p, seed: seed))
}

// Float32 inputs and Double accumulation: 1e-6 is well above the rounding of these sums.
@Test func ckaOfARepresentationWithItselfIsOne() throws {
    let x = try randomMatrix(40, 12, seed: 1)
    #expect(abs(try CKA.linear(x, x) - 1) < 1e-6)
    #expect(abs(try CKA.rbf(x, x) - 1) < 1e-6)
    let pairs = [(try x.slice(axis: 0, 0..<20), try x.slice(axis: 0, 0..<20)), (try x.slice(axis: 0, 20..<40), try x.slice(axis: 0, 20..<40))]
    #expect(abs(try CKA.minibatch(pairs) - 1) < 1e-6)
}

@Test func ckaIsInvariantToOrthogonalTransformsAndIsotropicScaling() throws {
    let x = try randomMatrix(50, 16, seed: 2)
    let y = try randomMatrix(50, 10, seed: 3)
    let q = try orthogonal(16, seed: 4)
    let rotated = try x.matmul(q)
    let scaled = rotated * 7.5
    let reference = try CKA.linear(x, y)
    #expect(abs(try CKA.linear(rotated, y) - reference) < 1e-5)
    #expect(abs(try CKA.linear(scaled, y) - reference) < 1e-5)
    // The RBF bandwidth follows the median distance, so isotropic scaling cancels too.
    let rbfReference = try CKA.rbf(x, y)
    #expect(abs(try CKA.rbf(scaled, y) - rbfReference) < 1e-5)
    #expect(abs(try CKA.linear(x, scaled) - 1) < 1e-5)
    // Unrelated representations are far from 1.
    #expect(reference < 0.6)
}

@Test func minibatchCKARejectsTinyBatches() throws {
    let x = try randomMatrix(3, 4, seed: 1)
    #expect(throws: InitiumError.self) { try CKA.minibatch([(x, x)]) }
}
