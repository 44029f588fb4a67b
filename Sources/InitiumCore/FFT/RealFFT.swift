import CFFTW
import Foundation

/// Multi-dimensional real discrete Fourier transforms through FFTW (single precision), with
/// NumPy's conventions: ``forward(_:shape:)`` is `numpy.fft.rfftn` and ``inverse(_:shape:)`` is
/// `numpy.fft.irfftn(X, s=shape)`, normalized by 1/N on the inverse.
///
/// A half spectrum of a real array of shape `[n₀, …, n_{d−1}]` has shape
/// `[n₀, …, n_{d−2}, n_{d−1}/2 + 1]` (``halfSpectrumShape(of:)``).
public enum RealFFT {
    /// A complex array stored as separate real and imaginary parts, row-major.
    public struct Spectrum: Sendable, Equatable {
        /// The real parts.
        public var real: [Float]
        /// The imaginary parts.
        public var imaginary: [Float]

        /// A spectrum from its parts (equal lengths).
        public init(real: [Float], imaginary: [Float]) {
            precondition(real.count == imaginary.count, "real and imaginary parts differ in length")
            self.real = real
            self.imaginary = imaginary
        }
    }

    /// FFTW's planner is not thread-safe (only executing a plan is), and tests and models may
    /// plan concurrently, so planning, executing and destroying happen under one lock. The
    /// transforms here are small (convolution kernels), so serialising them costs nothing.
    private static let planner = NSLock()

    /// The shape of the half spectrum of a real array of `shape`.
    public static func halfSpectrumShape(of shape: [Int]) -> [Int] {
        guard let last = shape.last else { return [] }
        return shape.dropLast() + [last / 2 + 1]
    }

    /// `numpy.fft.rfftn(x)` for a row-major real array of `shape`.
    public static func forward(_ x: [Float], shape: [Int]) throws -> Spectrum {
        try validate(shape: shape, count: x.count, what: "real input")
        let half = Shape.count(of: halfSpectrumShape(of: shape))
        var input = x
        var output = [Float](repeating: 0, count: 2 * half)
        let dims = shape.map(Int32.init)
        planner.withLock {
            input.withUnsafeMutableBufferPointer { inPointer in
                output.withUnsafeMutableBytes { outBytes in
                    let complex = outBytes.baseAddress!.assumingMemoryBound(to: fftwf_complex.self)
                    let plan = fftwf_plan_dft_r2c(Int32(shape.count), dims, inPointer.baseAddress!, complex, UInt32(FFTW_ESTIMATE))
                    fftwf_execute(plan)
                    fftwf_destroy_plan(plan)
                }
            }
        }
        return Spectrum(
            real: stride(from: 0, to: output.count, by: 2).map { output[$0] },
            imaginary: stride(from: 1, to: output.count, by: 2).map { output[$0] })
    }

    /// `numpy.fft.irfftn(X, s=shape)` for a half spectrum of shape ``halfSpectrumShape(of:)``.
    ///
    /// A half spectrum need not be Hermitian-consistent: its planes k_{d−1} = 0 (and n_{d−1}/2 for
    /// even n_{d−1}) carry bins k and −k of the other axes independently. NumPy's inverse (complex
    /// inverses along the leading axes, then a real inverse along the last, which drops the
    /// imaginary parts of those planes) equals the inverse of the Hermitian part
    /// (X[k] + conj X[−k])/2 of those planes, so the spectrum is projected onto it first; FFTW's
    /// complex-to-real transform is then well defined and matches NumPy.
    public static func inverse(_ spectrum: Spectrum, shape: [Int]) throws -> [Float] {
        try inverse(batch: spectrum, count: 1, shape: shape)
    }

    /// ``inverse(_:shape:)`` of `count` half spectra stored one after another, with one FFTW plan
    /// (`fftwf_plan_many_dft_c2r`); the outputs are likewise concatenated.
    public static func inverse(batch spectra: Spectrum, count: Int, shape: [Int]) throws -> [Float] {
        let halfShape = halfSpectrumShape(of: shape)
        let n = Shape.count(of: shape)
        try validate(shape: shape, count: n, what: "output")
        let half = Shape.count(of: halfShape)
        guard count >= 1, spectra.real.count == half * count else {
            throw InitiumError.shapeMismatch(operation: "RealFFT.inverse", lhs: [spectra.real.count], rhs: [count] + halfShape)
        }
        var input = [Float](repeating: 0, count: 2 * half * count)
        for item in 0..<count {
            var one = Spectrum(real: Array(spectra.real[item * half..<(item + 1) * half]),
                               imaginary: Array(spectra.imaginary[item * half..<(item + 1) * half]))
            projectSelfConjugatePlanes(&one, shape: shape)
            for i in 0..<half {
                input[2 * (item * half + i)] = one.real[i]
                input[2 * (item * half + i) + 1] = one.imaginary[i]
            }
        }
        var output = [Float](repeating: 0, count: n * count)
        let dims = shape.map(Int32.init)
        planner.withLock {
            input.withUnsafeMutableBytes { inBytes in
                output.withUnsafeMutableBufferPointer { outPointer in
                    let complex = inBytes.baseAddress!.assumingMemoryBound(to: fftwf_complex.self)
                    let plan = fftwf_plan_many_dft_c2r(
                        Int32(shape.count), dims, Int32(count), complex, nil, 1, Int32(half),
                        outPointer.baseAddress!, nil, 1, Int32(n), UInt32(FFTW_ESTIMATE))
                    fftwf_execute(plan)
                    fftwf_destroy_plan(plan)
                }
            }
        }
        let scale = 1 / Float(n)
        return output.map { $0 * scale }
    }

    /// Replaces each bin of the last-axis planes 0 and n/2 (n even) by the Hermitian part over the
    /// leading axes, (X[k] + conj X[−k])/2.
    static func projectSelfConjugatePlanes(_ spectrum: inout Spectrum, shape: [Int]) {
        let halfShape = halfSpectrumShape(of: shape)
        let lastHalf = halfShape.last!
        var planes = [0]
        if shape.last! % 2 == 0 && shape.last! / 2 != 0 { planes.append(shape.last! / 2) }
        let leading = Array(shape.dropLast())
        let leadingCount = Shape.count(of: leading)
        let original = spectrum
        for plane in planes {
            for flat in 0..<leadingCount {
                // The multi-index of `flat` over the leading axes and its negation modulo each size.
                var remainder = flat
                var mirrored = 0
                var step = 1
                for axis in stride(from: leading.count - 1, through: 0, by: -1) {
                    let size = leading[axis]
                    let index = remainder % size
                    remainder /= size
                    mirrored += ((size - index) % size) * step
                    step *= size
                }
                let a = flat * lastHalf + plane
                let b = mirrored * lastHalf + plane
                spectrum.real[a] = (original.real[a] + original.real[b]) / 2
                spectrum.imaginary[a] = (original.imaginary[a] - original.imaginary[b]) / 2
            }
        }
    }

    static func validate(shape: [Int], count: Int, what: String) throws {
        guard !shape.isEmpty, shape.allSatisfy({ $0 > 0 }), Shape.count(of: shape) == count else {
            throw InitiumError.invalidShape(operation: "RealFFT", shape: shape, reason: "\(what) needs a non-empty shape with \(count) elements")
        }
    }
}
