import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// The Sylvester Hadamard matrix by its recursion H₂ₙ = [[Hₙ, Hₙ], [Hₙ, −Hₙ]] — an independent
/// construction from the popcount formula the initializer uses.
private func hadamard(_ n: Int) -> [[Float]] {
    var h: [[Float]] = [[1]]
    while h.count < n {
        h = h.map { $0 + $0 } + h.map { $0 + $0.map { -$0 } }
    }
    return h
}

/// Algorithm 1 exactly: partial identity for out ≤ in; c·H[0..<P, 0..<Q] with c = 2^(−m/2),
/// m = ⌈log₂ P⌉ (the official code's normalization) for out > in.
@Test(arguments: [[4, 6], [5, 5], [6, 4], [8, 3], [13, 5]])
func zeroMatrixIsIdentityOrHadamard(shape: [Int]) throws {
    let w = try Scheme("zero").sample(WeightLayout(shape), key: RandomKey(seed: 0))
    let (p, q) = (shape[0], shape[1])
    var m = 0
    while (1 << m) < p { m += 1 }
    let h = hadamard(1 << m)
    for i in 0..<p {
        for j in 0..<q {
            let expected: Float = p <= q ? (i == j ? 1 : 0) : h[i][j] / Float(1 << m).squareRoot()
            #expect(abs(w[i, j] - expected) < 1e-7, "[\(i), \(j)]")
        }
    }
}

/// With P a power of two the Hadamard columns are exactly orthonormal (an isometry).
@Test func zeroHadamardColumnsAreOrthonormal() throws {
    let w = try Scheme("zero").sample(WeightLayout([16, 6]), key: RandomKey(seed: 0))
    #expect(orthogonalityError(w, rows: 16, columns: 6, ofRows: false) < 1e-6)
}

/// Algorithm 2: the matrix sits at the centre tap, all other taps are zero.
@Test func zeroConvolutionUsesTheCentreTap() throws {
    let w = try Scheme("zero").sample(try layout([4, 4, 3, 3]), key: RandomKey(seed: 0))
    for o in 0..<4 {
        for i in 0..<4 {
            for y in 0..<3 {
                for x in 0..<3 { #expect(w[o, i, y, x] == (o == i && y == 1 && x == 1 ? 1 : 0)) }
            }
        }
    }
}

/// Over a residual model: branches and classifier zero; stem by Algorithm 1. Over an MLP: every
/// layer by Algorithm 1, classifier included (the official MNIST example).
@Test func zeroModelRecipe() throws {
    let net = TestResidualNetwork(inputs: 6, width: 8, blocks: 2, classes: 3, key: RandomKey(seed: 0))
    try Scheme("zero").apply(to: net, context: InitializationContext(key: RandomKey(seed: 0)))
    for path in ["blocks.0.first.weight", "blocks.1.second.weight", "head.weight", "head.bias", "stem.bias"] {
        #expect(net.parameter(at: path)!.value.scalars.allSatisfy { $0 == 0 }, "\(path)")
    }
    #expect(net.parameter(at: "stem.weight")!.value == (try Scheme("zero").sample(WeightLayout([8, 6]), key: RandomKey(seed: 0))))
    let mlp = try MLP(widths: [6, 8, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 0)))
    try Scheme("zero").apply(to: mlp, context: InitializationContext(key: RandomKey(seed: 0)))
    #expect(mlp.parameter(at: "layers.2.weight")!.value == (try Scheme("identity").sample(WeightLayout([3, 8]), key: RandomKey(seed: 0))))
}
