import ArgumentParser
import Foundation
import InitiumCore
import InitiumLab
import InitiumNN
import InitiumPrune

/// `initium prune`: prunes a network at initialization, trains it, and reports ShrinkBench metrics.
struct PruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Prune at initialization (snip, grasp, synflow, magnitude, random), train, and report density, accuracy, compression and speedup.")

    @Option(help: "Scoring method: snip, grasp, synflow, magnitude or random.") var method = "synflow"
    @Option(help: "Fraction of prunable weights kept, in (0, 1] (default 0.05 unless --compression is given).")
    var density: Double?
    @Option(help: """
        Target compression ratio, all parameters over nonzero ones (ShrinkBench's convention); sets the density of the \
        prunable weights so that the whole model, biases and normalization included, reaches it.
        """)
    var compression: Double?
    @Option(help: "Scoring rounds (default 100 for synflow, 1 for the others).") var rounds: Int?
    @Option(help: "Round densities for iterative pruning: exponential or linear.") var pruneSchedule = "exponential"
    @OptionGroup var prunableOptions: PrunableOptions
    @Flag(help: "Rescale each unit's surviving fan-in to its pre-pruning norm (Hayou et al. 2021).") var rescale = false
    @Flag(help: "Train even if a layer loses every weight.") var allowCollapse = false
    @Option(help: "Examples in the scoring batch of snip and grasp (default: 10 per class).") var scoreSamples: Int?
    @OptionGroup var trainingOptions: TrainingRunOptions<PruningDefaults>
    @OptionGroup var reportFile: ReportFileOption
    @OptionGroup var console: OutputOptions

    func run() throws {
        try trainingOptions.applyThreads()
        let selection = prunableOptions.selection
        let method = try PruningMethod(parsing: self.method)
        let setup = try trainingOptions.makeRun()
        let (train, test) = try setup.loadData()
        // The architecture alone (construction-time weights), for counting parameters and kinks.
        let architecture = try setup.recipe.build(key: RandomKey(seed: trainingOptions.seed), for: train)
        let density = try targetDensity(selection: selection, model: architecture)
        let plan = PruningPlan(
            method: method, density: density, rounds: rounds, schedule: try PruningSchedule(parsing: pruneSchedule),
            scope: try prunableOptions.maskScope(), selection: selection,
            rescales: rescale, allowsCollapse: allowCollapse)
        try plan.validate()
        let experiment = PruningExperiment(
            plan: plan, recipe: setup.recipe, training: setup.training, seed: trainingOptions.seed, scoringSamples: scoreSamples)
        if method == .grasp { noteInexactGraSP(for: architecture, named: setup.recipe.model) }
        note("prune \(setup.recipe.model) with \(method.rawValue) to density \(density) (\(plan.rounds) round(s), \(plan.scope.rawValue)), then train \(setup.training.lengthDescription)")
        var pruneBar = ProgressBar(total: plan.rounds, label: "pruning")
        var trainBar: ProgressBar?
        let outcome = try experiment.run(
            train: train, test: test, pruningProgress: { done, _ in pruneBar.update(done, detail: "") },
            progress: { p in
                if trainBar == nil { trainBar = ProgressBar(total: p.totalSteps, label: "training") }
                trainBar?.update(p.step, detail: String(format: "loss %.4f", p.meanLoss))
            })
        let metrics = outcome.afterTraining
        for layer in metrics.layers {
            console.answer(String(format: "  %@: %d/%d kept (density %.4f)", layer.name, layer.remaining, layer.total, layer.density))
        }
        if !metrics.collapsedLayers.isEmpty { console.answer("  collapsed: " + metrics.collapsedLayers.joined(separator: ", ")) }
        console.answer(String(
            format: "density %.4f, test accuracy %.4f, compression ratio %.2f, theoretical speedup %.2f",
            metrics.density, outcome.testAccuracy, metrics.compressionRatio, metrics.theoreticalSpeedup))
        let report = PruneReport(
            method: method.rawValue, density: metrics.density, testAccuracy: outcome.testAccuracy, testLoss: outcome.testLoss,
            layers: metrics.layers,
            compressionRatio: metrics.compressionRatio, theoreticalSpeedup: metrics.theoreticalSpeedup,
            collapsedLayers: metrics.collapsedLayers, rounds: plan.rounds, scope: plan.scope.rawValue, rescaled: rescale)
        try reportFile.write(report)
        try console.emit(report)
    }

    /// `--density`, or the density that reaches `--compression` on this model (not both).
    func targetDensity(selection: PrunableSelection, model: any Module) throws -> Double {
        switch (density, compression) {
        case (.some, .some):
            throw InitiumError.invalidArgument("give --density or --compression, not both")
        case let (.some(density), nil):
            return density
        case let (nil, .some(ratio)):
            let density = try selection.density(forCompression: ratio, of: model)
            note(String(format: "compression %.4g× of the whole model: prunable-weight density %.6f", ratio, density))
            return density
        case (nil, nil):
            return 0.05
        }
    }
}

/// The JSON line of `initium prune`.
struct PruneReport: Encodable {
    var method: String
    var density: Double
    var testAccuracy: Double
    var testLoss: Double
    var layers: [LayerDensity]
    var compressionRatio: Double
    var theoreticalSpeedup: Double
    var collapsedLayers: [String]
    var rounds: Int
    var scope: String
    var rescaled: Bool

    enum CodingKeys: String, CodingKey {
        case method, density, testAccuracy = "test_accuracy", testLoss = "test_loss", layers
        case compressionRatio = "compression_ratio", theoreticalSpeedup = "theoretical_speedup"
        case collapsedLayers = "collapsed_layers", rounds, scope, rescaled
    }
}
