import Foundation
import InitiumCore
import InitiumNN

/// The magnitude spectrum of a signal-shaped array (a target, or a fit's residual), averaged into
/// frequency bands: the picture of a spectral bottleneck (WINNER, Chandravamsi et al. 2025: a
/// network that fits the low frequencies and leaves the high ones in the residual).
///
/// Each channel's |DFT| (``InitiumCore/RealFFT``, NumPy's `rfftn`) is averaged over channels and
/// then over bands: for an image `[h, w]`, rings of radius r = √((k_y/h)² + (k_x/w)²) cycles per
/// pixel, one ring per 1/min(h, w) up to the Nyquist radius 0.5 (the corners beyond it are left
/// out); for a sound `[n]`, `bands` equal-width bands of the frequency k/n up to 0.5 cycles per
/// sample. A band's frequency is the mean frequency of its bins.
public struct SignalSpectrum: Sendable, Codable {
    /// Band centres in cycles per sample (per pixel for images), 0…0.5.
    public var frequencies: [Double]
    /// Mean |DFT| per band.
    public var magnitudes: [Double]

    /// The banded spectrum of `values` (`[Π grid, channels]`, row-major over `grid`); `bands`
    /// applies to 1-D signals.
    public init(values: Tensor, grid: [Int], bands: Int = 256) throws {
        guard grid.count == 1 || grid.count == 2, values.rank == 2, values.shape[0] == Shape.count(of: grid) else {
            throw InitiumError.invalidShape(operation: "signal spectrum", shape: values.shape, reason: "needs [points, channels] over a 1-D or 2-D grid \(grid)")
        }
        let channels = values.shape[1], points = values.shape[0]
        let halfShape = RealFFT.halfSpectrumShape(of: grid)
        var magnitude = [Double](repeating: 0, count: Shape.count(of: halfShape))
        let data = values.scalars
        for c in 0..<channels {
            let column = (0..<points).map { data[$0 * channels + c] }
            let spectrum = try RealFFT.forward(column, shape: grid)
            for i in 0..<magnitude.count {
                let (re, im) = (Double(spectrum.real[i]), Double(spectrum.imaginary[i]))
                magnitude[i] += (re * re + im * im).squareRoot() / Double(channels)
            }
        }
        let bandCount: Int
        let frequency: (Int) -> Double
        if grid.count == 2 {
            let (h, w) = (grid[0], grid[1])
            let halfWidth = halfShape[1]
            bandCount = min(h, w) / 2 + 1
            frequency = { i in
                let (ky, kx) = (i / halfWidth, i % halfWidth)
                let fy = Double(ky <= h / 2 ? ky : ky - h) / Double(h)
                return (fy * fy + (Double(kx) / Double(w)) * (Double(kx) / Double(w))).squareRoot()
            }
        } else {
            bandCount = max(1, min(bands, halfShape[0]))
            frequency = { i in Double(i) / Double(grid[0]) }
        }
        let width = 0.5 / Double(max(bandCount - 1, 1))
        var sums = [Double](repeating: 0, count: bandCount), centres = sums, counts = sums
        for i in 0..<magnitude.count {
            let f = frequency(i)
            guard f <= 0.5 + 1e-12 else { continue }
            let band = grid.count == 2 ? min(bandCount - 1, Int((f / width).rounded())) : min(bandCount - 1, Int(f / 0.5 * Double(bandCount)))
            sums[band] += magnitude[i]
            centres[band] += f
            counts[band] += 1
        }
        let kept = (0..<bandCount).filter { counts[$0] > 0 }
        frequencies = kept.map { centres[$0] / counts[$0] }
        magnitudes = kept.map { sums[$0] / counts[$0] }
    }
}
