import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// Exact structure: every tap but the centre ((k−1)/2 per axis) is 0, and the centre matrix
/// [out, in] has orthonormal columns times the gain (‖QᵀQ − I‖ < 1e-5, the Float32 QR bound).
@Test(arguments: [[16, 8, 3, 3], [8, 8, 5, 5], [12, 4, 4, 4], [6, 3, 3]])
func deltaOrthogonalHasAnOrthogonalCentreTap(shape: [Int]) throws {
    let w = try Scheme("delta-orthogonal(gain=2)").sample(try layout(shape), key: RandomKey(seed: 2))
    let (out, inputs) = (shape[0], shape[1])
    let kernel = Array(shape.dropFirst(2))
    let taps = kernel.reduce(1, *)
    let centre = kernel.reduce(0) { $0 * $1 + ($1 - 1) / 2 }
    var q = [Float](repeating: 0, count: out * inputs)
    for i in 0..<out {
        for j in 0..<inputs {
            for t in 0..<taps {
                let value = w[flat: (i * inputs + j) * taps + t]
                if t == centre { q[i * inputs + j] = value / 2 } else { #expect(value == 0) }
            }
        }
    }
    #expect(orthogonalityError(try Tensor(shape: [out, inputs], scalars: q), rows: out, columns: inputs, ofRows: false) < 1e-5)
}

/// Grouped kernels: each group's centre block is orthonormal on its own.
@Test func deltaOrthogonalHandlesGroups() throws {
    let w = try Scheme("delta-orthogonal").sample(try layout([8, 2, 3, 3], groups: 4), key: RandomKey(seed: 1))
    for g in 0..<4 {
        let block = (0..<2).flatMap { i in (0..<2).map { j in w[g * 2 + i, j, 1, 1] } }
        #expect(orthogonalityError(try Tensor(shape: [2, 2], scalars: block), rows: 2, columns: 2, ofRows: false) < 1e-5)
    }
}

@Test func deltaOrthogonalRejectsShrinkingKernels() throws {
    let scheme = try Scheme("delta-orthogonal")
    #expect(throws: InitiumError.self) { try scheme.sample(try layout([4, 8, 3, 3]), key: RandomKey(seed: 0)) }
}

/// Dense layers (e.g. a CNN's classifier) get orthogonal(gain), whatever their shape.
@Test func deltaOrthogonalUsesOrthogonalForMatrices() throws {
    for shape in [[8, 4], [4, 8]] {
        let l = try WeightLayout(shape)
        #expect(try Scheme("delta-orthogonal(gain=2)").sample(l, key: RandomKey(seed: 3))
                == (try Scheme("orthogonal(gain=2)").sample(l, key: RandomKey(seed: 3))))
    }
}
