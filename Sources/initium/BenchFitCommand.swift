import ArgumentParser
import Foundation
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN

/// `initium bench fit`: SIREN fitting steps per second (Benchmarks/peers/torch_siren.py is the peer).
struct BenchFitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Time full-batch fitting steps of a coordinate network on a size×size image (forward, MSE, backward, Adam).")

    @Option(help: "The image side: size² coordinates per step (the skimage camera, centre-cropped and area-resized).")
    var size = 256
    @Option(help: ArgumentHelp("The coordinate network (2 inputs, 1 output). " + modelSpecHelp))
    var model = "inr:in=2,out=1,layers=5,width=256,act=sine(omega=30)"
    @Option(help: "The hidden activation, for models whose spec names none.")
    var act = "sine(omega=30)"
    @Option(name: .customLong("init"), help: "Initialization scheme.")
    var initialization = "siren"
    @Option(help: "Timed steps.") var steps = 20
    @Option(help: "Untimed warm-up steps.") var warmup = 2
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try threadOptions.apply()
        guard steps >= 1, warmup >= 0 else { throw InitiumError.invalidArgument("bench fit needs --steps ≥ 1 and --warmup ≥ 0") }
        let signal = try SignalFile.image("camera", size: size).signal
        let run = SignalFitRun(
            model: try ModelSpec(model), activation: try InitiumNN.Activation(act), scheme: try Scheme(initialization),
            signal: signal, steps: steps, learningRate: 1e-4, every: steps, seed: 0)
        let (network, _) = try run.makeModel()
        var bar = ProgressBar(total: steps + warmup, label: "bench fit")
        if warmup > 0 {
            _ = try SignalFit.run(model: network, signal: signal, steps: warmup, learningRate: 1e-4, every: warmup) { p in
                bar.update(p.step, detail: "warm-up")
            }
        }
        // steps/s of the timed updates alone, from the loop's own clock (the final evaluation excluded)
        var rate = 0.0
        _ = try SignalFit.run(model: network, signal: signal, steps: steps, learningRate: 1e-4, every: steps) { p in
            rate = p.stepsPerSecond
            bar.update(warmup + p.step, detail: String(format: "%.2f steps/s", p.stepsPerSecond))
        }
        let rss = PeakMemory.residentMegabytes
        console.answer(String(format: "%@ on %d² points, threads %d: %.3f steps/s, %.0f points/s, peak RSS %.0f MB",
                              model, size, threadOptions.threads, rate, rate * Double(size * size), rss))
        try console.emit(BenchFitReport(
            model: model, activation: act, init: initialization, size: size, batch: size * size, steps: steps, warmup: warmup, threads: threadOptions.threads,
            stepsPerSecond: rate, samplesPerSecond: rate * Double(size * size), peakRssMb: rss))
    }
}

/// The JSON line of `initium bench fit`.
struct BenchFitReport: Encodable {
    var model: String
    var activation: String
    var `init`: String
    var size: Int
    var batch: Int
    var steps: Int
    var warmup: Int
    var threads: Int
    var stepsPerSecond: Double
    var samplesPerSecond: Double
    var peakRssMb: Double

    enum CodingKeys: String, CodingKey {
        case model, activation, `init`, size, batch, steps, warmup, threads, stepsPerSecond = "steps_per_second", samplesPerSecond = "samples_per_second"
        case peakRssMb = "peak_rss_mb"
    }
}
