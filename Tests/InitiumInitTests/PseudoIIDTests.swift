import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// The pseudo-IID families: matched variance gain²/fan_in, the structure each promises (rank,
/// non-zeros per row), and uncorrelated entries (the condition of Nait Saada et al.).
@Suite struct PseudoIIDTests {
    static func draw(_ text: String, _ shape: [Int], seed: UInt64 = 1) throws -> Tensor {
        try Scheme(text).sample(try WeightLayout(shape, kind: shape.count > 2 ? .convolution(groups: 1) : .linear), key: RandomKey(seed: seed))
    }

    // The mean square of m entries of variance v has standard error ≈ v·√(κ/m) with κ the excess
    // spread of the squares: 2 for Gaussian entries, up to 2/density for the sparse family and 8
    // for a product of two Gaussians (low rank, r = 1); five standard errors are allowed.
    @Test(arguments: [
        ("pseudo-iid-low-rank(rank=0.5,gain=1.5)", [256, 128], 4.0),
        ("pseudo-iid-low-rank(rank=0.1,gain=1)", [64, 32, 3, 3], 8.0),
        ("pseudo-iid-sparse(density=0.1,gain=1.5)", [256, 128], 2.0 / 0.1),
        ("pseudo-iid-sparse(density=0.5,gain=1)", [64, 32, 3, 3], 2.0 / 0.5),
    ])
    func varianceIsGainSquaredOverFanIn(text: String, shape: [Int], kappa: Double) throws {
        let w = try Self.draw(text, shape)
        let fanIn = shape.dropFirst().reduce(1, *)
        let gain = text.contains("gain=1.5") ? 1.5 : 1.0
        let expected = gain * gain / Double(fanIn)
        let meanSquare = w.scalars.map { Double($0) * Double($0) }.reduce(0, +) / Double(w.count)
        #expect(abs(meanSquare / expected - 1) < 5 * (kappa / Double(w.count)).squareRoot(), "\(text): \(meanSquare) vs \(expected)")
    }

    @Test func lowRankHasTheRankItPromises() throws {
        let w = try Self.draw("pseudo-iid-low-rank(rank=0.25)", [48, 32])
        // r = 0.25 · min(48, 32) = 8: exactly 8 non-zero singular values
        let singular = try Linalg.singularValues(w)
        let top = singular.max() ?? 1
        // float32: the 24 zero singular values sit at ~1e-7 of the largest
        #expect(singular.filter { $0 > 1e-4 * top }.count == 8, "\(singular)")
    }

    @Test func sparseKeepsAFixedNumberPerRow() throws {
        let w = try Self.draw("pseudo-iid-sparse(density=0.25)", [20, 40])
        for row in 0..<20 {
            #expect((0..<40).filter { w.scalars[row * 40 + $0] != 0 }.count == 10)
        }
        // different rows choose different positions
        let patterns = Set((0..<20).map { row in (0..<40).filter { w.scalars[row * 40 + $0] != 0 } })
        #expect(patterns.count > 15)
    }

    // Pseudo-IID entries are uncorrelated: over many draws the mean of W₀₀·W₀₁ (same row) and
    // W₀₀·W₁₁ is zero within 5 standard errors (each product has standard deviation ≈ Var(W)).
    @Test(arguments: ["pseudo-iid-low-rank(rank=0.5)", "pseudo-iid-sparse(density=0.5)"])
    func entriesAreUncorrelated(text: String) throws {
        let draws = 2000
        var sameRow = 0.0, diagonal = 0.0, variance = 0.0
        for seed in 0..<draws {
            let w = try Self.draw(text, [8, 8], seed: UInt64(seed)).scalars.map(Double.init)
            sameRow += w[0] * w[1]
            diagonal += w[0] * w[9]
            variance += w[0] * w[0]
        }
        let v = variance / Double(draws)
        #expect(abs(v * 8 - 1) < 0.15)
        let bound = 5 * 2 * v / Double(draws).squareRoot()
        #expect(abs(sameRow / Double(draws)) < bound)
        #expect(abs(diagonal / Double(draws)) < bound)
    }

    @Test func badParametersAreRefused() {
        #expect(throws: InitiumError.self) { try Scheme("pseudo-iid-low-rank(rank=0)") }
        #expect(throws: InitiumError.self) { try Scheme("pseudo-iid-sparse(density=1.5)") }
        #expect(throws: InitiumError.self) { try Scheme("pseudo-iid-sparse(rank=0.5)") }
    }
}
