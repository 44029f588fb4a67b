import Foundation
import Testing
@testable import InitiumCore

private struct IrfftnFixture: Decodable {
    struct Case: Decodable { let shape: [Int]; let real: [Float]; let imaginary: [Float]; let output: [Double] }
    let cases: [Case]
}

/// Against `numpy.fft.irfftn` (scripts/fft_fixture.py) on half spectra that are not
/// Hermitian-consistent, as convolution-aware init produces. Float32 FFTs of ≤ 24 points with
/// O(1) inputs are exact to ~1e-6; 1e-5 absolute leaves room and still catches any convention
/// error (a missing 1/N, a wrong axis, an unprojected plane), which are all O(0.1) or larger.
@Test func inverseMatchesNumPy() throws {
    let url = try #require(Bundle.module.url(forResource: "irfftn", withExtension: "json", subdirectory: "Fixtures"))
    let fixture = try JSONDecoder().decode(IrfftnFixture.self, from: Data(contentsOf: url))
    #expect(fixture.cases.count == 6)
    for c in fixture.cases {
        let x = try RealFFT.inverse(RealFFT.Spectrum(real: c.real, imaginary: c.imaginary), shape: c.shape)
        let worst = zip(x, c.output).map { abs(Double($0) - $1) }.max()!
        #expect(worst < 1e-5, "irfftn \(c.shape): max error \(worst)")
    }
}

/// forward then inverse is the identity on real arrays (to Float32 rounding).
@Test(arguments: [[7], [8], [3, 3], [4, 5], [2, 3, 4]])
func forwardThenInverseRoundTrips(shape: [Int]) throws {
    let x = try Tensor.normal(shape, key: RandomKey(seed: 6)).scalars
    let spectrum = try RealFFT.forward(x, shape: shape)
    #expect(spectrum.real.count == Shape.count(of: RealFFT.halfSpectrumShape(of: shape)))
    let back = try RealFFT.inverse(spectrum, shape: shape)
    #expect(zip(x, back).allSatisfy { abs($0 - $1) < 1e-5 })
}

/// The forward transform of a unit impulse at the origin is 1 in every bin.
@Test func forwardOfImpulseIsFlat() throws {
    var x = [Float](repeating: 0, count: 12)
    x[0] = 1
    let s = try RealFFT.forward(x, shape: [3, 4])
    #expect(s.real.allSatisfy { abs($0 - 1) < 1e-7 } && s.imaginary.allSatisfy { abs($0) < 1e-7 })
}

@Test func inverseRejectsMismatchedSpectrum() {
    #expect(throws: InitiumError.self) {
        try RealFFT.inverse(RealFFT.Spectrum(real: [1, 2], imaginary: [0, 0]), shape: [3, 3])
    }
}
