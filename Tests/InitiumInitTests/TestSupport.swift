import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// Sample mean and unbiased variance, accumulated in Double.
func sampleMoments(_ values: [Float]) -> (mean: Double, variance: Double) {
    let n = Double(values.count)
    let mean = values.reduce(0.0) { $0 + Double($1) } / n
    let squares = values.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
    return (mean, squares / (n - 1))
}

/// Certifies that `values` look like n i.i.d. draws with the given mean and variance: the sample
/// mean within 5 standard errors σ/√n and the sample variance within 5 standard errors
/// σ²√((κ − 1)/n), κ the distribution's kurtosis (3 normal, 1.8 uniform, ≈ 2.2 for the normal
/// truncated at ±2σ — pass the largest that applies). Five standard errors make a false failure
/// a < 1e-6 event while any wrong constant (a missing √3, a factor 2 in a fan) is many s.e. off.
func expectMoments(
    _ values: [Float], mean: Double, variance: Double, kurtosis: Double = 3,
    _ label: String = "", sourceLocation: SourceLocation = #_sourceLocation
) {
    let n = Double(values.count)
    let sample = sampleMoments(values)
    let meanError = 5 * (variance / n).squareRoot()
    let varianceError = 5 * variance * ((kurtosis - 1) / n).squareRoot()
    #expect(abs(sample.mean - mean) < meanError, "\(label) mean \(sample.mean) vs \(mean) ± \(meanError)", sourceLocation: sourceLocation)
    #expect(abs(sample.variance - variance) < varianceError,
            "\(label) variance \(sample.variance) vs \(variance) ± \(varianceError)", sourceLocation: sourceLocation)
}

/// max |(MᵀM − I)ᵢⱼ| (columns) or max |(MMᵀ − I)ᵢⱼ| (rows) of a row-major matrix, in Double.
func orthogonalityError(_ m: Tensor, rows: Int, columns: Int, ofRows: Bool) -> Double {
    let v = m.scalars.map(Double.init)
    let count = ofRows ? rows : columns
    let length = ofRows ? columns : rows
    func element(_ vector: Int, _ i: Int) -> Double { ofRows ? v[vector * columns + i] : v[i * columns + vector] }
    var worst = 0.0
    for a in 0..<count {
        for b in a..<count {
            var dot = 0.0
            for i in 0..<length { dot += element(a, i) * element(b, i) }
            worst = max(worst, abs(dot - (a == b ? 1 : 0)))
        }
    }
    return worst
}

/// A linear layout, or a convolution one for rank ≥ 3.
func layout(_ shape: [Int], groups: Int = 1) throws -> WeightLayout {
    try WeightLayout(shape, kind: shape.count == 2 ? .linear : .convolution(groups: groups))
}
