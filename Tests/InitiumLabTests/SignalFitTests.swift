import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import Testing
@testable import InitiumLab

/// SignalFit's PSNR, its curve and loop, the initialization from a weights file, and the banded
/// spectra of the fit report.
@Suite struct SignalFitTests {
    /// A smooth 1-D signal of 32 samples: 0.8·sin(3x) over x ∈ [−1, 1].
    private func smoothSignal() throws -> Signal {
        let values = (0..<32).map { i in Float(0.8 * Foundation.sin(3 * (-1 + 2 * Double(i) / 31))) }
        return try Signal(grid: [32], channels: 1, values: Tensor(shape: [32, 1], scalars: values))
    }

    private func run(_ model: String = "mlp:1-16-16-1", steps: Int = 40, every: Int = 10, weights: String? = nil) throws -> SignalFitRun {
        SignalFitRun(
            model: try ModelSpec(model), activation: try Activation("tanh"), scheme: try Scheme("glorot-uniform"), initialWeights: weights,
            signal: try smoothSignal(), steps: steps, learningRate: 1e-2, every: every, seed: 3)
    }

    @Test("PSNR is 10·log10(range²/MSE) with range 2")
    func psnrFormula() {
        #expect(abs(SignalFit.psnr(mse: 0.04) - 20) < 1e-12)
        #expect(abs(SignalFit.psnr(mse: 4)) < 1e-12)
        #expect(abs(SignalFit.psnr(mse: 0.01, range: 1) - 20) < 1e-12)
    }

    @Test("The curve starts at the initial network's PSNR, has a point every N steps and ends at the final one")
    func curvePoints() throws {
        let fit = try run(steps: 25, every: 10)
        let (model, _) = try fit.makeModel()
        let output = try model.forward(fit.signal.coordinates(), context: ForwardContext(mode: .inference)).scalars
        let target = fit.signal.values.scalars
        let mse = zip(output, target).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +) / Double(target.count)
        let result = try SignalFit.run(model: model, signal: fit.signal, steps: 25, learningRate: 1e-2, every: 10)
        #expect(result.curve.map(\.step) == [0, 10, 20, 25])
        #expect(abs(result.curve[0].psnr - 10 * Foundation.log10(4 / mse)) < 1e-3)
        let after = try model.forward(fit.signal.coordinates(), context: ForwardContext(mode: .inference)).scalars
        let finalMSE = zip(after, target).map { Double($0 - $1) * Double($0 - $1) }.reduce(0, +) / Double(target.count)
        #expect(abs(result.finalPSNR - 10 * Foundation.log10(4 / finalMSE)) < 1e-3)
        #expect(result.reconstruction.scalars == after)
    }

    @Test("Full-batch Adam fits a smooth signal: +10 dB in 300 steps")
    func fitImproves() throws {
        let result = try run(steps: 300, every: 100).run().fit
        #expect(result.finalPSNR > result.curve[0].psnr + 10, "\(result.curve)")
    }

    @Test("The same seed gives the same curve")
    func deterministic() throws {
        #expect(try run().run().fit.curve == (try run().run().fit.curve))
    }

    @Test("--init-from weights replace the scheme's, and a file for another architecture is refused naming it")
    func weightsFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signal-fit-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let first = try run(steps: 30).run()
        let path = directory + "/fit.safetensors"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try run().checkpoint.write(first.model, to: path)
        let resumed = try run(steps: 0, weights: path).run().fit
        #expect(abs(resumed.curve[0].psnr - first.fit.finalPSNR) < 1e-4)
        #expect(throws: InitiumError.self) { _ = try run("mlp:1-8-1", weights: path).makeModel() }
        do {
            _ = try run("mlp:1-8-1", weights: path).makeModel()
        } catch {
            #expect("\(error)".contains("fit.safetensors") && "\(error)".contains("mlp:1-16-16-1"))
        }
    }

    @Test("A pure tone's banded spectrum peaks at its frequency (1-D and radially in 2-D)")
    func spectrumPeaks() throws {
        let n = 64
        let tone = (0..<n).map { Float(Foundation.cos(2 * Double.pi * 10 * Double($0) / Double(n))) }
        let line = try SignalSpectrum(values: try Tensor(shape: [n, 1], scalars: tone), grid: [n], bands: 33)
        let peak = line.magnitudes.indices.max { line.magnitudes[$0] < line.magnitudes[$1] }!
        #expect(abs(line.frequencies[peak] - 10.0 / 64) < 1e-9)
        let side = 16
        var image = [Float]()
        for y in 0..<side { for x in 0..<side { image.append(Float(Foundation.cos(2 * Double.pi * (3 * Double(x) + 4 * Double(y)) / Double(side)))) } }
        let rings = try SignalSpectrum(values: try Tensor(shape: [side * side, 1], scalars: image), grid: [side, side])
        let ring = rings.magnitudes.indices.max { rings.magnitudes[$0] < rings.magnitudes[$1] }!
        // (3, 4)/16 cycles per pixel: radius 5/16
        #expect(abs(rings.frequencies[ring] - 5.0 / 16) < 1.0 / 32)
    }
}
