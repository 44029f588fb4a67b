import ArgumentParser
import Foundation
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN

/// `initium fit`: fits a coordinate network to one image or sound (docs/INR.md).
struct FitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fit",
        abstract: "Fit a coordinate network (an implicit neural representation) to an image or a sound, and report the PSNR.",
        subcommands: [FitImageCommand.self, FitAudioCommand.self])
}

/// The network, initialization and optimization options of `initium fit` and `compare --task fit`.
struct SignalFitOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The coordinate network; its input width must be the signal's dimension (2 for images, 1 for sounds) and its output width the channels (1 grey or mono, 3 RGB). Default: SIREN's network for the signal, inr:in=D,out=C,layers=5,width=256,act=sine(omega=30). " + modelSpecHelp))
    var model: String?
    @Option(help: "The hidden activation, for models whose spec names none (mlp:…, inr:… without act=); e.g. sine(omega=30), relu, tanh.")
    var act = "sine(omega=30)"
    @Option(help: "Adam updates (full batch: every grid point each step).")
    var steps = 1000
    @Option(help: "Adam's learning rate.")
    var lr: Float = 1e-4
    @Option(help: "Steps between PSNR points of the curve.")
    var every = 25
    @OptionGroup var runOptions: RunOptions

    /// The model spec: `--model`, or SIREN's 5-layer, 256-wide sine network for the signal.
    func modelSpec(for signal: Signal) throws -> ModelSpec {
        try ModelSpec(model ?? "inr:in=\(signal.dimension),out=\(signal.channels),layers=5,width=256,act=sine(omega=30)")
    }

    /// Checks the numbers.
    func checkNumbers() throws {
        guard steps >= 1 else { throw InitiumError.invalidArgument("--steps must be at least 1, got \(steps)") }
        guard every >= 1 else { throw InitiumError.invalidArgument("--every must be at least 1, got \(every)") }
        guard lr > 0, lr.isFinite else { throw InitiumError.invalidArgument("--lr must be a positive number, got \(lr)") }
    }

    /// A fit of `signal` from `scheme` (or `initFrom`).
    func makeRun(signal: Signal, scheme: Scheme, initFrom: String?) throws -> SignalFitRun {
        try checkNumbers()
        return SignalFitRun(
            model: try modelSpec(for: signal), activation: try InitiumNN.Activation(act), scheme: scheme, initialWeights: initFrom,
            signal: signal, steps: steps, learningRate: lr, every: every, seed: runOptions.seed)
    }

    /// The settings line of reports.
    func settings(_ run: SignalFitRun) -> String {
        "Model `\(run.model)` act `\(run.model.activation(default: run.activation))`"
            + ", full-batch Adam lr \(lr), \(steps) steps, PSNR every \(every) steps, seed \(runOptions.seed)."
    }
}

/// The options `fit image` and `fit audio` share, and what they do with a loaded signal.
struct FitRunner {
    let signal: SignalFile
    let options: SignalFitOptions
    let initialization: String
    let initFrom: String?
    let report: String?
    let save: String?
    let console: OutputOptions

    func run() throws {
        try options.runOptions.applyThreads()
        if let save, !save.hasSuffix(".safetensors") {
            throw InitiumError.invalidArgument("--save must name a .safetensors file, got '\(save)'")
        }
        let run = try options.makeRun(signal: signal.signal, scheme: try Scheme(initialization), initFrom: initFrom)
        let label = initFrom.map { "weights from \($0)" } ?? initialization
        note("fitting \(signal.name) (\(signal.signal.grid.map(String.init).joined(separator: "×")), \(signal.signal.channels) channel(s)) with \(run.model) init=\(label)")
        var bar = ProgressBar(total: run.steps, label: "fit")
        let (model, _, fit) = try run.run { p in
            bar.update(p.step, detail: String(format: "PSNR %.2f dB %.1f steps/s", p.psnr, p.stepsPerSecond))
        }
        console.answer(String(format: "PSNR %.2f dB after %d steps (%.1f s, %.1f steps/s)", fit.finalPSNR, fit.steps, fit.seconds, fit.stepsPerSecond))
        console.answer("curve: " + fit.curve.map { String(format: "%d:%.2f", $0.step, $0.psnr) }.joined(separator: " "))
        let summary = FitSummary(
            psnr: fit.finalPSNR, psnrCurve: fit.curve, steps: fit.steps, seconds: fit.seconds, stepsPerSecond: fit.stepsPerSecond,
            model: run.model.text, activation: run.model.activation(default: run.activation).description, init: label, signal: signal.path, grid: signal.signal.grid,
            channels: signal.signal.channels, learningRate: Double("\(options.lr)") ?? Double(options.lr), seed: options.runOptions.seed)
        if let report {
            let writer = SignalFitReport(signal: signal, settings: options.settings(run), entries: [.init(label: label, fit: fit)])
            note("report: " + (try writer.write(to: report, summary: summary, jsonName: "report.json")).joined(separator: ", "))
        }
        if let save {
            try run.checkpoint.write(model, to: save)
            note("wrote \(save)")
        }
        try console.emit(summary)
    }
}

/// The start and outputs `fit image` and `fit audio` share: the scheme or weights file, the
/// report folder, the saved weights and `--json`.
struct FitOutputOptions: ParsableArguments {
    @Option(name: .customLong("init"), help: "Initialization scheme, e.g. siren, winner, he-normal; target-dependent schemes see the signal.")
    var initialization = "siren"
    @Option(help: "Start from the weights in this .safetensors file (e.g. a learned initialization) instead of the scheme; it must be made for --model.")
    var initFrom: String?
    @Option(help: "Write report.json, the target and reconstruction (PNG or WAV), psnr.svg, error-spectrum.svg and README.md into this folder.")
    var report: String?
    @Option(help: "Write the fitted network's weights to this .safetensors file.")
    var save: String?
    @OptionGroup var console: OutputOptions

    /// Fits `signal` with `options` and writes what was asked.
    func fit(_ signal: SignalFile, options: SignalFitOptions) throws {
        try FitRunner(signal: signal, options: options, initialization: initialization, initFrom: initFrom, report: report, save: save, console: console).run()
    }
}

/// `initium fit image`.
struct FitImageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "Fit a coordinate network to a PNG image (values scaled to [−1, 1] as SIREN does).")

    @Option(help: "A PNG: camera, astronaut, coffee, … (python3-skimage's data folder) or a path.")
    var image = "camera"
    @Option(help: "Centre-crop to a square and resize to N×N by area averaging (SIREN fits camera at 256).")
    var size: Int?
    @OptionGroup var options: SignalFitOptions
    @OptionGroup var outputs: FitOutputOptions

    func run() throws {
        try outputs.fit(try SignalFile.image(image, size: size), options: options)
    }
}

/// `initium fit audio`.
struct FitAudioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audio",
        abstract: "Fit a coordinate network to a 16-bit PCM WAV (mono mix scaled by its peak, as SIREN does).")

    @Option(help: "A 16-bit PCM WAV: Front_Center, Noise, … (alsa-utils' /usr/share/sounds/alsa) or a path.")
    var audio = "Front_Center"
    @OptionGroup var options: SignalFitOptions
    @OptionGroup var outputs: FitOutputOptions

    func run() throws {
        try outputs.fit(try SignalFile.audio(audio), options: options)
    }
}

/// The JSON line of `initium fit` and its `report.json`.
struct FitSummary: Encodable {
    var psnr: Double
    var psnrCurve: [SignalFit.Point]
    var steps: Int
    var seconds: Double
    var stepsPerSecond: Double
    var model: String
    var activation: String
    var `init`: String
    var signal: String
    var grid: [Int]
    var channels: Int
    var learningRate: Double
    var seed: UInt64

    enum CodingKeys: String, CodingKey {
        case psnr, psnrCurve = "psnr_curve", steps, seconds, stepsPerSecond = "steps_per_second", model, activation
        case `init`, signal, grid, channels, learningRate = "learning_rate", seed
    }
}
