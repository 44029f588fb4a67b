import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// The whole kernel's population variance is exactly 2/fan_in (one scalar rescale; Float32
/// accumulation error ~1e-6 relative, bound 1e-4), for 1-, 2- and 3-D kernels.
@Test(arguments: [[16, 8, 3, 3], [8, 8, 5], [4, 6, 3, 3, 3], [32, 3, 4, 4]])
func convAwareHasHeVariance(shape: [Int]) throws {
    let l = try layout(shape)
    let w = try Scheme("conv-aware").sample(l, key: RandomKey(seed: 1))
    let s = WeightSummary(w)
    #expect(abs(s.std * s.std / (2 / Double(l.fanIn)) - 1) < 1e-4)
}

/// The defining property, checked where it is exact: without noise and for 1×5 kernels (half
/// spectrum of length 3, no leading axis to project, odd length so no Nyquist bin), each input
/// channel's filter of one output channel has a real spectrum, and those spectra are orthogonal
/// with equal norms — the orthonormal basis times the common He rescale. Float32 FFTs of 5 points
/// keep errors near 1e-7 of the norm; 1e-5 relative is the bound.
@Test func convAwareFiltersAreOrthogonalInTheFourierDomain() throws {
    let w = try Scheme("conv-aware(eps-std=0)").sample(try layout([2, 3, 1, 5]), key: RandomKey(seed: 4))
    for f in 0..<2 {
        let spectra = try (0..<3).map { c in try RealFFT.forward((0..<5).map { w[f, c, 0, $0] }, shape: [1, 5]) }
        let norm = spectra[0].real.reduce(0) { $0 + $1 * $1 }
        for a in 0..<3 {
            #expect(spectra[a].imaginary.allSatisfy { abs($0) < 1e-5 * norm.squareRoot() })
            for b in a..<3 {
                let dot = zip(spectra[a].real, spectra[b].real).reduce(0) { $0 + $1.0 * $1.1 }
                #expect(abs(dot - (a == b ? norm : 0)) < 1e-5 * norm, "filter \(f), channels \(a), \(b)")
            }
        }
    }
    #expect(w == (try Scheme("conv-aware(eps-std=0)").sample(try layout([2, 3, 1, 5]), key: RandomKey(seed: 4))))
}

/// Matrices fall back to orthogonal, as the reference port does.
@Test func convAwareFallsBackToOrthogonalForMatrices() throws {
    let l = try WeightLayout([12, 20])
    #expect(try Scheme("conv-aware").sample(l, key: RandomKey(seed: 2)) == (try Scheme("orthogonal").sample(l, key: RandomKey(seed: 2))))
}
