import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// The orthogonal realisation has every singular value equal to scale·√(fan_out/fan_in)
/// (LAPACK SVD in Float32: relative error ~1e-6, bound 1e-4).
@Test(arguments: [[64, 32], [32, 64], [16, 8, 3, 3]])
func spectralNormIsExact(shape: [Int]) throws {
    let l = try layout(shape)
    let w = try Scheme("spectral(scale=2)").sample(l, key: RandomKey(seed: 1))
    let (rows, columns) = l.flattenedMatrix
    let expected = 2 * (Double(l.fanOut) / Double(l.fanIn)).squareRoot()
    let s = try Linalg.singularValues(try w.reshaped([rows, columns]))
    #expect(s.allSatisfy { abs(Double($0) / expected - 1) < 1e-4 })
}

/// The Gaussian realisation: σ = min(1, √(fan_out/fan_in))/√fan_in.
@Test(arguments: [[400, 100], [100, 400]])
func spectralNormalHasItsVariance(shape: [Int]) throws {
    let w = try Scheme("spectral(distribution=normal)").sample(WeightLayout(shape), key: RandomKey(seed: 1))
    let (fo, fi) = (Double(shape[0]), Double(shape[1]))
    let std = min(1, (fo / fi).squareRoot()) / fi.squareRoot()
    expectMoments(w.scalars, mean: 0, variance: std * std)
}
