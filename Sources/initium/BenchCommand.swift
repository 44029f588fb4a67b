import ArgumentParser
import Foundation
import InitiumCore
import InitiumLab
import InitiumNN

/// `initium bench`: throughput measurements (release builds only make sense).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure throughput of training steps and initializers.",
        subcommands: [BenchTrainCommand.self, BenchInitCommand.self, BenchFitCommand.self])
}

/// `initium bench train`: training steps per second on random Fashion-MNIST-shaped batches.
struct BenchTrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Time full training steps (forward, loss, backward, update: SGD with momentum, or AdamW with clipping).")

    @OptionGroup var architecture: ModelOptions<MeasurementDefaults>
    @Option(help: "The dataset whose example shape and class count the random batch takes (nothing is loaded).")
    var data = "fashion-mnist"
    @Option(help: "Mini-batch size.") var batch = 128
    @Option(help: "Timed steps.") var steps = 200
    @Option(help: "Untimed warm-up steps.") var warmup = 20
    @Option(help: "sgd (momentum 0.9, lr 0.01) or adamw (lr 0.003, weight decay 0.1 on weights).")
    var optimizer = "sgd"
    @Option(help: "Clip the gradients to this global L2 norm every step.")
    var clip: Float?
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try threadOptions.apply()
        let threads = threadOptions.threads
        let model = architecture.model
        let update: OptimizerConfiguration
        switch optimizer.lowercased() {
        case "sgd": update = OptimizerConfiguration(kind: .sgd, learningRate: 0.01, momentum: 0.9, clipNorm: clip)
        case "adamw": update = OptimizerConfiguration(kind: .adamw, learningRate: 0.003, weightDecay: 0.1, clipNorm: clip)
        default: throw InitiumError.invalidArgument("bench train --optimizer takes sgd or adamw, got '\(optimizer)'")
        }
        let benchmark = TrainingBenchmark(
            model: try architecture.modelSpec(), activation: try architecture.activation.engineActivation(),
            data: DataRecipe(try DatasetSpec(data)), batchSize: batch, steps: steps, warmup: warmup, optimizer: update)
        var bar = ProgressBar(total: steps + warmup, label: "bench \(model)")
        let measurement = try benchmark.run { done, _ in bar.update(done, detail: "") }
        let rss = PeakMemory.residentMegabytes
        console.answer(String(format: "%@ batch %d threads %d: %.2f steps/s, %.0f samples/s, peak RSS %.0f MB",
                             model, batch, threads, measurement.stepsPerSecond, measurement.samplesPerSecond, rss))
        try console.emit(BenchTrainReport(
            model: model, activation: architecture.activation.act, data: data, optimizer: optimizer.lowercased(), clip: clip,
            batch: batch, steps: steps, warmup: warmup, threads: threads, stepsPerSecond: measurement.stepsPerSecond,
            samplesPerSecond: measurement.samplesPerSecond, peakRssMb: rss))
    }
}

/// The JSON line of `initium bench train`: what was measured (every setting, so a report says
/// which run it describes) and the measurement.
struct BenchTrainReport: Encodable {
    var model: String
    var activation: String
    var data: String
    var optimizer: String
    var clip: Float?
    var batch: Int
    var steps: Int
    var warmup: Int
    var threads: Int
    var stepsPerSecond: Double
    var samplesPerSecond: Double
    var peakRssMb: Double

    enum CodingKeys: String, CodingKey {
        case model, activation, data, optimizer, clip, batch, steps, warmup, threads, stepsPerSecond = "steps_per_second", samplesPerSecond = "samples_per_second"
        case peakRssMb = "peak_rss_mb"
    }
}

/// The process's peak resident set size.
enum PeakMemory {
    /// `ru_maxrss` in megabytes (Linux reports kilobytes).
    static var residentMegabytes: Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
