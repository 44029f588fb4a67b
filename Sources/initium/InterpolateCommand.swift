import ArgumentParser
import Foundation
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN

/// `initium interpolate`: loss and accuracy along the line between two networks.
struct InterpolateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "interpolate",
        abstract: "Loss and accuracy along (1−α)·A + α·B between two networks (init→solution, or two solutions), with the barrier height.",
        discussion: """
        A and B are checkpoints written by `train --save` (--from, --to), or A is a fresh initialization: \
        --from-init SCHEME with --seed (the weights `train --seed` starts from; the architecture is B's). \
        Barrier: max over α in [0, 1] of L(α) − ((1−α)L(0) + αL(1)). Batch-norm statistics are recomputed \
        on training data at each α.
        """)

    @Option(help: "The checkpoint at α = 0.") var from: String?
    @Option(help: "Instead of --from: the network at α = 0 is B's architecture initialized with this scheme and --seed.") var fromInit: String?
    @Option(help: "The checkpoint at α = 1.") var to: String
    @Option(parsing: .unconditional, help: "The α grid START:END:COUNT (a negative START may follow --alphas directly).") var alphas = "-0.5:1.5:41"
    @Option(help: "Examples of each split evaluated at every α.") var examples = 2000
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Write README.md and interpolation.svg into this folder.") var report: String?
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        let grid = try InterpolationGrid(parsing: alphas)
        for path in [from, to].compactMap({ $0 }) where !path.hasSuffix(".safetensors") {
            throw InitiumError.invalidArgument("--from and --to must name .safetensors checkpoints written by `train --save`, got '\(path)'")
        }
        let start: ModelSource
        switch (from, fromInit) {
        case let (path?, nil):
            start = .checkpoint(path)
        case let (nil, scheme?):
            let (checkpoint, _) = try ModelCheckpoint.load(from: to)
            start = .initialization(
                ModelRecipe(model: try ModelSpec(checkpoint.model), activation: try Activation(checkpoint.activation), scheme: try Scheme(scheme)),
                seed: runOptions.seed, batchSize: 128)
        default:
            throw InitiumError.invalidArgument("give exactly one of --from and --from-init")
        }
        var bar: ProgressBar?
        let result = try LossInterpolation(
            from: start, to: .checkpoint(to), alphas: grid, data: try dataOptions.recipe(), seed: runOptions.seed, examples: examples
        ).run { done, total in
            if bar == nil { bar = ProgressBar(total: total, label: "α") }
            bar?.update(done, detail: "")
        }
        console.answer("   alpha  train_loss  train_acc   test_loss   test_acc")
        for r in result.rows {
            console.answer(String(format: "%8.3f  %10.4f  %9.4f  %10.4f  %9.4f%@", r.alpha, r.trainLoss, r.trainAccuracy, r.testLoss, r.testAccuracy,
                                  r.isIncrease ? "  ↑" : ""))
        }
        console.answer("barrier (train loss) " + (result.trainBarrier.map { String(format: "%.4f", $0) } ?? "— (α = 0 and 1 not both on the grid)")
            + ", barrier (test loss) " + (result.testBarrier.map { String(format: "%.4f", $0) } ?? "—")
            + "; \(result.increases) increases beyond noise on [0, 1] (\(result.isMonotone ? "monotone" : "not monotone"))"
            + (result.recomputedStatistics ? "; batch-norm statistics recomputed at each α" : ""))
        if let report { note("report: " + (try result.writeReport(to: report)).joined(separator: ", ")) }
        try console.emit(result)
    }
}
