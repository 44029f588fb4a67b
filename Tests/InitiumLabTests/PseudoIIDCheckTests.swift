import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import InitiumTheory
import Testing
@testable import InitiumLab

/// The NNGP recursion against the arc-cosine closed form, and the kernel error's decay with width.
@Suite struct PseudoIIDCheckTests {
    // ReLU (Cho & Saul 2009): E[φ(u_a)φ(u_b)] = √(q_a q_b)/(2π)·(sin θ + (π − θ) cos θ), cos θ = c.
    @Test func reluStepMatchesTheArcCosineKernel() throws {
        let k = [1.3, 0.4, 0.4, 0.7]
        let next = try PseudoIIDCheck.next(k, 2, MeanFieldActivation(parsing: "relu"), 2, GaussianIntegrator())
        func arcCosine(_ qa: Double, _ qb: Double, _ kab: Double) -> Double {
            let theta = acos(kab / (qa * qb).squareRoot())
            return 2 * (qa * qb).squareRoot() / (2 * Double.pi) * (sin(theta) + (Double.pi - theta) * cos(theta))
        }
        #expect(abs(next[0] - 1.3) < 1e-9)  // σ_w² E[φ(u)²] = 2 · q/2
        #expect(abs(next[1] - arcCosine(1.3, 0.7, 0.4)) < 1e-8)
        #expect(next[1] == next[2])
    }

    @Test func slopeOfAnExactPowerLaw() {
        let x = [64.0, 128, 256].map { log($0) }
        #expect(abs(PseudoIIDCheck.slope(x, x.map { -0.5 * $0 + 3 }) + 0.5) < 1e-12)
    }

    // Error ∝ n^{−1/2}: from width 16 to 128 it should fall by ≈ 2.8; a family that did not reach
    // the NNGP (a wrong variance, say) would level off at its bias instead. Allow a fall of ≥ 1.6
    // given the spread of an average over 4 networks.
    @Test func kernelErrorFallsWithWidthForEveryFamily() throws {
        let check = PseudoIIDCheck(
            families: try PseudoIIDCheck.standardFamilies(weightVariance: 2), activation: .relu, weightVariance: 2,
            widths: [16, 128], depth: 2, inputs: 2, networks: 4)
        for row in try check.run(key: RandomKey(seed: 7)) {
            #expect(row.errors[1] < row.errors[0] / 1.6, "\(row.family): \(row.errors)")
        }
        // a mis-scaled family (variance 1 instead of 2) keeps a bias that width does not remove
        let wrong = PseudoIIDCheck(
            families: [.init(name: "half", scheme: try Scheme("he-normal(gain=1)"))], activation: .relu, weightVariance: 2,
            widths: [16, 128], depth: 2, inputs: 2, networks: 4)
        let row = try #require(try wrong.run(key: RandomKey(seed: 7)).first)
        #expect(row.errors[1] > 0.5, "\(row.errors)")
    }
}
