import Foundation
import InitiumSpec
import Testing
@testable import InitiumTheory

@Suite("Sparsity-inducing activations (Price et al., ICLR 2024)")
struct SparseActivationsTests {
    let integrator = GaussianIntegrator()

    @Test func recipesMatchReference() throws {
        let fixture = try ReferenceFixture.load()
        for row in fixture.sparse {
            let family = try #require(ActivationFamily(rawValue: row.activation))
            let recipe = try SparseActivations.recipe(
                for: family, sparsity: row.sparsity, fixedPointVariance: row.q_star, clip: row.clip, integrator: integrator)
            let label = "\(row.activation) s=\(row.sparsity) q=\(row.q_star) m=\(row.clip ?? .infinity)"
            #expect(relativeError(recipe.threshold, row.tau) < referenceTolerance, "\(label)")
            #expect(relativeError(recipe.weightVariance, row.sigma_w2) < referenceTolerance, "\(label)")
            #expect(relativeError(recipe.biasVariance, row.sigma_b2) < referenceTolerance, "\(label)")
            #expect(relativeError(recipe.varianceSlope, row.vprime) < referenceTolerance, "\(label)")
        }
        for row in fixture.recommended_clip {
            let family = try #require(ActivationFamily(rawValue: row.activation))
            let clip = try SparseActivations.recommendedClip(
                for: family, sparsity: row.sparsity, fixedPointVariance: row.q_star, integrator: integrator)
            // The reference finds V″ by a central difference (h = 1e-4, error ~1e-9); its root moves less.
            #expect(relativeError(clip, row.clip) < referenceTolerance, "\(row.activation) s=\(row.sparsity)")
        }
    }

    @Test(arguments: [0.6, 0.85, 0.95])
    func unclippedRecipesAreMarginalAndClippedOnesStable(sparsity: Double) throws {
        for family in [ActivationFamily.shiftedReLU, .softThreshold] {
            let recipe = try SparseActivations.recipe(for: family, sparsity: sparsity, integrator: integrator)
            // φ(τ) = 0 makes V′(q*) = χ₁ = 1 exactly; the closed forms carry only rounding.
            #expect(abs(recipe.varianceSlope - 1) < 1e-12)
            #expect(!recipe.isStable)
            #expect(recipe.varianceCurvature > 0)
        }
        for family in [ActivationFamily.clippedReLU, .clippedSoftThreshold] {
            let recipe = try SparseActivations.recipe(for: family, sparsity: sparsity, clip: 1, integrator: integrator)
            #expect(recipe.isStable)
        }
    }

    @Test func clippedSlopeHasItsClosedForm() throws {
        let (s, q, m) = (0.85, 1.3, 0.8)
        let relu = try SparseActivations.recipe(for: .clippedReLU, sparsity: s, fixedPointVariance: q, clip: m)
        let tau = relu.threshold
        let density = StandardNormal.density((tau + m) / q.squareRoot()) / q.squareRoot()
        // V′(q*) = 1 − σ_w² m N(τ + m; 0, q*) for CReLU, with the subtracted term doubled for CST.
        #expect(abs(relu.varianceSlope - (1 - relu.weightVariance * m * density)) < 1e-13)
        let st = try SparseActivations.recipe(for: .clippedSoftThreshold, sparsity: s, fixedPointVariance: q, clip: m)
        let stDensity = StandardNormal.density((st.threshold + m) / q.squareRoot()) / q.squareRoot()
        #expect(abs(st.varianceSlope - (1 - 2 * st.weightVariance * m * stDensity)) < 1e-13)
    }

    @Test func recipeHitsItsTargets() throws {
        let recipe = try SparseActivations.recipe(for: .clippedSoftThreshold, sparsity: 0.85, fixedPointVariance: 2, clip: 1)
        let tau = try #require(recipe.activation["tau"])
        // Sparsity: P(|X| ≤ τ) for X ~ N(0, q*).
        #expect(abs(StandardNormal.probability(from: -tau / 2.0.squareRoot(), to: tau / 2.0.squareRoot()) - 0.85) < 1e-14)
        let analysis = try SignalPropagation(
            activation: recipe.activation, weightVariance: recipe.weightVariance, biasVariance: recipe.biasVariance,
            startingVariance: 2, integrator: integrator)
        // q* is a stable fixed point and χ₁ = 1 (edge of chaos), up to closed-form rounding.
        #expect(abs(analysis.variance.value - 2) < 1e-9)
        #expect(abs(analysis.chi1 - 1) < 1e-9)
    }

    @Test func recommendedClipPutsTheInflectionAtTheFixedPoint() throws {
        let clip = try SparseActivations.recommendedClip(for: .clippedReLU, sparsity: 0.85, integrator: integrator)
        let at = try SparseActivations.recipe(for: .clippedReLU, sparsity: 0.85, clip: clip, integrator: integrator)
        let above = try SparseActivations.recipe(for: .clippedReLU, sparsity: 0.85, clip: clip * 1.05, integrator: integrator)
        #expect(abs(at.varianceCurvature) < 1e-9)
        #expect(above.varianceCurvature > 0)
        #expect(at.isStable)
        // Without a clip the recipe uses the recommended one.
        #expect(try SparseActivations.recipe(for: .clippedReLU, sparsity: 0.85, integrator: integrator).clip == clip)
    }

    @Test func specificationStringsSupplyTheClip() throws {
        let recipe = try SparseActivations.recipe(for: MeanFieldActivation(parsing: "clipped-relu(m=0.7)"), sparsity: 0.9)
        #expect(recipe.clip == 0.7)
        #expect(recipe.activation.description.hasPrefix("clipped-relu(tau="))
        #expect(throws: TheoryError.self) {
            try SparseActivations.recipe(for: MeanFieldActivation(parsing: "clipped-relu(tau=1)"), sparsity: 0.9)
        }
        #expect(throws: TheoryError.self) {
            try SparseActivations.recipe(for: MeanFieldActivation(parsing: "clipped-relu(m=0.7)"), sparsity: 0.9, clip: 1)
        }
        #expect(throws: TheoryError.self) { try SparseActivations.recipe(for: MeanFieldActivation(.tanh), sparsity: 0.9) }
    }

    @Test(arguments: [0.0, 1.0, -0.2, 1.5, Double.nan])
    func sparsityOutsideTheOpenUnitIntervalThrows(sparsity: Double) {
        #expect(throws: TheoryError.self) { try SparseActivations.recipe(for: .clippedReLU, sparsity: sparsity, clip: 1) }
    }

    @Test func otherBadInputsThrow() {
        #expect(throws: TheoryError.self) { try SparseActivations.recipe(for: .shiftedReLU, sparsity: 0.8, clip: 1) }
        #expect(throws: TheoryError.self) { try SparseActivations.recipe(for: .clippedReLU, sparsity: 0.8, clip: -1) }
        #expect(throws: TheoryError.self) { try SparseActivations.recipe(for: .clippedReLU, sparsity: 0.8, fixedPointVariance: 0, clip: 1) }
        // Low sparsity puts τ below 0 and asks for a negative bias variance.
        #expect(throws: TheoryError.self) { try SparseActivations.recipe(for: .shiftedReLU, sparsity: 0.1) }
    }
}
