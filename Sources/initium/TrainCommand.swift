import ArgumentParser
import Foundation
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN

/// `initium train`: trains one model and reports test accuracy, losses and throughput.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model on a dataset and report test accuracy, losses and throughput.")

    @OptionGroup var trainingOptions: TrainingRunOptions<TrainingDefaults>
    @OptionGroup var console: OutputOptions
    @Option(help: "Record extra measurements during training: rotation (per-layer cosine distance from the initial weights each epoch).")
    var track: [String] = []

    func run() throws {
        try trainingOptions.applyThreads()
        let run = try trainingOptions.makeRun()
        if let unknown = track.first(where: { $0 != "rotation" }) {
            throw InitiumError.invalidArgument("--track \(unknown) is not known; use --track rotation")
        }
        note("training \(run.model) act=\(run.activation) init=\(run.scheme) on \(run.data) for \(run.training.epochs) epoch(s)")
        var bar: ProgressBar?
        var lastEpoch = 0
        let outcome = try run.run(tracksRotation: track.contains("rotation")) { progress in
            if bar == nil || progress.epoch != lastEpoch {
                bar = ProgressBar(total: progress.stepsPerEpoch, label: "epoch \(progress.epoch)/\(run.training.epochs)")
                lastEpoch = progress.epoch
            }
            bar?.update(progress.stepInEpoch, detail: String(
                format: "loss %.4f %.0f samples/s", progress.meanLoss, progress.samplesPerSecond))
        }
        for epoch in outcome.result.epochs {
            var line = String(format: "epoch %d: train loss %.4f", epoch.epoch, epoch.trainLoss)
            if let acc = epoch.testAccuracy, let loss = epoch.testLoss {
                line += String(format: ", test loss %.4f, test accuracy %.4f", loss, acc)
            }
            console.answer(line + String(format: " (%.1f s)", epoch.seconds))
        }
        let result = outcome.result
        console.answer(String(format: "%.1f steps/s, %.0f samples/s", result.stepsPerSecond, result.samplesPerSecond))
        for curve in outcome.rotation ?? [] {
            console.answer("rotation \(curve.layer): " + curve.distances.map { String(format: "%.4f", $0) }.joined(separator: " "))
        }
        try console.emit(TrainReport(
            testAccuracy: result.testAccuracy, testLoss: result.testLoss, trainLoss: result.trainLoss,
            epochs: result.epochs.count, seconds: result.seconds, stepsPerSecond: result.stepsPerSecond,
            samplesPerSecond: result.samplesPerSecond, perEpoch: result.epochs, rotation: outcome.rotation))
    }
}

/// The JSON line of `initium train`.
struct TrainReport: Encodable {
    var testAccuracy: Double
    var testLoss: Double
    var trainLoss: Double
    var epochs: Int
    var seconds: Double
    var stepsPerSecond: Double
    var samplesPerSecond: Double
    var perEpoch: [EpochSummary]
    var rotation: [LayerRotation]?

    enum CodingKeys: String, CodingKey {
        case testAccuracy = "test_accuracy", testLoss = "test_loss", trainLoss = "train_loss", epochs, seconds
        case stepsPerSecond = "steps_per_second", samplesPerSecond = "samples_per_second", perEpoch = "per_epoch", rotation
    }
}
