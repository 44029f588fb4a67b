import Foundation
import InitiumCore

/// A ``Signal`` read from an image (PNG) or a sound (16-bit PCM WAV), with what it takes to write
/// a network's reconstruction back in the same format.
///
/// Images follow SIREN's `Implicit2DWrapper` (Sitzmann et al., NeurIPS 2020, `dataio.py`): 8-bit
/// values p become p/255 (`ToTensor`) and then (x − 0.5)/0.5 (`Normalize(0.5, 0.5)`), so the
/// signal lies in [−1, 1]; grey files stay one channel, colour files become RGB. With a size N the
/// image is centre-cropped to a square and resized to N×N by area averaging (each output pixel is
/// the mean of the input area it covers, fractional pixels weighted by their overlap). SIREN
/// resizes the 512² cameraman to 256² with torchvision's `Resize`, PIL's antialiased bilinear
/// filter (weights 1,3,3,1 over four pixels at a factor of 2), and rounds to 8 bits before
/// normalizing; area averaging (weights 1,1) keeps a little more high frequency, and no rounding.
///
/// Sounds follow SIREN's `AudioFile` + `ImplicitAudioWrapper`: channels are averaged to mono, the
/// raw 16-bit values divided by their maximum magnitude, so the signal lies in [−1, 1] with a
/// peak of exactly 1. SIREN spreads the sample coordinates over [−100, 100]; ``Signal`` spreads
/// them over [−1, 1], so SIREN's audio network (ω₀ = 30 on [−100, 100]) corresponds here to a
/// first-layer frequency of 3000.
public struct SignalFile: Sendable {
    /// What the signal is, for writing reconstructions.
    public enum Kind: Sendable, Equatable {
        /// An image; the signal's grid is `[height, width]`.
        case image
        /// A sound: its sample rate and the magnitude that maps to 1 (the loudest sample).
        case audio(sampleRate: Int, scale: Float)
    }

    /// The signal, values in [−1, 1].
    public let signal: Signal
    /// Image or sound.
    public let kind: Kind
    /// The file it was read from.
    public let path: String
    /// The name as given (`camera`, `Front_Center`, or a path).
    public let name: String

    /// Where `python3-skimage` keeps its sample images (`camera.png`, `astronaut.png`, `coffee.png`, …).
    public static let imageDirectory = "/usr/lib/python3/dist-packages/skimage/data"
    /// Where `alsa-utils` keeps its test sounds (`Front_Center.wav`, `Noise.wav`, …).
    public static let soundDirectory = "/usr/share/sounds/alsa"

    /// The file a name refers to: a path with a slash, or an existing file, is used as it is;
    /// otherwise the name (with `.ext` appended unless it ends so) is looked up in `directory`,
    /// so `camera` and `camera.png` both find skimage's cameraman.
    static func resolve(_ name: String, directory: String, ext: String, package: String) throws -> String {
        guard !name.isEmpty else { throw InitiumError.invalidArgument("an empty name is not a signal") }
        if name.contains("/") || FileManager.default.fileExists(atPath: name) { return name }
        let file = name.lowercased().hasSuffix("." + ext) ? name : name + "." + ext
        let path = (directory as NSString).appendingPathComponent(file)
        guard FileManager.default.fileExists(atPath: path) else {
            throw InitiumError.file(path: path, problem: "does not exist ('\(name)' is neither a file here nor one of \(package)'s; run scripts/install-system-deps, or give a path)")
        }
        return path
    }

    /// An image signal from a PNG: a name of the skimage data folder (`camera`, `astronaut`,
    /// `coffee`, …) or a path. `size` N centre-crops to a square and resizes to N×N; throws when
    /// N is not positive or exceeds the image's shorter side.
    public static func image(_ name: String, size: Int? = nil) throws -> SignalFile {
        let path = try resolve(name, directory: imageDirectory, ext: "png", package: "python3-skimage")
        if let size, size <= 0 { throw InitiumError.invalidArgument("the image size must be positive, got \(size)") }
        let png = try PNGImage.read(from: path)
        return SignalFile(signal: try imageSignal(png, size: size, source: path), kind: .image, path: path, name: name)
    }

    /// The [−1, 1] signal of a decoded image, centre-cropped and area-resized to `size`² when given.
    public static func imageSignal(_ png: PNGImage, size: Int?, source: String) throws -> Signal {
        let (h, w, c) = (png.height, png.width, png.channels)
        var values = Tensor(uninitializedShape: [h * w, c])
        values.withUnsafeMutableBufferPointer { out in
            for i in 0..<png.pixels.count { out[i] = Float(png.pixels[i]) / 255 }
        }
        var grid = [h, w]
        if let size {
            guard size > 0 else { throw InitiumError.invalidArgument("the image size must be positive, got \(size)") }
            let side = min(h, w)
            guard size <= side else {
                throw InitiumError.invalidArgument("size \(size) is above the image's \(w)×\(h) pixels (\(source)); use at most \(side)")
            }
            values = areaResize(values, height: h, width: w, channels: c, top: (h - side) / 2, left: (w - side) / 2, side: side, to: size)
            grid = [size, size]
        }
        values.withUnsafeMutableBufferPointer { out in
            for i in 0..<out.count { out[i] = (out[i] - 0.5) / 0.5 }
        }
        return try Signal(grid: grid, channels: c, values: values)
    }

    /// For each output index of a resize from `side` to `size`: the first input index and the
    /// weights of the inputs it covers (overlap lengths divided by the output cell's length).
    static func areaWeights(from side: Int, to size: Int) -> [(first: Int, weights: [Float])] {
        let ratio = Double(side) / Double(size)
        return (0..<size).map { i in
            let start = Double(i) * ratio, end = Double(i + 1) * ratio
            let first = Int(start.rounded(.down)), last = min(side - 1, Int((end - 1e-9).rounded(.down)))
            let weights = (first...last).map { j in
                Float((min(end, Double(j + 1)) - max(start, Double(j))) / ratio)
            }
            return (first, weights)
        }
    }

    /// Crops the `side`² square at (`top`, `left`) of a `[height·width, channels]` image and
    /// area-averages it to `size`², rows then columns.
    static func areaResize(
        _ values: Tensor, height: Int, width: Int, channels c: Int, top: Int, left: Int, side: Int, to size: Int
    ) -> Tensor {
        let weights = areaWeights(from: side, to: size)
        var rows = Tensor(shape: [size * side, c], repeating: 0)
        var result = Tensor(shape: [size * size, c], repeating: 0)
        values.withUnsafeBufferPointer { input in
            rows.withUnsafeMutableBufferPointer { r in
                for (i, (first, ws)) in weights.enumerated() {
                    for (k, weight) in ws.enumerated() {
                        let source = (top + first + k) * width + left
                        for x in 0..<side {
                            for ch in 0..<c { r[(i * side + x) * c + ch] += weight * input[(source + x) * c + ch] }
                        }
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { r in
            result.withUnsafeMutableBufferPointer { out in
                for y in 0..<size {
                    for (j, (first, ws)) in weights.enumerated() {
                        for (k, weight) in ws.enumerated() {
                            for ch in 0..<c { out[(y * size + j) * c + ch] += weight * r[(y * side + first + k) * c + ch] }
                        }
                    }
                }
            }
        }
        return result
    }

    /// A sound signal from a 16-bit PCM WAV: a name of the alsa-utils sounds (`Front_Center`,
    /// `Noise`, …) or a path. Channels are averaged; throws when the sound is silent.
    public static func audio(_ name: String) throws -> SignalFile {
        let path = try resolve(name, directory: soundDirectory, ext: "wav", package: "alsa-utils")
        let wav = try WAVAudio.read(from: path)
        let (signal, scale) = try audioSignal(wav, source: path)
        return SignalFile(signal: signal, kind: .audio(sampleRate: wav.sampleRate, scale: scale), path: path, name: name)
    }

    /// The mono [−1, 1] signal of decoded audio and the magnitude that maps to 1.
    public static func audioSignal(_ wav: WAVAudio, source: String) throws -> (signal: Signal, scale: Float) {
        let frames = wav.frameCount, c = wav.channels
        var values = Tensor(uninitializedShape: [frames, 1])
        var peak: Float = 0
        values.withUnsafeMutableBufferPointer { out in
            for f in 0..<frames {
                var sum: Float = 0
                for ch in 0..<c { sum += Float(wav.samples[f * c + ch]) }
                out[f] = sum / Float(c)
                peak = max(peak, abs(out[f]))
            }
        }
        guard peak > 0 else { throw InitiumError.file(path: source, problem: "is silent (every sample is 0); there is nothing to fit") }
        values.withUnsafeMutableBufferPointer { out in
            for f in 0..<frames { out[f] /= peak }
        }
        return (try Signal(grid: [frames], channels: 1, values: values), peak)
    }

    /// The file extension reconstructions are written with: `png` or `wav`.
    public var fileExtension: String { kind == .image ? "png" : "wav" }

    /// Writes `values` (the signal's shape, in [−1, 1]; values outside are clipped) in the
    /// signal's format: an 8-bit PNG of round((v + 1)/2 · 255), or a 16-bit WAV of v · scale at
    /// the original rate.
    public func write(_ values: Tensor, to path: String) throws {
        guard values.shape == signal.values.shape else {
            throw InitiumError.shapeMismatch(operation: "signal reconstruction", lhs: values.shape, rhs: signal.values.shape)
        }
        let data = values.scalars
        switch kind {
        case .image:
            let pixels = data.map { v -> UInt8 in
                let scaled = ((v + 1) / 2 * 255).rounded()
                return scaled.isNaN ? 0 : UInt8(min(255, max(0, scaled)))
            }
            try PNGImage(width: signal.grid[1], height: signal.grid[0], channels: signal.channels, pixels: pixels).write(to: path)
        case .audio(let rate, let scale):
            let samples = data.map { v -> Int16 in
                let scaled = (v * scale).rounded()
                return scaled.isNaN ? 0 : Int16(min(32767, max(-32768, scaled)))
            }
            try WAVAudio(sampleRate: rate, channels: 1, samples: samples).write(to: path)
        }
    }
}
