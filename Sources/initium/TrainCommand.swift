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
    @Option(help: "Record extra measurements at initialization and after each epoch: rotation (per-layer cosine distance from the initial weights), dse[(sigma=10,t=1)][:LAYER] (diffusion spectral entropy and DSMI with the labels of a layer's representations; default the penultimate layer), mi[(estimator=binning|kernel,bins=30,k=3)][:LAYER,LAYER,…] (information plane I(X;T), I(T;Y); default every weighted layer). Repeatable.")
    var track: [String] = []
    @Option(help: "Test examples the dse and mi trackers measure (default 500).")
    var trackSamples: Int?
    @Option(help: "Write README.md and the trackers' SVG figures (dse.svg, information-plane.svg) into this folder.")
    var report: String?
    @Option(help: "Write the trained model's state dictionary, with its model spec and dataset in the metadata, to this .safetensors file (read by `initium generate --checkpoint` and --init-from).")
    var save: String?
    @Option(help: "Start from the weights in this .safetensors or .npz file (every tensor of the model, by PyTorch name and shape) instead of the initialization.")
    var initFrom: String?

    func run() throws {
        try trainingOptions.applyThreads()
        var run = try trainingOptions.makeRun()
        run.initialWeights = initFrom
        let trackers = try track.compactMap { try TrainingTrackers.make($0, samples: trackSamples ?? 500, key: run.key.fold("track")) }
        if let trackSamples {
            guard !trackers.isEmpty else { throw InitiumError.invalidArgument("--track-samples applies to --track dse or mi") }
            guard trackSamples >= 2 else { throw InitiumError.invalidArgument("--track-samples must be at least 2, got \(trackSamples)") }
        }
        if let save, !save.hasSuffix(".safetensors") {
            throw InitiumError.invalidArgument("--save must name a .safetensors file, got '\(save)'")
        }
        if let initFrom, !(initFrom.hasSuffix(".safetensors") || initFrom.hasSuffix(".npz")) {
            throw InitiumError.invalidArgument("--init-from must name a .safetensors or .npz file, got '\(initFrom)'")
        }
        note("training \(run.model) act=\(run.activation) init=\(run.scheme) on \(run.data) for \(run.training.lengthDescription)")
        var bar: ProgressBar?
        var lastEpoch = 0
        let outcome = try run.run(tracksRotation: track.contains("rotation"), trackers: trackers) { progress in
            if bar == nil || progress.epoch != lastEpoch {
                let epochs = (progress.totalSteps + progress.stepsPerEpoch - 1) / max(progress.stepsPerEpoch, 1)
                let inEpoch = min(progress.stepsPerEpoch, progress.totalSteps - (progress.epoch - 1) * progress.stepsPerEpoch)
                bar = ProgressBar(total: inEpoch, label: "epoch \(progress.epoch)/\(epochs)")
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
        for tracker in trackers { for line in tracker.summary { console.answer(line) } }
        if let report {
            note("report: " + (try TrainingReport(run: run, result: outcome, trackers: trackers).write(to: report)).joined(separator: ", "))
        }
        if let metrics = outcome.languageModel {
            console.answer(String(format: "validation loss %.4f nats/token", metrics.validationLoss)
                + (metrics.validationBitsPerByte.map { String(format: ", %.4f bits/byte", $0) } ?? ""))
        }
        if let validation = outcome.validation {
            console.answer(String(format: "validation loss %.4f, validation accuracy %.4f", validation.loss, validation.accuracy))
        }
        if let save {
            try outcome.checkpoint.write(outcome.model, to: save)
            note("wrote \(save)")
        }
        try console.emit(TrainReport(
            testAccuracy: result.testAccuracy, testLoss: result.testLoss, trainLoss: result.trainLoss,
            epochs: result.epochs.count, steps: result.steps, seconds: result.seconds, stepsPerSecond: result.stepsPerSecond,
            samplesPerSecond: result.samplesPerSecond, perEpoch: result.epochs, rotation: outcome.rotation,
            validationLoss: outcome.validation?.loss ?? outcome.languageModel?.validationLoss,
            validationAccuracy: outcome.validation?.accuracy, validationBitsPerByte: outcome.languageModel?.validationBitsPerByte,
            tracked: trackers.isEmpty ? nil : Dictionary(trackers.map { ($0.key, TrackerHistory($0)) }, uniquingKeysWith: { a, _ in a })))
    }
}

/// The JSON line of `initium train`.
struct TrainReport: Encodable {
    var testAccuracy: Double
    var testLoss: Double
    var trainLoss: Double
    var epochs: Int
    var steps: Int
    var seconds: Double
    var stepsPerSecond: Double
    var samplesPerSecond: Double
    var perEpoch: [EpochSummary]
    var rotation: [LayerRotation]?
    var validationLoss: Double?
    var validationAccuracy: Double?
    var validationBitsPerByte: Double?
    var tracked: [String: TrackerHistory]?

    enum CodingKeys: String, CodingKey {
        case testAccuracy = "test_accuracy", testLoss = "test_loss", trainLoss = "train_loss", epochs, steps, seconds
        case stepsPerSecond = "steps_per_second", samplesPerSecond = "samples_per_second", perEpoch = "per_epoch", rotation
        case validationLoss = "validation_loss", validationAccuracy = "validation_accuracy", validationBitsPerByte = "validation_bits_per_byte"
        case tracked
    }
}
