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
        abstract: "Prune at initialization (snip, grasp, synflow, sketch, magnitude, random) or during training (granet), train, and report density, accuracy, compression and speedup.")

    @Option(help: "Method: snip, grasp, synflow, sketch (masks sampled ∝ SynFlow), magnitude or random at initialization; granet during training.")
    var method = "synflow"
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
    @OptionGroup var gradual: GradualPruningOptions
    @OptionGroup var trainingOptions: TrainingRunOptions<PruningDefaults>
    @OptionGroup var reportFile: ReportFileOption
    @OptionGroup var console: OutputOptions

    func run() throws {
        try trainingOptions.applyThreads()
        let selection = prunableOptions.selection
        if self.method.lowercased() == "granet" { return try runGradual(selection: selection) }
        try gradual.refuse(for: self.method)
        let method: PruningMethod
        do {
            method = try PruningMethod(parsing: self.method)
        } catch {
            throw InitiumError.invalidArgument(
                "unknown pruning method '\(self.method)'; choose " + (PruningMethod.allCases.map(\.rawValue) + ["granet"]).joined(separator: ", "))
        }
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

    /// `--method granet`: gradual magnitude pruning with neuroregeneration while training.
    func runGradual(selection: PrunableSelection) throws {
        let refused = [("--density", density != nil), ("--compression", compression != nil), ("--rounds", rounds != nil),
                       ("--rescale", rescale), ("--score-samples", scoreSamples != nil), ("--allow-collapse", allowCollapse),
                       ("--prune-schedule", pruneSchedule != "exponential")]
        if let flag = refused.first(where: \.1) {
            throw InitiumError.invalidArgument("\(flag.0) does not apply to --method granet (use --final-density, --initial-density, --start, --end, --frequency)")
        }
        guard try prunableOptions.maskScope() == .global else {
            throw InitiumError.invalidArgument("--method granet prunes with one global threshold; --scope layerwise does not apply")
        }
        let setup = try trainingOptions.makeRun()
        let (train, test) = try setup.loadData()
        let stepsPerEpoch = setup.training.stepsPerEpoch(for: train)
        let totalSteps = setup.training.totalSteps(for: train)
        let schedule = try gradual.schedule(selection: selection, stepsPerEpoch: stepsPerEpoch, totalSteps: totalSteps)
        let experiment = GradualPruningExperiment(schedule: schedule, recipe: setup.recipe, training: setup.training, seed: trainingOptions.seed)
        note("granet \(setup.recipe.model): density \(schedule.initialDensity) → \(schedule.finalDensity) between steps \(schedule.startStep) and \(schedule.endStep), mask update every \(schedule.frequency) steps, \(setup.training.lengthDescription)")
        var bar: ProgressBar?
        let (outcome, log) = try experiment.run(train: train, test: test) { p in
            if bar == nil { bar = ProgressBar(total: p.totalSteps, label: "training") }
            bar?.update(p.step, detail: String(format: "loss %.4f", p.meanLoss))
        }
        let metrics = outcome.afterTraining
        for layer in metrics.layers {
            console.answer(String(format: "  %@: %d/%d kept (density %.4f)", layer.name, layer.remaining, layer.total, layer.density))
        }
        console.answer(String(
            format: "density %.4f after %d mask updates (%d weights regrown), test accuracy %.4f, compression ratio %.2f, theoretical speedup %.2f",
            metrics.density, log.entries.count, log.entries.reduce(0) { $0 + $1.regrown }, outcome.testAccuracy,
            metrics.compressionRatio, metrics.theoreticalSpeedup))
        let report = PruneReport(
            method: "granet", density: metrics.density, testAccuracy: outcome.testAccuracy, testLoss: outcome.testLoss,
            layers: metrics.layers, compressionRatio: metrics.compressionRatio, theoreticalSpeedup: metrics.theoreticalSpeedup,
            collapsedLayers: metrics.collapsedLayers, rounds: log.entries.count, scope: MaskScope.global.rawValue, rescaled: false,
            updates: log.entries)
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
    /// GraNet's mask updates (granet only).
    var updates: [GradualPruningLog.Entry]? = nil

    enum CodingKeys: String, CodingKey {
        case method, density, testAccuracy = "test_accuracy", testLoss = "test_loss", layers
        case compressionRatio = "compression_ratio", theoreticalSpeedup = "theoretical_speedup"
        case collapsedLayers = "collapsed_layers", rounds, scope, rescaled, updates
    }
}

/// The options of `prune --method granet` (refused with any other method).
struct GradualPruningOptions: ParsableArguments {
    @Option(help: "granet: the density reached at --end.") var finalDensity: Double?
    @Option(help: "granet: the density at the start (1 = dense; below 1, global magnitude pruning at initialization).")
    var initialDensity: Double?
    @Option(help: "granet: the epoch (may be fractional) at which pruning starts (default 0).") var start: Double?
    @Option(help: "granet: the epoch (may be fractional) at which the final density is reached (default: 110/160 of the run, GraNet's CIFAR schedule).")
    var end: Double?
    @Option(help: "granet: steps between mask updates (default 100).") var frequency: Int?
    @Option(help: "granet: the death rate of neuroregeneration at step 0, cosine-decayed over the run (default 0.5; 0 = plain gradual magnitude pruning).")
    var regenerationRate: Double?

    /// Throws if a granet option is given with another method.
    func refuse(for method: String) throws {
        let given = [("--final-density", finalDensity != nil), ("--initial-density", initialDensity != nil), ("--start", start != nil),
                     ("--end", end != nil), ("--frequency", frequency != nil), ("--regeneration-rate", regenerationRate != nil)]
        if let flag = given.first(where: \.1) {
            throw InitiumError.invalidArgument("\(flag.0) applies only to --method granet, not to --method \(method)")
        }
    }

    /// The schedule for a run of `totalSteps` steps of `stepsPerEpoch`.
    func schedule(selection: PrunableSelection, stepsPerEpoch: Int, totalSteps: Int) throws -> GradualPruning {
        guard let finalDensity else { throw InitiumError.invalidArgument("--method granet needs --final-density (e.g. 0.1)") }
        for (flag, value) in [("--start", start), ("--end", end)] {
            if let value, !(value >= 0 && value.isFinite) {
                throw InitiumError.invalidArgument("\(flag) is an epoch and must be ≥ 0, got \(value)")
            }
        }
        let startStep = Int(((start ?? 0) * Double(stepsPerEpoch)).rounded())
        let endStep = end.map { Int(($0 * Double(stepsPerEpoch)).rounded()) } ?? Int((Double(totalSteps) * 110 / 160).rounded())
        let schedule = GradualPruning(
            initialDensity: initialDensity ?? 1, finalDensity: finalDensity, startStep: startStep, endStep: endStep,
            frequency: frequency ?? 100, regenerationRate: regenerationRate ?? 0.5, selection: selection)
        try schedule.validate(totalSteps: totalSteps)
        return schedule
    }
}
