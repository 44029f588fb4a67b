import Foundation
import Testing
@testable import InitiumCore

/// SciPy's mean, variance and fourth central moment of each distribution the generator draws from
/// (Fixtures/distribution_moments.json, scripts/make_initializer_fixture.py), so the expected
/// values do not come from `Distribution` itself.
private struct MomentFixture: Decodable {
    struct Row: Decodable { let distribution: String; let mean: Double; let variance: Double; let mu4: Double }
    let distributions: [Row]
}

private let moments: [String: MomentFixture.Row] = {
    let url = Bundle.module.url(forResource: "distribution_moments", withExtension: "json", subdirectory: "Fixtures")!
    let rows = try! JSONDecoder().decode(MomentFixture.self, from: Data(contentsOf: url)).distributions
    return Dictionary(uniqueKeysWithValues: rows.map { ($0.distribution, $0) })
}()

/// Sample mean and variance of 400 000 draws within 5 standard errors of SciPy's moments: σ/√n
/// for the mean and √((μ₄ − σ⁴)/n) for the variance, with SciPy's μ₄ of each distribution (a
/// false failure is a < 1e-6 event). `Distribution.mean` and `.variance`, which other code uses
/// for its expectations, must equal SciPy's to Float precision.
@Test(arguments: [
    ("uniform(-2,3)", Distribution.uniform(low: -2, high: 3)),
    ("normal(0.5,2)", .normal(mean: 0.5, std: 2)),
    ("truncatedNormal(0,1,-2,2)", .truncatedNormal(mean: 0, std: 1, lower: -2, upper: 2)),
    ("truncatedNormal(1,0.5,0,3)", .truncatedNormal(mean: 1, std: 0.5, lower: 0, upper: 3)),
    ("bernoulli(0.3)", .bernoulli(probability: 0.3)),
])
func sampleMomentsMatchSciPy(label: String, distribution: Distribution) throws {
    let reference = try #require(moments[label])
    let n = 400_000
    let x = try Tensor.random([n], distribution, key: RandomKey(seed: 11))
    let values = x.scalars.map(Double.init)
    let mean = values.reduce(0, +) / Double(n)
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
    let sigma2 = reference.variance
    #expect(abs(mean - reference.mean) < 5 * (sigma2 / Double(n)).squareRoot(), "\(label) mean \(mean) vs \(reference.mean)")
    #expect(abs(variance - sigma2) < 5 * ((reference.mu4 - sigma2 * sigma2) / Double(n)).squareRoot(),
            "\(label) variance \(variance) vs \(sigma2)")
    #expect(abs(distribution.mean - reference.mean) <= 1e-6 * max(1, abs(reference.mean)), "\(label) Distribution.mean")
    #expect(abs(distribution.variance - sigma2) <= 1e-6 * max(1, sigma2), "\(label) Distribution.variance")
    if case let .truncatedNormal(_, _, lower, upper) = distribution {
        #expect(x.min() >= lower && x.max() <= upper)
    }
}
