import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// c(k) = 1/E[max of k normals²] against Tseran & Montúfar's M_DICT (given to 5 digits), and
/// larger k against an independent Monte-Carlo-free check: c decreases with k.
@Test func maxoutConstantsMatchThePaper() throws {
    let table: [(Int, Double)] = [(2, 1), (3, 2 * Double.pi / (3.0.squareRoot() + 2 * Double.pi)), (4, Double.pi / (3.0.squareRoot() + Double.pi)), (5, 0.55555)]
    for (k, c) in table {
        #expect(abs(try TheoryBridge.maxoutFactor(pieces: k) - c) < 1e-5, "k = \(k)")
    }
    #expect(try TheoryBridge.maxoutFactor(pieces: 8) < TheoryBridge.maxoutFactor(pieces: 5))
}

/// Samples have variance c(k)/fan_in; k defaults to the network's maxout group.
@Test func maxoutWeightsHaveTheirVariance() throws {
    let c3 = 2 * Double.pi / (3.0.squareRoot() + 2 * Double.pi)
    let w = try Scheme("maxout(k=3)").sample(WeightLayout([300, 200]), key: RandomKey(seed: 2))
    expectMoments(w.scalars, mean: 0, variance: c3 / 200)
    let context = InitializationContext(key: RandomKey(seed: 0), activation: try Activation("maxout(k=3)"))
    #expect(try Scheme("maxout").sample(WeightLayout([300, 200]), key: RandomKey(seed: 2), context: context) == w)
}

/// Over a maxout MLP, the classifier gets c = 1.
@Test func maxoutClassifierUsesOne() throws {
    let mlp = try MLP(widths: [100, 64, 400], activation: try Activation("maxout(k=4)"), scope: Scope(key: RandomKey(seed: 0)))
    let log = try Scheme("maxout").apply(to: mlp, context: InitializationContext(key: RandomKey(seed: 1), activation: mlp.activation))
    #expect(abs(log.entry(for: "layers.0.weight")!.values["c"]! - Double.pi / (3.0.squareRoot() + Double.pi)) < 1e-6)
    expectMoments(mlp.parameter(at: "layers.2.weight")!.value.scalars, mean: 0, variance: 1.0 / 64)
}
