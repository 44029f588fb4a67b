import Foundation
import Testing
@testable import InitiumTheory

@Suite("Edge of chaos")
struct EdgeOfChaosTests {
    let integrator = GaussianIntegrator()

    @Test func criticalPointsMatchReference() throws {
        for row in try ReferenceFixture.load().edge_of_chaos {
            let point = try EdgeOfChaos.criticalPoint(
                for: try MeanFieldActivation(parsing: row.activation), biasVariance: row.sigma_b2, integrator: integrator)
            #expect(relativeError(point.weightVariance, row.sigma_w2) < referenceTolerance, "\(row.activation) \(row.sigma_b2)")
            #expect(relativeError(try #require(point.fixedPointVariance), row.q_star) < referenceTolerance)
        }
    }

    @Test func reluHasTheSingleExactPoint() throws {
        let point = try EdgeOfChaos.criticalPoint(for: MeanFieldActivation(.relu), biasVariance: 0)
        #expect(point.weightVariance == 2)
        #expect(point.fixedPointVariance == nil)
        let leaky = try EdgeOfChaos.criticalPoint(for: MeanFieldActivation(parsing: "leaky-relu(slope=0.2)"), biasVariance: 0)
        // He et al. 2015: σ_w² = 2/(1 + a²).
        #expect(relativeError(leaky.weightVariance, 2 / 1.04) < 1e-14)
        #expect(throws: TheoryError.self) { try EdgeOfChaos.criticalPoint(for: MeanFieldActivation(.relu), biasVariance: 0.05) }
    }

    @Test func tanhWithoutBiasIsCriticalAtOne() throws {
        let point = try EdgeOfChaos.criticalPoint(for: MeanFieldActivation(.tanh), biasVariance: 0, integrator: integrator)
        #expect(abs(point.weightVariance - 1) < 1e-12)
        #expect(point.fixedPointVariance == 0)
    }

    @Test func parametricCurveSatisfiesBothConditions() throws {
        let tanh = MeanFieldActivation(.tanh)
        for q in [0.2, 1.0, 3.0] {
            let point = try EdgeOfChaos.parametricPoint(for: tanh, fixedPointVariance: q, integrator: integrator)
            let map = try VarianceMap(
                activation: tanh, weightVariance: point.weightVariance, biasVariance: point.biasVariance, integrator: integrator)
            // Both conditions hold to the quadrature tolerance.
            #expect(abs(try map(q) - q) < 1e-9 * q)
            let chi1 = point.weightVariance * (try tanh.expectation(of: .derivativeSecondMoment, variance: q, integrator: integrator))
            #expect(abs(chi1 - 1) < 1e-12)
        }
    }

    @Test func sigmoidReachesTheEdgeOnlyAtLargeVariance() throws {
        // σ(0) = 1/2 makes σ_b²(q) ≤ −4 for small q; it turns positive only near q ≈ 45.
        let point = try EdgeOfChaos.criticalPoint(for: MeanFieldActivation(.sigmoid), biasVariance: 0.05, integrator: integrator)
        let q = try #require(point.fixedPointVariance)
        #expect(q > 10)
        let analysis = try SignalPropagation(
            activation: MeanFieldActivation(.sigmoid), weightVariance: point.weightVariance, biasVariance: 0.05,
            startingVariance: q, integrator: integrator)
        #expect(abs(analysis.chi1 - 1) < 1e-9)
    }

    @Test func curveIsIncreasingForTanh() throws {
        let curve = EdgeOfChaos.curve(for: MeanFieldActivation(.tanh), biasVariances: [0, 0.05, 0.1, 0.2, 0.3], integrator: integrator)
        #expect(curve.count == 5)
        for (a, b) in zip(curve, curve.dropFirst()) { #expect(b.weightVariance > a.weightVariance) }
    }

    @Test func impossibleRequestsThrow() {
        // Softplus behaves like ReLU for large q but with E[φ²]/E[φ′²] − q growing like √q, so
        // σ_b²(q) = q − E[φ²]/E[φ′²] stays negative: no σ_b² ≥ 0 is reachable.
        #expect(throws: TheoryError.self) { try EdgeOfChaos.criticalPoint(for: MeanFieldActivation(.softplus), biasVariance: 0.05) }
        #expect(throws: TheoryError.self) { try EdgeOfChaos.criticalPoint(for: MeanFieldActivation(.maxout), biasVariance: 0) }
        #expect(throws: TheoryError.self) { try EdgeOfChaos.criticalPoint(for: MeanFieldActivation(.tanh), biasVariance: -0.1) }
    }
}
