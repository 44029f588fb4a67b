import Foundation
import InitiumSpec
import Testing
@testable import InitiumTheory

@Suite("Gains, VI3NR and finite-width corrections")
struct GainsTests {
    let integrator = GaussianIntegrator()

    @Test func gainsMatchReferenceForEveryActivation() throws {
        let rows = try ReferenceFixture.load().gains
        // Every catalog family appears in the reference table.
        let covered = Set(try rows.map { try MeanFieldActivation(parsing: $0.activation).family })
        #expect(covered == Set(ActivationFamily.allCases))
        for row in rows {
            let gains = try Gains(activation: try MeanFieldActivation(parsing: row.activation), integrator: integrator)
            #expect(relativeError(gains.forward, row.forward) < referenceTolerance, "\(row.activation) forward")
            #expect(relativeError(gains.variance, row.variance) < referenceTolerance, "\(row.activation) variance")
            #expect(relativeError(gains.backward, row.backward) < referenceTolerance, "\(row.activation) backward")
        }
    }

    @Test func reluGainsAreExact() throws {
        let gains = try Gains(activation: MeanFieldActivation(.relu))
        #expect(relativeError(gains.forward, 2.0.squareRoot()) < 1e-15)
        #expect(relativeError(gains.backward, 2.0.squareRoot()) < 1e-15)
        #expect(relativeError(gains.variance, 1 / (0.5 - 1 / (2 * Double.pi)).squareRoot()) < 1e-14)
        #expect(relativeError(try Gains.fixedPointGain(activation: MeanFieldActivation(.relu), biasVariance: 0.5), 1) < 1e-15)
        #expect(throws: TheoryError.self) { try Gains.fixedPointGain(activation: MeanFieldActivation(.relu), biasVariance: 1.2) }
        #expect(throws: TheoryError.self) { try Gains(activation: MeanFieldActivation(.relu), preactivationStandardDeviation: 0) }
    }

    @Test func forwardGainPreservesTheSecondMomentAtAnyScale() throws {
        let sine = try MeanFieldActivation(parsing: "sine(omega=30)")
        for sigma in [0.05, 1.0] {
            let gain = try Gains(activation: sine, preactivationStandardDeviation: sigma, integrator: integrator).forward
            let second = try sine.expectation(of: .secondMoment, variance: sigma * sigma, integrator: integrator)
            // E[sin²(ωσZ)] = (1 − e^{−2ω²σ²})/2; the gain and the check are separate quadratures, each to 1e-10.
            #expect(relativeError(gain * gain * second, sigma * sigma) < 1e-9)
            #expect(relativeError(second, (1 - exp(-2 * 900 * sigma * sigma)) / 2) < 1e-9)
        }
    }

    @Test(arguments: ["tanh", "sine", "gaussian", "gelu"])
    func balancedStandardDeviationSatisfiesTheBackwardCondition(text: String) throws {
        let activation = try MeanFieldActivation(parsing: text)
        let sigma = try VarianceInformed.balancedStandardDeviation(activation: activation, integrator: integrator)
        let condition = try VarianceInformed.balanceCondition(
            activation: activation, preactivationStandardDeviation: sigma, integrator: integrator)
        // Either a root (to Brent's 1e-14) or the best grid point, as in the authors' search.
        #expect(sigma >= 0.001 && sigma <= 10)
        let gridNeighbour = try VarianceInformed.balanceCondition(
            activation: activation, preactivationStandardDeviation: sigma * 1.05, integrator: integrator)
        #expect(abs(condition - 1) <= abs(gridNeighbour - 1) + 1e-9)
    }

    @Test func finiteWidthKurtosisMatchesReferenceAndClosedForms() throws {
        for row in try ReferenceFixture.load().gains {
            guard let expected = row.kurtosis_times_width else { continue }
            let kurtosis = try FiniteWidth.outputExcessKurtosis(
                activation: try MeanFieldActivation(parsing: row.activation), width: 100, integrator: integrator)
            #expect(relativeError(kurtosis * 100, expected, floor: 1e-9) < referenceTolerance, "\(row.activation)")
        }
        // Identity with Gaussian readout: y is a sum of products of two normals, κ̃₄ = 6/n.
        #expect(relativeError(try FiniteWidth.outputExcessKurtosis(activation: MeanFieldActivation(.identity), width: 8), 6.0 / 8) < 1e-14)
        // ReLU: 3(E[φ⁴]/E[φ²]² − 1)/n = 3(1.5/0.25 − 1)/n = 15/n.
        #expect(relativeError(try FiniteWidth.outputExcessKurtosis(activation: MeanFieldActivation(.relu), width: 5), 3) < 1e-13)
        #expect(throws: TheoryError.self) { try FiniteWidth.outputExcessKurtosis(activation: MeanFieldActivation(.relu), width: 0) }
    }

    @Test func edgeworthDensityIntegratesToOneWithTheRightKurtosis() throws {
        let kurtosis = 0.3
        let mass = try integrator.expectation { z in
            try FiniteWidth.outputDensity(at: 2 * z, variance: 4, excessKurtosis: kurtosis) / StandardNormal.density(z) * 2
        }
        let fourth = try integrator.expectation { z in
            let y = 2 * z
            return try FiniteWidth.outputDensity(at: y, variance: 4, excessKurtosis: kurtosis) / StandardNormal.density(z) * 2
                * y * y * y * y
        }
        // He₄ is orthogonal to 1 and adds κ̃₄σ⁴ to E[y⁴] = 3σ⁴; quadrature of polynomials is exact to rounding.
        #expect(abs(mass.value - 1) < 1e-12)
        #expect(relativeError(fourth.value, (3 + kurtosis) * 16) < 1e-12)
    }
}
