import Foundation
import InitiumSpec
import Testing
@testable import InitiumTheory

/// KAT's rational activation against the paper's own constants (Adamdad/rational_kat_cu).
struct RationalActivationTests {
    /// `gain.py` estimates gain² = E[x²]/E[F(x)²] for x ~ N(0, 1) with 10⁶ samples:
    /// 2.3567850379928976 for the GELU fit. Our quadrature's 1/E[F²] must agree within 1%
    /// (the Monte-Carlo estimate's own error is ≈ 0.3%).
    @Test func forwardGainMatchesKATsGain() throws {
        let gains = try Gains(activation: try MeanFieldActivation(parsing: "rational"))
        #expect(abs(gains.forward * gains.forward / 2.3567850379928976 - 1) < 0.01)
    }

    /// The default coefficients fit GELU on [−3, 3] to better than 10⁻².
    @Test func defaultsFitGELU() throws {
        let rational = try MeanFieldActivation(parsing: "rational")
        let gelu = try MeanFieldActivation(parsing: "gelu")
        for i in 0...600 {
            let x = -3 + Double(i) / 100
            #expect(abs(try rational.value(at: x) - gelu.value(at: x)) < 1e-2, "x = \(x)")
        }
    }

    /// The identity mode returns its input exactly, and the derivative is the numerical one.
    @Test func identityModeAndDerivative() throws {
        let identity = try MeanFieldActivation(parsing: "rational(a0=0,a1=1,a2=0,a3=0,a4=0,a5=0,b1=0,b2=0,b3=0,b4=0)")
        let gelu = try MeanFieldActivation(parsing: "rational")
        for x in stride(from: -4.0, through: 4.0, by: 0.37) {
            #expect(try identity.value(at: x) == x)
            let h = 1e-6
            let numeric = (try gelu.value(at: x + h) - gelu.value(at: x - h)) / (2 * h)
            #expect(abs(try gelu.derivative(at: x) - numeric) < 1e-6)
        }
    }
}
