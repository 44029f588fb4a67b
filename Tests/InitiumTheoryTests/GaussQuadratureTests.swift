import Foundation
import Testing
@testable import InitiumTheory

@Suite("Golub–Welsch Gauss rules")
struct GaussQuadratureTests {
    @Test func hermiteMatchesNumPy() throws {
        let fixture = try ReferenceFixture.load()
        for reference in fixture.gauss_hermite {
            let rule = try GaussRule.hermite(order: reference.order)
            let largest = reference.weights.max() ?? 1
            for i in 0..<reference.order {
                // Nodes are O(1)–O(10): eigenvalue error of the QL iteration is a few ulps times the
                // matrix norm √n; weights are compared relative to the largest weight because tiny
                // tail weights (< 1e-30) carry only absolute accuracy in Golub–Welsch.
                #expect(abs(rule.nodes[i] - reference.nodes[i]) < 1e-12 * max(1, abs(reference.nodes[i])))
                #expect(abs(rule.weights[i] - reference.weights[i]) < 1e-12 * largest)
            }
        }
    }

    @Test(arguments: [1, 2, 7, 24, 96])
    func hermiteIntegratesNormalMomentsExactly(order: Int) throws {
        let rule = try GaussRule.hermite(order: order)
        // An n-point rule is exact for degree ≤ 2n − 1: E[Z^{2k}] = (2k − 1)!!.
        for k in 0..<order {
            let exact = stride(from: 2 * k - 1, to: 0, by: -2).reduce(1.0) { $0 * Double($1) }
            let sum = zip(rule.nodes, rule.weights).reduce(0.0) { $0 + $1.1 * pow($1.0, Double(2 * k)) }
            // Relative rounding in a sum of n terms with growing magnitudes: allow 1e-12 per degree.
            #expect(relativeError(sum, exact) < 1e-12 * Double(2 * k + 1))
        }
    }

    @Test func hermiteRuleIsSymmetric() throws {
        let rule = try GaussRule.hermite(order: 9)
        for i in 0..<9 {
            #expect(rule.nodes[i] == -rule.nodes[8 - i])
            #expect(rule.weights[i] == rule.weights[8 - i])
        }
        #expect(rule.nodes[4] == 0)
    }

    @Test func legendreIntegratesPolynomialsExactly() throws {
        let rule = try GaussRule.legendre(order: 12)
        for degree in 0..<24 {
            let exact = degree % 2 == 1 ? 0 : 2 / Double(degree + 1)
            let sum = zip(rule.nodes, rule.weights).reduce(0.0) { $0 + $1.1 * pow($1.0, Double(degree)) }
            // All terms are ≤ 2 in magnitude: 1e-14 absolute is a few ulps of the sum.
            #expect(abs(sum - exact) < 1e-14)
        }
    }

    @Test func rejectsNonPositiveOrder() {
        #expect(throws: TheoryError.self) { try GaussRule.hermite(order: 0) }
        #expect(throws: TheoryError.self) { try GaussRule.legendre(order: -3) }
    }
}

@Suite("Gaussian integrator")
struct GaussianIntegratorTests {
    let integrator = GaussianIntegrator()

    @Test func smoothExpectationsMatchClosedForms() throws {
        // E[cos(aZ)] = exp(−a²/2); E[exp(tZ)] = exp(t²/2).
        for a in [0.5, 2.0, 6.0] {
            let estimate = try integrator.expectation { cos(a * $0) }
            // The integrator's contract is 1e-11 relative to E|f|; E|cos| ≥ 0.5 here.
            #expect(abs(estimate.value - exp(-a * a / 2)) < 1e-10)
        }
        let growth = try integrator.expectation { exp(1.5 * $0) }
        #expect(relativeError(growth.value, exp(1.125)) < 1e-10)
    }

    @Test func kinkedExpectationsUseTheBreakpoints() throws {
        // E|Z| = √(2/π); E[max(Z − 1, 0)] = ϕ(1) − Q(1).
        let absolute = try integrator.expectation(breakpoints: [0]) { abs($0) }
        #expect(relativeError(absolute.value, (2 / Double.pi).squareRoot()) < 1e-10)
        let shifted = try integrator.expectation(breakpoints: [1]) { max($0 - 1, 0) }
        let exact = StandardNormal.density(1) - StandardNormal.survival(1)
        #expect(relativeError(shifted.value, exact) < 1e-10)
        // The reported bound must cover the actual error (it is the gap between two estimates).
        #expect(abs(shifted.value - exact) <= max(shifted.errorBound, 1e-15))
    }

    @Test(arguments: [-0.9, -0.3, 0.0, 0.5, 0.99, 1.0])
    func correlatedPairMoments(c: Double) throws {
        // E[U₁U₂] = c and E[U₁²U₂²] = 1 + 2c² for standard normals with correlation c.
        let product = try integrator.expectation(correlation: c) { $0 * $1 }
        #expect(abs(product.value - c) < 1e-10)
        let squares = try integrator.expectation(correlation: c) { $0 * $0 * $1 * $1 }
        #expect(relativeError(squares.value, 1 + 2 * c * c) < 1e-10)
        // A kinked pair: E[1{U₁>0} 1{U₂>0}] = 1/4 + arcsin(c)/(2π) (Sheppard's formula).
        let orthant = try integrator.expectation(correlation: c, breakpoints: ([0], [0])) { u1, u2 in
            (u1 > 0 && u2 > 0) ? 1 : 0
        }
        #expect(abs(orthant.value - (0.25 + asin(c) / (2 * Double.pi))) < 1e-9)
    }

    @Test func failsLoudlyWhenItCannotConverge() throws {
        // cos(1/z) oscillates infinitely often near 0: the fixed rules disagree and, with few
        // subintervals allowed, the adaptive path gives up. (An odd integrand would be no test:
        // symmetric rules integrate it to 0 exactly.)
        let limited = try GaussianIntegrator(relativeTolerance: 1e-10, maximumIntervals: 50)
        #expect(throws: TheoryError.self) { try limited.expectation { cos(1 / $0) } }
        #expect(throws: TheoryError.self) { try integratorExpectationWithBadCorrelation() }
    }

    @Test func rejectsInvalidSettings() {
        #expect(throws: TheoryError.self) { try GaussianIntegrator(relativeTolerance: 0) }
        #expect(throws: TheoryError.self) { try GaussianIntegrator(relativeTolerance: 1e-8, hermiteOrders: [48, 24]) }
        #expect(throws: TheoryError.self) { try GaussianIntegrator(relativeTolerance: 1e-8, maximumIntervals: 0) }
    }

    private func integratorExpectationWithBadCorrelation() throws -> Estimate {
        try integrator.expectation(correlation: 1.5) { $0 * $1 }
    }
}

@Suite("Standard normal")
struct StandardNormalTests {
    @Test(arguments: [1e-300, 1e-12, 0.001, 0.15, 0.5, 0.85, 0.999, 1 - 1e-12])
    func quantileInvertsTheDistributionFunction(p: Double) throws {
        let x = try StandardNormal.quantile(p)
        let back = p < 0.5 ? StandardNormal.cdf(x) : 1 - StandardNormal.survival(x)
        // Newton on log Φ converges to full precision; 1e-12 relative in p allows for the
        // conditioning of Φ in the tails and of 1 − Q near p = 1.
        #expect(relativeError(back, p) < 1e-12)
    }

    @Test func quantileRejectsProbabilitiesOutsideTheOpenInterval() {
        for p in [0.0, 1.0, -0.1, .nan] {
            #expect(throws: TheoryError.self) { try StandardNormal.quantile(p) }
        }
    }

    @Test func truncatedMomentsMatchQuadrature() throws {
        let integrator = GaussianIntegrator()
        for (a, b) in [(-Double.infinity, 0.3), (-1.2, 2.5), (1.0, Double.infinity), (4.0, 6.0)] {
            let moments = StandardNormal.truncatedMoments(from: a, to: b, maxOrder: 6)
            for j in 0...6 {
                let quadrature = try integrator.expectation(breakpoints: [a, b]) { z in
                    (z > a && z < b) ? pow(z, Double(j)) : 0
                }
                // Recursion and quadrature are both accurate to ~1e-12 of the magnitude E[|z|^j].
                #expect(abs(moments[j] - quadrature.value) < 1e-11 * max(1, Double(j * j)))
            }
        }
    }
}
