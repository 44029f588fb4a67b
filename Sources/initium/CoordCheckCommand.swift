import ArgumentParser
import Foundation
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN
import InitiumSpec

/// `initium coord-check`: μP's coordinate check — the activation scale of every layer against
/// width, at each of the first training steps (``CoordinateCheck``).
struct CoordCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coord-check",
        abstract: "μP's coordinate check: mean |activation| per layer against width after each of the first steps (flat under μP).")

    @OptionGroup var architecture: ModelOptions<CoordinateCheckDefaults>
    @Option(help: "Comma-separated widths; each replaces the model spec's width= key.") var widths = "64,128,256,512,1024"
    @Option(name: .customLong("init"), help: "Initialization scheme, e.g. mup or gpt2.") var initialization = "mup"
    @Option(help: "Training steps recorded per width (step 1 is at initialization).") var steps = 5
    @Option(help: "Seeds averaged per width.") var seeds = 1
    @Option(help: "Learning rate (mup's coord check uses a larger one than training, to expose blow-ups).") var lr: Float = 0.01
    @Option(help: "Optimizer: adam, adamw or sgd.") var optimizer = "adam"
    @Option(help: "Examples in the fixed batch.") var batch = 16
    @Option(help: "Dataset (the fixed batch is drawn from its training split).") var data = "fortunes-bytes"
    @Option(help: "Folder of the dataset's files (as for train).") var dataDir: String?
    @Option(help: "Write the plot (one panel per step) to this SVG file.") var out: String?
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        let widthList = try SpecSyntax.splitList(widths).map { text -> Int in
            guard let w = Int(text), w >= 1 else { throw InitiumError.invalidArgument("--widths: '\(text)' is not a positive integer") }
            return w
        }
        guard let kind = OptimizerConfiguration.Kind(rawValue: optimizer) else {
            throw InitiumError.invalidArgument("--optimizer must be adam, adamw or sgd, got '\(optimizer)'")
        }
        let training = TrainingConfiguration(
            epochs: 1, batchSize: batch, optimizer: OptimizerConfiguration(kind: kind, learningRate: lr), key: runOptions.seedOption.key)
        let template = TrainingRun(
            model: try architecture.modelSpec(), activation: try architecture.activation.engineActivation(),
            scheme: try Scheme(initialization), data: DataRecipe(try DatasetSpec(data), directory: dataDir, standardizesInputs: false),
            training: training, seed: runOptions.seed)
        let check = CoordinateCheck(template: template, widths: widthList, steps: steps, seeds: seeds)
        var bar = ProgressBar(total: widthList.count * seeds, label: "coord-check")
        let result = try check.run { done, _ in bar.update(done, detail: "") }
        console.answer(result.description)
        console.answer("layer".padding(toLength: 36, withPad: " ", startingAt: 0) + "  spread@1  spread@\(steps)  slope@\(steps)")
        for layer in result.layers {
            console.answer(layer.name.padding(toLength: 36, withPad: " ", startingAt: 0)
                + String(format: "  %8.3g  %8.3g  %+8.3f", result.spread(of: layer, atStep: 1), result.spread(of: layer, atStep: steps),
                         result.slope(of: layer, atStep: steps)))
        }
        if let out {
            try AtomicWrite.write(try result.plot(), to: out)
            note("plot: \(out)")
        }
        try console.emit(result)
    }
}

/// `coord-check`: a small untied GPT (μP needs its own readout), widened per run.
enum CoordinateCheckDefaults: ModelDefaults {
    static var model: String { "gpt:layers=2,width=64,heads=4,context=128,tie=false" }
    static var activation: String { "gelu" }
}
