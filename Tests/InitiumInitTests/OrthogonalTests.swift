import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// Orthogonality certificate: the flattened [shape[0], rest] weight has orthonormal rows (when
/// rows ≤ columns) or columns (rows ≥ columns), times the gain. Float32 Householder QR keeps
/// max |QᵀQ − I| near n·ε ≈ 1e-6 at these sizes, so 1e-5 is the acceptance bound of issue 5.
@Test(arguments: [[64, 64], [100, 30], [30, 100], [16, 8, 3, 3], [8, 16, 3, 3], [5, 7, 2]])
func orthogonalIsOrthonormal(shape: [Int]) throws {
    let l = try layout(shape)
    let w = try Scheme("orthogonal").sample(l, key: RandomKey(seed: 3))
    #expect(w.shape == shape)
    let (rows, columns) = l.flattenedMatrix
    #expect(orthogonalityError(w, rows: rows, columns: columns, ofRows: rows <= columns) < 1e-5)
}

/// The gain multiplies every singular value: W/gain is orthonormal; `gain=relu` is √2.
@Test func orthogonalAppliesTheGain() throws {
    let w = try Scheme("orthogonal(gain=relu)").sample(WeightLayout([40, 40]), key: RandomKey(seed: 1))
    let scaled = w * Float(1 / 2.0.squareRoot())
    #expect(orthogonalityError(scaled, rows: 40, columns: 40, ofRows: true) < 1e-5)
}

/// The sign fix, through Q₀₀'s mean: Haar gives E[Q₀₀] = 0, while LAPACK's raw Householder Q has
/// Q₀₀ = −|a₀₀|/‖a₀‖ < 0 always (mean ≈ −0.18 here, 16 s.e. away), certified within 5 s.e. with
/// variance 1/n. (The mean square of all entries is 1/n for every orthogonal matrix, so it is not
/// checked; OrthogonalHaarTests tests the law of Q₀₀ itself.)
@Test func orthogonalIsHaarDistributed() throws {
    let n = 20
    var corner: [Float] = []
    for s in 0..<400 {
        let q = try Scheme("orthogonal").sample(WeightLayout([n, n]), key: RandomKey(seed: UInt64(s)))
        corner.append(q[0, 0])
    }
    expectMoments(corner, mean: 0, variance: 1 / Double(n), "Q[0,0]")
}

/// Element values depend only on the key: the same key gives the same matrix, another a different one.
@Test func orthogonalIsDeterministicPerKey() throws {
    let s = try Scheme("orthogonal")
    let a = try s.sample(WeightLayout([32, 48]), key: RandomKey(seed: 5))
    #expect(a == (try s.sample(WeightLayout([32, 48]), key: RandomKey(seed: 5))))
    #expect(a != (try s.sample(WeightLayout([32, 48]), key: RandomKey(seed: 6))))
}

@Test(arguments: ["orthogonal(gain=-1)", "orthogonal(gain=gelu)", "orthogonal(scale=2)"])
func invalidOrthogonalSpecsThrow(text: String) {
    #expect(throws: InitiumError.self) { try Scheme(text) }
}
