import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// identity/eye: exactly gain on the leading diagonal of a rectangular matrix, 0 elsewhere.
@Test(arguments: [("identity", [4, 6]), ("eye(gain=0.5)", [6, 4]), ("identity(gain=3)", [5, 5])])
func identityIsTheRectangularEye(text: String, shape: [Int]) throws {
    let w = try Scheme(text).sample(WeightLayout(shape), key: RandomKey(seed: 0))
    let gain: Float = text.contains("0.5") ? 0.5 : (text.contains("3") ? 3 : 1)
    for i in 0..<shape[0] {
        for j in 0..<shape[1] { #expect(w[i, j] == (i == j ? gain : 0)) }
    }
    #expect(throws: InitiumError.self) { try Scheme(text).sample(try layout([4, 4, 3, 3]), key: RandomKey(seed: 0)) }
}

/// dirac: PyTorch's pattern W[g·out/G + d, d, k/2…] = 1; a convolution with it copies channels.
@Test func diracMatchesPyTorchsPattern() throws {
    let w = try Scheme("dirac").sample(try layout([6, 4, 3, 3]), key: RandomKey(seed: 0))
    var ones = 0
    for o in 0..<6 {
        for i in 0..<4 {
            for y in 0..<3 {
                for x in 0..<3 {
                    let expected: Float = (o == i && y == 1 && x == 1) ? 1 : 0
                    #expect(w[o, i, y, x] == expected)
                    ones += w[o, i, y, x] == 1 ? 1 : 0
                }
            }
        }
    }
    #expect(ones == 4)
    // Even kernels centre at k/2 (PyTorch's dirac_), grouped kernels repeat the pattern per group.
    let grouped = try Scheme("dirac(groups=2)").sample(try layout([4, 2, 4, 4], groups: 2), key: RandomKey(seed: 0))
    #expect(grouped[0, 0, 2, 2] == 1 && grouped[1, 1, 2, 2] == 1 && grouped[2, 0, 2, 2] == 1 && grouped[3, 1, 2, 2] == 1)
    #expect(grouped.scalars.reduce(0, +) == 4)
    // The layout's groups are the default.
    #expect(try Scheme("dirac").sample(try layout([4, 2, 4, 4], groups: 2), key: RandomKey(seed: 0)) == grouped)
}

/// Matrices get the identity; indivisible groups and non-positive group counts are errors.
@Test func diracUsesIdentityForMatricesAndChecksGroups() throws {
    #expect(try Scheme("dirac").sample(WeightLayout([3, 5]), key: RandomKey(seed: 0)) == (try Scheme("eye").sample(WeightLayout([3, 5]), key: RandomKey(seed: 0))))
    #expect(throws: InitiumError.self) { try Scheme("dirac(groups=3)").sample(try layout([4, 2, 3, 3]), key: RandomKey(seed: 0)) }
    #expect(throws: InitiumError.self) { try Scheme("dirac(groups=0)") }
}
