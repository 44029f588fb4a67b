import Foundation
import Testing
@testable import InitiumTheory

@Suite("Variance map, correlation map and signal propagation")
struct SignalPropagationTests {
    let integrator = GaussianIntegrator()

    @Test func meanFieldMatchesReference() throws {
        for row in try ReferenceFixture.load().mean_field {
            let analysis = try SignalPropagation(
                activation: try MeanFieldActivation(parsing: row.activation), weightVariance: row.sigma_w2,
                biasVariance: row.sigma_b2, integrator: integrator)
            #expect(relativeError(analysis.variance.value, row.q_star) < referenceTolerance, "\(row.activation)")
            #expect(relativeError(analysis.variance.slope, row.vprime) < referenceTolerance)
            #expect(relativeError(analysis.chi1, row.chi1) < referenceTolerance)
            #expect(relativeError(analysis.correlation.value, row.c_star) < referenceTolerance)
            #expect(relativeError(analysis.correlation.slope, row.chi_c) < referenceTolerance)
        }
    }

    @Test func fixedPointIsAFixedPoint() throws {
        for (text, w, b) in [("tanh", 2.0, 0.1), ("gelu", 1.5, 0.2), ("sine", 3.0, 0.05), ("gaussian", 2.0, 0.1)] {
            let map = try VarianceMap(
                activation: try MeanFieldActivation(parsing: text), weightVariance: w, biasVariance: b, integrator: integrator)
            let fixedPoint = try map.fixedPoint()
            // Newton's last step (≤ 1e-9 q) leaves an error ~1e-18; the map is accurate to 1e-10.
            #expect(abs(try map(fixedPoint.value) - fixedPoint.value) < 1e-9 * max(1, fixedPoint.value), "\(text)")
            // V′ comes from the last evaluation, within 1e-9 q* of the root: |ΔV′| ≤ |V″| 1e-9 q*.
            #expect(relativeError(fixedPoint.slope, try map.slope(at: fixedPoint.value)) < 1e-8)
        }
    }

    @Test func iteratingTheMapConvergesToTheFixedPoint() throws {
        let map = try VarianceMap(activation: MeanFieldActivation(.tanh), weightVariance: 2.5, biasVariance: 0.2, integrator: integrator)
        let fixedPoint = try map.fixedPoint(startingFrom: 3)
        let trajectory = try map.trajectory(from: 3, layers: 80)
        // |V′(q*)| < 1 makes the iteration contract geometrically; 80 layers of ratio < 0.6 reach 1e-15.
        #expect(fixedPoint.isStable)
        #expect(abs(trajectory[80] - fixedPoint.value) < 1e-10)
    }

    @Test func scaleFreeMapsAreSolvedExactly() throws {
        let relu = MeanFieldActivation(.relu)
        let ordered = try VarianceMap(activation: relu, weightVariance: 1.5, biasVariance: 0.1).fixedPoint()
        #expect(relativeError(ordered.value, 0.1 / (1 - 0.75)) < 1e-14)
        #expect(ordered.slope == 0.75)
        let critical = try VarianceMap(activation: relu, weightVariance: 2, biasVariance: 0).fixedPoint(startingFrom: 3.5)
        #expect(critical.value == 3.5)
        #expect(critical.slope == 1)
        #expect(throws: TheoryError.self) { try VarianceMap(activation: relu, weightVariance: 2.5, biasVariance: 0).fixedPoint() }
        #expect(throws: TheoryError.self) { try VarianceMap(activation: relu, weightVariance: 2, biasVariance: 0.01).fixedPoint() }
    }

    @Test func tanhWithoutBiasCollapsesToZeroInTheOrderedPhase() throws {
        let map = try VarianceMap(activation: MeanFieldActivation(.tanh), weightVariance: 0.8, biasVariance: 0, integrator: integrator)
        let fixedPoint = try map.fixedPoint()
        #expect(fixedPoint.value == 0)
        // V′(0) = σ_w² φ′(0)² = σ_w² for tanh.
        #expect(abs(fixedPoint.slope - 0.8) < 1e-9)
        let analysis = try SignalPropagation(activation: MeanFieldActivation(.tanh), weightVariance: 0.8, biasVariance: 0)
        #expect(analysis.phase == .ordered)
        #expect(abs(analysis.chi1 - 0.8) < 1e-9)
    }

    @Test func badInputsThrow() {
        #expect(throws: TheoryError.negativeVariance(name: "sigma_w2", value: -1)) {
            try VarianceMap(activation: MeanFieldActivation(.tanh), weightVariance: -1, biasVariance: 0)
        }
        #expect(throws: TheoryError.negativeVariance(name: "sigma_b2", value: -0.5)) {
            try VarianceMap(activation: MeanFieldActivation(.tanh), weightVariance: 1, biasVariance: -0.5)
        }
        // Maxout's correlation map (a max over k correlated pairs) is not implemented…
        #expect(throws: TheoryError.self) {
            try MeanFieldActivation(.maxout).crossExpectation(variances: 1, 1, correlation: 0.5, integrator: integrator)
        }
    }

    @Test func maxoutNeverNeedsItsCorrelationMap() throws {
        // …and never needs it: χ₁ = σ_w² while V′ = σ_w² E[M²] ≥ χ₁, so a finite fixed point forces χ₁ < 1
        // (ordered, c* = 1), and χ₁ > 1 makes q diverge.
        let maxout = try MeanFieldActivation(parsing: "maxout(k=3)")
        let analysis = try SignalPropagation(activation: maxout, weightVariance: 0.5, biasVariance: 0.1, integrator: integrator)
        let moment = try Maxout.secondMoment(pieces: 3, integrator: integrator)
        #expect(relativeError(analysis.variance.value, 0.1 / (1 - 0.5 * moment)) < 1e-12)
        #expect(analysis.chi1 == 0.5)
        #expect(analysis.correlation.value == 1)
        #expect(throws: TheoryError.self) { try SignalPropagation(activation: maxout, weightVariance: 1.1, biasVariance: 0.1) }
    }

    @Test func correlationMapFixesOneAndHasSlopeChi1There() throws {
        let map = try VarianceMap(activation: MeanFieldActivation(.tanh), weightVariance: 3, biasVariance: 0.3, integrator: integrator)
        let q = try map.fixedPoint().value
        let correlation = try CorrelationMap(varianceMap: map, variance: q)
        let chi1 = 3 * (try MeanFieldActivation(.tanh).expectation(of: .derivativeSecondMoment, variance: q, integrator: integrator))
        // C(1) = (σ_w² E[φ²] + σ_b²)/q* = 1 exactly at the fixed point; both sides carry 1e-10 quadrature error.
        #expect(abs(try correlation(1) - 1) < 1e-9)
        #expect(abs(try correlation.slope(at: 1) - chi1) < 1e-9)
        // Chaotic phase: c* < 1 is a fixed point with slope < 1.
        let fixedPoint = try correlation.fixedPoint(chi1: chi1)
        #expect(fixedPoint.value < 1 && fixedPoint.slope < 1)
        #expect(abs(try correlation(fixedPoint.value) - fixedPoint.value) < 1e-9)
    }

    @Test func edgeOfChaosHasInfiniteCorrelationDepth() throws {
        let point = try EdgeOfChaos.criticalPoint(for: MeanFieldActivation(.tanh), biasVariance: 0.05, integrator: integrator)
        let analysis = try SignalPropagation(
            activation: MeanFieldActivation(.tanh), weightVariance: point.weightVariance, biasVariance: 0.05, integrator: integrator)
        // χ₁ = 1 up to the root finder's 1e-15 and the quadrature's 1e-10.
        #expect(abs(analysis.chi1 - 1) < 1e-9)
        #expect(analysis.correlationDepthScale > 1e8)
        #expect(analysis.phase == .critical)
    }

    @Test func kernelTrajectoryFollowsTheMaps() throws {
        let activation = MeanFieldActivation(.tanh)
        let kernels = try SignalPropagation.trajectory(
            activation: activation, weightVariance: 1.2, biasVariance: 0.05,
            from: .init(q1: 1, q2: 0.5, c: 0.3), layers: 30, integrator: integrator)
        let map = try VarianceMap(activation: activation, weightVariance: 1.2, biasVariance: 0.05, integrator: integrator)
        #expect(kernels.count == 31)
        #expect(relativeError(kernels[30].q1, try map.trajectory(from: 1, layers: 30)[30]) < 1e-12)
        // Ordered phase (χ₁ < 1): correlations approach c* = 1.
        #expect(kernels[30].c > 0.99)
    }
}
