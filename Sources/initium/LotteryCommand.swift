import ArgumentParser
import Foundation
import InitiumCore
import InitiumLab
import InitiumPrune

/// `initium lottery`: iterative magnitude pruning with rewinding, with its two controls.
struct LotteryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lottery",
        abstract: "Find lottery tickets by iterative magnitude pruning with rewinding; report each level against random reinitialization and random pruning.",
        discussion: """
            --output is rewritten after every level, so an interrupted study keeps the levels it finished. With \
            --granularity layer, tickets are made of whole layers (Jordão et al. 2023): the removable layers (same input \
            and output shape, not the classifier) are scored at initialization with --layer-score, level k trains the \
            initialization with the k lowest-scored layers replaced by the identity (k ≤ --levels), and the control \
            removes k layers at random.
            """)

    @Option(help: "Pruning levels after the dense run (levels + 1 networks are trained, plus controls).") var levels = 15
    @Option(help: "Fraction of the remaining prunable weights removed per level.") var rate = 0.2
    @Option(help: "Reset survivors to the weights after this many steps (0 = initialization).") var rewindStep = 0
    @OptionGroup var prunableOptions: PrunableOptions
    @Option(help: "Prune the classifier on its own at this rate per level (Frankle & Carbin: 0.1).") var classifierRate: Double?
    @Flag(inversion: .prefixedNo, help: "Train the controls: random reinitialization and random pruning (weight), random layer removal (layer).")
    var controls = true
    @Option(help: "What a ticket removes: weight (iterative magnitude pruning) or layer (whole layers, at initialization).")
    var granularity = "weight"
    @Option(help: "With --granularity layer: the per-weight criterion averaged over each layer (grasp, snip, synflow, magnitude, random).")
    var layerScore = "grasp"
    @OptionGroup var trainingOptions: TrainingRunOptions<PruningDefaults>
    @OptionGroup var reportFile: ReportFileOption
    @OptionGroup var console: OutputOptions

    func run() throws {
        try trainingOptions.applyThreads()
        switch granularity.lowercased() {
        case "weight":
            if layerScore != "grasp" { throw InitiumError.invalidArgument("--layer-score applies only to --granularity layer") }
        case "layer":
            return try runLayers()
        default:
            throw InitiumError.invalidArgument("unknown --granularity '\(granularity)'; choose weight or layer")
        }
        let plan = LotteryTicketPlan(
            levels: levels, rate: rate, rewindStep: rewindStep, scope: try prunableOptions.maskScope(),
            selection: prunableOptions.selection, classifierRate: classifierRate,
            runsControls: controls)
        try plan.validate()
        let setup = try trainingOptions.makeRun()
        let study = LotteryTicketStudy(plan: plan, recipe: setup.recipe, training: setup.training, seed: trainingOptions.seed)
        let (train, test) = try setup.loadData()
        note("lottery: \(setup.recipe.model) \(levels) level(s) at rate \(rate), rewind to step \(rewindStep), \(setup.training.lengthDescription) per network")
        console.answer("level  density   ticket   reinit   random-prune")
        var bar: ProgressBar?
        var current = (level: -1, run: LotteryRun.ticket)
        var finished: [LotteryLevel] = []
        let results = try study.run(
            train: train, test: test,
            progress: { level, run, p in
                if current.level != level || current.run != run {
                    current = (level, run)
                    bar = ProgressBar(total: p.stepsToTrain, label: "level \(level) \(run.rawValue)")
                }
                bar?.update(p.stepsTrained, detail: String(format: "loss %.4f", p.meanLoss))
            },
            completed: { level in
                func cell(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "  —   " }
                console.answer(String(format: "%5d  %.5f", level.level, level.density)
                    + "   \(cell(level.testAccuracy))   \(cell(level.reinitAccuracy))   \(cell(level.randomPruneAccuracy))")
                finished.append(level)
                try? reportFile.write(LotteryReport(levels: finished, rate: rate, rewindStep: rewindStep))
            })
        let report = LotteryReport(levels: results, rate: rate, rewindStep: rewindStep)
        try reportFile.write(report)
        try console.emit(report)
    }
}

extension LotteryCommand {
    /// `--granularity layer`: layer-level tickets found at initialization.
    func runLayers() throws {
        let refused = [("--rate", rate != 0.2), ("--rewind-step", rewindStep != 0), ("--classifier-rate", classifierRate != nil),
                       ("--scope", prunableOptions.scope != "global"), ("--include-classifier", prunableOptions.includeClassifier),
                       ("--prunable", prunableOptions.prunable != nil)]
        if let flag = refused.first(where: \.1) {
            throw InitiumError.invalidArgument("\(flag.0) does not apply to --granularity layer (it removes whole layers, never the classifier)")
        }
        guard levels >= 0 else { throw InitiumError.invalidArgument("--levels must be at least 0, got \(levels)") }
        let criterion = try PruningMethod(parsing: layerScore)
        let setup = try trainingOptions.makeRun()
        let study = LayerLotteryStudy(
            criterion: criterion, maximumRemoved: levels, runsControls: controls, recipe: setup.recipe, training: setup.training,
            seed: trainingOptions.seed)
        let (train, test) = try setup.loadData()
        note("layer lottery: \(setup.recipe.model) scored by \(criterion.rawValue), up to \(levels) layer(s) removed, \(setup.training.lengthDescription) per network")
        console.answer("removed  layers  parameters  ticket   random   removed layers")
        var bar: ProgressBar?
        var current = (level: -1, control: false)
        let result = try study.run(
            train: train, test: test,
            progress: { level, control, p in
                if current.level != level || current.control != control {
                    current = (level, control)
                    bar = ProgressBar(total: p.totalSteps, label: "\(level) removed" + (control ? " (random)" : ""))
                }
                bar?.update(p.step, detail: String(format: "loss %.4f", p.meanLoss))
            },
            completed: { level in
                let random = level.randomRemovalAccuracy.map { String(format: "%.4f", $0) } ?? "  —   "
                console.answer(String(format: "%7d  %6d  %10d  %.4f   ", level.removed, level.layersKept, level.parameters, level.testAccuracy)
                    + random + "   " + (level.removedLayers.isEmpty ? "—" : level.removedLayers.joined(separator: ", ")))
            })
        let removable = result.units.filter(\.removable)
        if removable.isEmpty {
            console.answer("no layer of \(setup.recipe.model) can be removed: every weighted layer changes its input's shape or is the classifier")
        } else {
            console.answer("removable layers (score): " + removable.map { "\($0.name) (\(String(format: "%.3g", $0.score ?? 0)))" }.joined(separator: ", "))
        }
        try reportFile.write(result)
        try console.emit(result)
    }
}

/// The JSON line of `initium lottery`.
struct LotteryReport: Encodable {
    var levels: [LotteryLevel]
    var rate: Double
    var rewindStep: Int

    enum CodingKeys: String, CodingKey {
        case levels, rate, rewindStep = "rewind_step"
    }
}
