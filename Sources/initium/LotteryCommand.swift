import ArgumentParser
import Foundation
import InitiumLab
import InitiumPrune

/// `initium lottery`: iterative magnitude pruning with rewinding, with its two controls.
struct LotteryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lottery",
        abstract: "Find lottery tickets by iterative magnitude pruning with rewinding; report each level against random reinitialization and random pruning.",
        discussion: "--output is rewritten after every level, so an interrupted study keeps the levels it finished.")

    @Option(help: "Pruning levels after the dense run (levels + 1 networks are trained, plus controls).") var levels = 15
    @Option(help: "Fraction of the remaining prunable weights removed per level.") var rate = 0.2
    @Option(help: "Reset survivors to the weights after this many steps (0 = initialization).") var rewindStep = 0
    @OptionGroup var prunableOptions: PrunableOptions
    @Option(help: "Prune the classifier on its own at this rate per level (Frankle & Carbin: 0.1).") var classifierRate: Double?
    @Flag(inversion: .prefixedNo, help: "Train the random-reinitialization and random-pruning controls.") var controls = true
    @OptionGroup var trainingOptions: TrainingRunOptions<PruningDefaults>
    @OptionGroup var reportFile: ReportFileOption
    @OptionGroup var console: OutputOptions

    func run() throws {
        try trainingOptions.applyThreads()
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

/// The JSON line of `initium lottery`.
struct LotteryReport: Encodable {
    var levels: [LotteryLevel]
    var rate: Double
    var rewindStep: Int

    enum CodingKeys: String, CodingKey {
        case levels, rate, rewindStep = "rewind_step"
    }
}
