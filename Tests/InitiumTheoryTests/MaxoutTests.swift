import Foundation
import Testing
@testable import InitiumTheory

@Suite("Maxout constants (Tseran & Montúfar, ICLR 2023)")
struct MaxoutTests {
    let integrator = GaussianIntegrator()

    @Test func constantsMatchReference() throws {
        for row in try ReferenceFixture.load().maxout {
            #expect(relativeError(try Maxout.secondMoment(pieces: row.k, integrator: integrator), row.second_moment) < referenceTolerance)
            #expect(relativeError(try Maxout.weightVarianceFactor(pieces: row.k, integrator: integrator), row.c) < referenceTolerance)
        }
    }

    @Test func smallKHaveClosedForms() throws {
        // E[max²] is 1 for k = 1, 2; 1 + √3/(2π) for k = 3; 1 + √3/π for k = 4 (c = 2π/(√3+2π), π/(√3+π)).
        #expect(try Maxout.secondMoment(pieces: 1, integrator: integrator) == 1)
        #expect(abs(try Maxout.secondMoment(pieces: 2, integrator: integrator) - 1) < 1e-12)
        #expect(relativeError(try Maxout.secondMoment(pieces: 3, integrator: integrator), 1 + 3.0.squareRoot() / (2 * .pi)) < 1e-12)
        #expect(relativeError(try Maxout.secondMoment(pieces: 4, integrator: integrator), 1 + 3.0.squareRoot() / .pi) < 1e-12)
        // E[max of 2] = 1/√π.
        #expect(relativeError(try Maxout.orderStatisticMoment(power: 1, pieces: 2, integrator: integrator), 1 / Double.pi.squareRoot()) < 1e-12)
    }

    @Test func secondMomentGrowsWithK() throws {
        var previous = 0.0
        for k in [1, 2, 3, 8, 64, 1000] {
            let moment = try Maxout.secondMoment(pieces: k, integrator: integrator)
            // k = 1 and k = 2 both give exactly 1; the quadrature for k = 2 lands within 1e-12 of it.
            #expect(moment >= previous - 1e-12)
            previous = moment
        }
        // The maximum of 1000 normals sits near √(2 ln 1000) ≈ 3.7, so E[max²] ≈ 10.6 (loose check of scale).
        #expect(previous > 9 && previous < 12)
    }

    @Test func maxoutVarianceMapIsLinear() throws {
        let c = try Maxout.weightVarianceFactor(pieces: 5, integrator: integrator)
        let map = try VarianceMap(activation: MeanFieldActivation(parsing: "maxout(k=5)"), weightVariance: c, biasVariance: 0)
        // With W ~ N(0, c/fan_in) the second moment is preserved exactly: V(q) = q.
        #expect(relativeError(try map(2.7), 2.7) < 1e-12)
        #expect(throws: TheoryError.self) { try Maxout.secondMoment(pieces: 0, integrator: integrator) }
    }
}
