import Foundation
import InitiumCore
import Testing
@testable import InitiumProbe

/// Both estimators against the closed form I = −½·log(1 − ρ²) of a standard bivariate Gaussian
/// pair with correlation ρ, at three correlation levels.
@Suite struct MutualInformationTests {
    /// n pairs (x, ρx + √(1−ρ²)z) as two [n, 1] tensors.
    static func gaussianPair(_ n: Int, rho: Double, seed: UInt64) throws -> (Tensor, Tensor) {
        let z = try Tensor.normal([n, 2], key: RandomKey(seed: seed)).scalars
        let x = (0..<n).map { z[2 * $0] }
        let y = (0..<n).map { Float(rho * Double(z[2 * $0]) + (1 - rho * rho).squareRoot() * Double(z[2 * $0 + 1])) }
        return (try Tensor(shape: [n, 1], scalars: x), try Tensor(shape: [n, 1], scalars: y))
    }

    // Within 10% (the acceptance bound). At these n both estimators' errors are a few percent
    // (KSG: Kraskov et al. 2004, fig. 4; binning with √(N/5) bins and Miller–Madow: 2–7% in NumPy
    // trials at N = 5000), and a dropped term (the correction, ψ(k), a marginal) moves them by more.
    @Test(arguments: [0.5, 0.75, 0.9])
    func binningIsWithinTenPercent(rho: Double) throws {
        let (x, y) = try Self.gaussianPair(6000, rho: rho, seed: 11)
        let exact = -0.5 * Foundation.log(1 - rho * rho)
        let value = try MutualInformationEstimator.binning(bins: nil).estimate(x, y)
        #expect(abs(value / exact - 1) < 0.1, "binning \(value) vs \(exact) nats")
    }

    @Test(arguments: [0.5, 0.75, 0.9])
    func kernelIsWithinTenPercent(rho: Double) throws {
        let (x, y) = try Self.gaussianPair(1500, rho: rho, seed: 12)
        let exact = -0.5 * Foundation.log(1 - rho * rho)
        let value = try MutualInformationEstimator.kernel(neighbours: 3).estimate(x, y)
        #expect(abs(value / exact - 1) < 0.1, "kernel \(value) vs \(exact) nats")
    }

    @Test func independentVariablesHaveNearZeroInformation() throws {
        let (x, _) = try Self.gaussianPair(1500, rho: 0, seed: 13)
        let (_, y) = try Self.gaussianPair(1500, rho: 0, seed: 14)
        #expect(abs(try MutualInformationEstimator.kernel(neighbours: 3).estimate(x, y)) < 0.03)
        #expect(abs(try MutualInformationEstimator.binning(bins: nil).estimate(x, y)) < 0.03)
    }

    @Test func kernelGivesTheSameBitsForOneAndTwoThreads() throws {
        let (x, y) = try Self.gaussianPair(300, rho: 0.6, seed: 15)
        let estimator = MutualInformationEstimator.kernel(neighbours: 3)
        let one = try Parallel.withThreadCount(1) { try estimator.estimate(x, y) }
        let two = try Parallel.withThreadCount(2) { try estimator.estimate(x, y) }
        #expect(one == two)
    }

    @Test func digammaMatchesKnownValues() {
        // ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(10) = H₉ − γ
        let gamma = 0.5772156649015329
        #expect(abs(MutualInformationEstimator.digamma(1) + gamma) < 1e-12)
        #expect(abs(MutualInformationEstimator.digamma(0.5) + gamma + 2 * Foundation.log(2)) < 1e-12)
        let h9 = (1...9).map { 1 / Double($0) }.reduce(0, +)
        #expect(abs(MutualInformationEstimator.digamma(10) - (h9 - gamma)) < 1e-12)
    }

    @Test func estimatorsParseAndPrintBack() throws {
        for text in ["binning", "binning(bins=12)", "kernel", "kernel(k=5)"] {
            #expect(try MutualInformationEstimator(parsing: text).description == text)
        }
        #expect(throws: InitiumError.self) { try MutualInformationEstimator(parsing: "histogram") }
        #expect(throws: InitiumError.self) { try MutualInformationEstimator(parsing: "binning(bins=1)") }
    }
}
