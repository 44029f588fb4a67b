import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// PNG and WAV decoding and the signals built from them, against the values
/// scripts/make_signal_file_fixtures.py computed with NumPy from the arrays it wrote with PIL and
/// the `wave` module.
@Suite struct SignalFileTests {
    private static func path(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: "signals/" + name, withExtension: nil, subdirectory: "Fixtures")).path
    }

    private struct Expected: Decodable {
        var grid: [Int]
        var channels: Int
        var values: [Double]
        var sample_rate: Int?
        var scale: Double?
    }

    private static func expected() throws -> [String: Expected] {
        try JSONDecoder().decode([String: Expected].self, from: Data(contentsOf: URL(fileURLWithPath: path("signals.json"))))
    }

    private func check(_ signal: Signal, _ reference: Expected, tolerance: Double = 1e-5) {
        #expect(signal.grid == reference.grid)
        #expect(signal.channels == reference.channels)
        let values = signal.values.scalars
        #expect(values.count == reference.values.count)
        let worst = zip(values, reference.values).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(worst < tolerance, "largest difference \(worst)")
    }

    @Test("PNG files decode to SIREN's [−1, 1] values", arguments: ["grey-7x5.png", "rgb-4x6.png", "rgba-3x3.png", "palette-4x6.png"])
    func decodesImages(name: String) throws {
        let reference = try #require(try Self.expected()[name])
        check(try SignalFile.image(Self.path(name)).signal, reference)
    }

    @Test("--size centre-crops and area-averages like the NumPy reference", arguments: ["grey-7x5.png@3", "grey-7x5.png@5", "rgb-4x6.png@2"])
    func resizesImages(key: String) throws {
        let parts = key.split(separator: "@")
        let reference = try #require(try Self.expected()[key])
        check(try SignalFile.image(Self.path(String(parts[0])), size: Int(parts[1])).signal, reference)
    }

    @Test("A written PNG decodes back to the same bytes")
    func pngRoundTrip() throws {
        let original = try PNGImage.read(from: Self.path("rgb-4x6.png"))
        let again = try PNGImage.decode(try original.encoded(), source: "memory")
        #expect(again == original)
    }

    @Test("Reconstructions are written in the signal's format and read back")
    func writesReconstructions() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signal-file-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let image = try SignalFile.image(Self.path("grey-7x5.png"))
        try image.write(image.signal.values, to: directory + "/image.png")
        check(try SignalFile.image(directory + "/image.png").signal, try #require(try Self.expected()["grey-7x5.png"]))
        let sound = try SignalFile.audio(Self.path("stereo-16bit.wav"))
        try sound.write(sound.signal.values, to: directory + "/sound.wav")
        let back = try SignalFile.audio(directory + "/sound.wav")
        // the mono mix is rounded to 16 bits on writing: at most half a step of the peak
        let scale = try #require(try Self.expected()["stereo-16bit.wav"]?.scale)
        check(back.signal, try #require(try Self.expected()["stereo-16bit.wav"]), tolerance: 0.5 / scale + 1e-6)
    }

    @Test("A 16-bit stereo WAV becomes a mono signal scaled by its peak")
    func decodesAudio() throws {
        let reference = try #require(try Self.expected()["stereo-16bit.wav"])
        let file = try SignalFile.audio(Self.path("stereo-16bit.wav"))
        check(file.signal, reference)
        #expect(file.kind == .audio(sampleRate: try #require(reference.sample_rate), scale: Float(try #require(reference.scale))))
    }

    private func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }

    @Test("Bad images are refused with the reason")
    func badImages() throws {
        #expect(message { _ = try SignalFile.image(Self.path("truncated.png")) }.contains("truncated"))
        #expect(message { _ = try SignalFile.image(Self.path("stereo-16bit.wav").replacingOccurrences(of: ".wav", with: ".wav.png")) }.contains("does not exist"))
        #expect(message { _ = try PNGImage.decode(Data(try Data(contentsOf: URL(fileURLWithPath: Self.path("stereo-16bit.wav")))), source: "x") }.contains("not a PNG"))
        #expect(message { _ = try SignalFile.image(Self.path("grey-7x5.png"), size: 0) }.contains("positive"))
        #expect(message { _ = try SignalFile.image(Self.path("grey-7x5.png"), size: 6) }.contains("above the image"))
        #expect(message { _ = try SignalFile.image("no-such-skimage-picture") }.contains("python3-skimage"))
    }

    @Test("A PNG claiming more pixels than its bytes can hold is refused before allocating")
    func oversizedHeader() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.path("grey-7x5.png"))))
        // IHDR width at offset 16: claim 100000 columns (the CRC then fails too, either error is fine)
        bytes.replaceSubrange(16..<20, with: [0x00, 0x01, 0x86, 0xA0])
        #expect(throws: InitiumError.self) { _ = try PNGImage.decode(Data(bytes), source: "big") }
    }

    @Test("WAVs that are not 16-bit PCM say what they are")
    func badSounds() throws {
        #expect(message { _ = try SignalFile.audio(Self.path("pcm-8bit.wav")) }.contains("8-bit PCM"))
        #expect(message { _ = try SignalFile.audio(Self.path("float-32bit.wav")) }.contains("32-bit IEEE float"))
        #expect(message { _ = try SignalFile.audio(Self.path("truncated.wav")) }.contains("truncated"))
        #expect(message { _ = try SignalFile.audio(Self.path("silent.wav")) }.contains("silent"))
        #expect(message { _ = try SignalFile.audio(Self.path("grey-7x5.png")) }.contains("not a WAV"))
    }

    @Test("Bare names find skimage's images and alsa's sounds, with or without the extension")
    func namedSources() throws {
        #expect(try SignalFile.resolve("camera", directory: SignalFile.imageDirectory, ext: "png", package: "python3-skimage")
            == SignalFile.imageDirectory + "/camera.png")
        #expect(try SignalFile.resolve("camera.png", directory: SignalFile.imageDirectory, ext: "png", package: "python3-skimage")
            == SignalFile.imageDirectory + "/camera.png")
        #expect(try SignalFile.resolve("Front_Center.wav", directory: SignalFile.soundDirectory, ext: "wav", package: "alsa-utils")
            == SignalFile.soundDirectory + "/Front_Center.wav")
    }

    @Test("Area weights of each output cell sum to one")
    func areaWeightsSumToOne() {
        for (side, size) in [(5, 3), (512, 256), (7, 7), (9, 4)] {
            for cell in SignalFile.areaWeights(from: side, to: size) {
                #expect(abs(cell.weights.reduce(0, +) - 1) < 1e-5)
            }
        }
    }
}
