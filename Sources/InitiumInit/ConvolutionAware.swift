import InitiumCore
import InitiumNN

/// Convolution-aware initialization (Aghajanyan, "Convolution Aware Initialization", 2017;
/// reference port `keras_contrib/initializers/convaware.py`): filters orthogonal in the Fourier
/// domain. For a kernel [out, in, k…] (PyTorch layout; the port's Keras layout is transposed),
/// with F the real-FFT half-spectrum shape of the kernel (k…, k_last/2 + 1) and S = |F|:
/// 1. for each of the `out` filters, a basis of `in` orthonormal vectors of length S: draw
///    A ~ N(0, 1)^{S×S}, symmetrize A + Aᵀ − diag(A), take the left singular vectors (LAPACK
///    `sgesdd_`) as rows, repeat ⌊in/S⌋ + 1 times and keep the first `in` (for S = 1, N(0, ε²)
///    noise instead, as the port);
/// 2. each basis vector, read as a real half spectrum of shape F, is transformed back with
///    `irfftn(·, s = k…)` (FFTW) and N(0, ε²) noise is added (ε = `eps-std`, 0.05);
/// 3. all filters are scaled by one scalar so the whole kernel's (population) variance is
///    2/fan_in, He's variance (fan_in with groups taken into account).
/// Matrices (and any layout that is not a convolution) fall back to orthogonal, as the port.
/// Keys: filter f uses `key.fold("filter<f>")`, folded again for each basis draw and the noise.
struct ConvolutionAwareInitializer: TensorInitializer {
    let epsilonStd: Double

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        guard layout.isConvolution, (1...3).contains(layout.kernelShape.count) else {
            return try OrthogonalInitializer(gain: .value(1)).weight(for: layout, key: key, context: context)
        }
        let (filters, stack) = (layout.shape[0], layout.shape[1])
        let kernel = layout.kernelShape
        let taps = Shape.count(of: kernel)
        let size = Shape.count(of: RealFFT.halfSpectrumShape(of: kernel))
        var values = [Float]()
        values.reserveCapacity(layout.count)
        for f in 0..<filters {
            let filterKey = key.fold("filter\(f)")
            let basis = try Self.basis(count: stack, length: size, epsilonStd: epsilonStd, key: filterKey)
            var filter = try RealFFT.inverse(
                batch: RealFFT.Spectrum(real: basis, imaginary: [Float](repeating: 0, count: basis.count)), count: stack, shape: kernel)
            let noise = try Tensor.normal([stack * taps], std: Float(epsilonStd), key: filterKey.fold("noise"))
            for i in 0..<filter.count { filter[i] += noise[flat: i] }
            values += filter
        }
        let summary = WeightSummary(try Tensor(shape: [values.count], scalars: values))
        let target = 2 / Double(layout.fanIn)
        let scale = summary.std > 0 ? Float((target).squareRoot() / summary.std) : 1
        return try Tensor(shape: layout.shape, scalars: values.map { $0 * scale })
    }

    /// `count` orthonormal vectors of `length` (rows, concatenated), from singular vectors of
    /// symmetrized Gaussian matrices.
    static func basis(count: Int, length: Int, epsilonStd: Double, key: RandomKey) throws -> [Float] {
        if length == 1 {
            return try Tensor.normal([count], std: Float(epsilonStd), key: key.fold("basis")).scalars
        }
        var rows: [Float] = []
        var draw = 0
        while rows.count < count * length {
            let a = try Tensor.normal([length, length], key: key.fold("basis\(draw)"))
            var symmetric = a
            symmetric.withUnsafeMutableBufferPointer { s in
                for i in 0..<length {
                    for j in 0..<length where i != j { s[i * length + j] = a[i, j] + a[j, i] }
                }
            }
            // Rows of Uᵀ, i.e. the columns of U.
            rows += try Linalg.svd(symmetric).u.transposed().scalars
            draw += 1
        }
        return Array(rows.prefix(count * length))
    }
}

extension SchemeCatalog {
    static let convolutionAwareEntry = Entry(
        name: "conv-aware",
        parameters: [ParameterInfo(name: "eps-std", defaultValue: "0.05", summary: "std of the symmetry-breaking noise")],
        summary: "filters orthogonal in the Fourier domain (irfft of orthonormal bases) + noise, scaled to variance 2/fan_in",
        reference: "Aghajanyan, arXiv 1702.06295, 2017; keras-contrib ConvolutionAware"
    ) { spec in .tensor(ConvolutionAwareInitializer(epsilonStd: try nonNegative(spec, "eps-std", default: 0.05))) }
}
