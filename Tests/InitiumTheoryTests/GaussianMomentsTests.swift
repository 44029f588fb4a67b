import Foundation
import Testing
@testable import InitiumTheory

@Suite("Gaussian moments of activations")
struct GaussianMomentsTests {
    let integrator = GaussianIntegrator()

    /// The same function as a closure, so the quadrature path can be checked against the closed form.
    func quadratureTwin(_ activation: MeanFieldActivation) -> MeanFieldActivation {
        MeanFieldActivation.custom(
            name: "twin", kinks: activation.kinks, { x in (try? activation.value(at: x)) ?? .nan },
            derivative: { x in (try? activation.derivative(at: x)) ?? .nan })
    }

    @Test(arguments: [
        "relu", "leaky-relu(slope=0.2)", "shifted-relu(tau=0.7)", "soft-threshold(tau=0.4)",
        "clipped-relu(tau=1.04,m=1)", "clipped-soft-threshold(tau=0.5,m=2)", "identity", "sine", "sine(omega=2.5)",
    ])
    func closedFormsMatchPiecewiseQuadrature(text: String) throws {
        let activation = try MeanFieldActivation(parsing: text)
        let twin = quadratureTwin(activation)
        for q in [0.3, 1.0, 2.5] {
            for quantity in GaussianQuantity.allCases {
                let exact = try activation.expectation(of: quantity, variance: q, integrator: integrator)
                let numeric = try twin.expectation(of: quantity, variance: q, integrator: integrator)
                // Quadrature meets 1e-10 relative to E|f|; He-weighted quantities divide by 2q or 4q²,
                // so compare with an absolute floor of that size.
                #expect(abs(exact - numeric) < 1e-9 * max(1, abs(exact)), "\(text) \(quantity) q=\(q)")
            }
        }
    }

    @Test func reluHasItsTextbookMoments() throws {
        let relu = MeanFieldActivation(.relu)
        let q = 1.7
        // E[relu²] = q/2, E[relu′²] = 1/2, E[relu] = √(q/2π), E[relu⁴] = 3q²/2.
        #expect(relativeError(try relu.expectation(of: .secondMoment, variance: q, integrator: integrator), q / 2) < 1e-14)
        #expect(relativeError(try relu.expectation(of: .derivativeSecondMoment, variance: q, integrator: integrator), 0.5) < 1e-14)
        #expect(relativeError(try relu.expectation(of: .mean, variance: q, integrator: integrator), (q / (2 * Double.pi)).squareRoot()) < 1e-14)
        #expect(relativeError(try relu.expectation(of: .fourthMoment, variance: q, integrator: integrator), 1.5 * q * q) < 1e-13)
        // Scale-free: the second moment is linear in q, so its slope is 1/2 and its curvature 0.
        #expect(relativeError(try relu.expectation(of: .secondMomentSlope, variance: q, integrator: integrator), 0.5) < 1e-13)
        #expect(abs(try relu.expectation(of: .secondMomentCurvature, variance: q, integrator: integrator)) < 1e-13)
    }

    @Test(arguments: ["tanh", "gelu", "selu", "sine(omega=2)", "clipped-relu(tau=0.5,m=1)", "softplus"])
    func qDerivativesMatchFiniteDifferences(text: String) throws {
        let activation = try MeanFieldActivation(parsing: text)
        let q = 0.8
        let h = 1e-4
        func second(_ q: Double) throws -> Double {
            try activation.expectation(of: .secondMoment, variance: q, integrator: integrator)
        }
        let slope = try activation.expectation(of: .secondMomentSlope, variance: q, integrator: integrator)
        let curvature = try activation.expectation(of: .secondMomentCurvature, variance: q, integrator: integrator)
        let numericSlope = (try second(q + h) - second(q - h)) / (2 * h)
        let numericCurvature = (try second(q + h) - 2 * second(q) + second(q - h)) / (h * h)
        // Central differences: O(h²) = 1e-8 truncation; the second difference also amplifies the
        // 1e-10 quadrature error by 1/h² = 1e8, hence 1e-6 absolute for the curvature... and margin.
        #expect(abs(slope - numericSlope) < 1e-7 * max(1, abs(slope)))
        #expect(abs(curvature - numericCurvature) < 5e-4 * max(1, abs(curvature)))
    }

    @Test func zeroVarianceIsTheLimitFromAbove() throws {
        // E[relu′(√q Z)²] = 1/2 for every q > 0; tanh at q → 0 behaves like the identity.
        let relu = MeanFieldActivation(.relu)
        #expect(try relu.expectation(of: .derivativeSecondMoment, variance: 0, integrator: integrator) == 0.5)
        let tanh = MeanFieldActivation(.tanh)
        #expect(abs(try tanh.expectation(of: .derivativeSecondMoment, variance: 0, integrator: integrator) - 1) < 1e-12)
        #expect(abs(try tanh.expectation(of: .secondMomentSlope, variance: 0, integrator: integrator) - 1) < 1e-9)
    }

    @Test func negativeVarianceIsRejected() {
        #expect(throws: TheoryError.negativeVariance(name: "q", value: -1)) {
            try MeanFieldActivation(.tanh).expectation(of: .secondMoment, variance: -1, integrator: integrator)
        }
    }

    @Test(arguments: [-0.95, -0.4, 0.0, 0.3, 0.8, 0.999])
    func reluCrossMomentIsTheArcCosineKernel(c: Double) throws {
        let relu = MeanFieldActivation(.relu)
        let (q1, q2) = (0.7, 1.9)
        // Cho & Saul (2009): E[relu(U₁)relu(U₂)] = √(q₁q₂)(√(1 − c²) + (π − arccos c) c)/(2π),
        // E[relu′(U₁)relu′(U₂)] = (π − arccos c)/(2π).
        let exact = (q1 * q2).squareRoot() * ((1 - c * c).squareRoot() + (Double.pi - acos(c)) * c) / (2 * Double.pi)
        let value = try relu.crossExpectation(variances: q1, q2, correlation: c, integrator: integrator)
        let slope = try relu.crossExpectation(derivative: true, variances: q1, q2, correlation: c, integrator: integrator)
        // Outer quadrature at 1e-10 relative to E|f| ≥ 0.05 here; 1e-10 absolute is its scale.
        #expect(abs(value - exact) < 1e-10)
        #expect(abs(slope - (Double.pi - acos(c)) / (2 * Double.pi)) < 1e-10)
    }

    @Test(arguments: [-0.7, 0.0, 0.4, 0.95])
    func sineCrossMomentsMatchQuadrature(c: Double) throws {
        let sine = try MeanFieldActivation(parsing: "sine(omega=1.5)")
        let twin = quadratureTwin(sine)
        let exact = try sine.crossExpectations(variances: 0.8, 1.3, correlation: c, integrator: integrator)
        let numeric = try twin.crossExpectations(variances: 0.8, 1.3, correlation: c, integrator: integrator)
        // Tensor-product quadrature at 1e-10 relative to E|f| ≈ 0.5 (value) and ≈ 1 (derivative).
        #expect(abs(exact.value - numeric.value) < 1e-9)
        #expect(abs(exact.derivative - numeric.derivative) < 1e-9)
    }

    @Test func sineMomentsHaveTheirTextbookForms() throws {
        let sine = try MeanFieldActivation(parsing: "sine(omega=30)")
        let q = 0.7
        let a2 = 900 * q
        // E[sin²(ωX)] = (1 − e^{−2ω²q})/2, E[φ′²] = ω²(1 + e^{−2ω²q})/2, E[sin⁴] = (3 − 4e^{−2ω²q} + e^{−8ω²q})/8.
        #expect(relativeError(try sine.expectation(of: .secondMoment, variance: q, integrator: integrator), (1 - exp(-2 * a2)) / 2) < 1e-14)
        #expect(relativeError(try sine.expectation(of: .derivativeSecondMoment, variance: q, integrator: integrator), 450 * (1 + exp(-2 * a2))) < 1e-14)
        #expect(relativeError(try sine.expectation(of: .fourthMoment, variance: q, integrator: integrator), 3.0 / 8) < 1e-14)
        #expect(abs(try sine.expectation(of: .mean, variance: q, integrator: integrator)) < 1e-15)
    }

    @Test func smoothCrossMomentsMatchTheGenericTwoDimensionalPath() throws {
        for text in ["tanh", "gelu", "elu(alpha=0.5)"] {
            let activation = try MeanFieldActivation(parsing: text)
            for c in [0.2, 0.9] {
                let fused = try activation.crossExpectations(variances: 1.3, 0.6, correlation: c, integrator: integrator)
                let direct = try integrator.expectation(correlation: c, breakpoints: ([0], [0])) { u1, u2 in
                    (try activation.value(at: 1.3.squareRoot() * u1)) * (try activation.value(at: 0.6.squareRoot() * u2))
                }
                // Two different 2-D schemes, each at 1e-10 relative to E|f| ~ 0.3.
                #expect(abs(fused.value - direct.value) < 1e-9, "\(text) c=\(c)")
            }
        }
    }
}
