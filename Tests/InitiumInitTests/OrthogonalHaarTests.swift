import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// The Kolmogorov–Smirnov statistic sup |F̂(x) − F(x)| of `samples` against the CDF `cdf`.
private func kolmogorovSmirnov(_ samples: [Double], cdf: (Double) -> Double) -> Double {
    let sorted = samples.sorted()
    let n = Double(sorted.count)
    var d = 0.0
    for (i, x) in sorted.enumerated() {
        let f = cdf(x)
        d = max(d, Double(i + 1) / n - f, f - Double(i) / n)
    }
    return d
}

/// Haar distribution through one entry's law. The first column (rows ≥ columns) or first row
/// (rows < columns) of a Haar-random matrix with orthonormal columns/rows is uniform on the
/// sphere S^{n−1}, n its length, so its first coordinate q has (q + 1)/2 ~ Beta((n−1)/2, (n−1)/2):
/// for n = 3 (Archimedes) q is uniform on [−1, 1], F(q) = (q + 1)/2; for n = 5 it is Beta(2, 2),
/// F(u) = 3u² − 2u³ with u = (q + 1)/2. Every orthogonal matrix has entries of mean square 1/n,
/// so only a law like this can fail: LAPACK's Householder Q without the sign fix has
/// Q₀₀ = −|a₀₀|/‖a₀‖ ≤ 0 always (D ≈ 0.5), and a Q built from uniform instead of Gaussian
/// entries is not rotation invariant.
///
/// 600 matrices from seeds 0…599; the bound 1.95/√600 ≈ 0.080 is the KS critical value at
/// α = 0.001 (a correct sampler passes with 99.9% probability for seeds chosen blindly; the seeds
/// are fixed, so the outcome is deterministic).
@Test(arguments: [[3, 3], [5, 3], [3, 5]])
func orthogonalFirstEntryFollowsTheHaarLaw(shape: [Int]) throws {
    let n = max(shape[0], shape[1])
    let scheme = try Scheme("orthogonal")
    let samples = try (0..<600).map { s in
        Double(try scheme.sample(WeightLayout(shape), key: RandomKey(seed: UInt64(s)))[0, 0])
    }
    let cdf: (Double) -> Double = n == 3
        ? { q in min(max((q + 1) / 2, 0), 1) }
        : { q in let u = min(max((q + 1) / 2, 0), 1); return 3 * u * u - 2 * u * u * u }
    let d = kolmogorovSmirnov(samples, cdf: cdf)
    #expect(d < 1.95 / 600.0.squareRoot(), "KS distance \(d) from the Haar law of Q₀₀ for \(shape)")
}
