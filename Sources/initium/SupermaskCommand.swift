import ArgumentParser
import Foundation
import InitiumLab
import InitiumPrune

/// `initium supermask`: learns a mask over frozen random weights.
struct SupermaskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supermask",
        abstract: "Learn a supermask (edge-popup or signed) on frozen random weights and report its test accuracy.")

    @Option(help: "edge-popup (per-layer top-k scores) or signed (−1/0/+1 masks).") var method = "edge-popup"
    @Option(help: "Fraction of each layer's weights kept, in (0, 1].") var density = 0.5
    @Option(help: "Frozen weights: signed-constant (sign(w)·σ/√density, edge-popup's best) or init.") var weights = "signed-constant"
    @OptionGroup var trainingOptions: TrainingRunOptions<PruningDefaults>
    @OptionGroup var reportFile: ReportFileOption
    @OptionGroup var console: OutputOptions

    func run() throws {
        try trainingOptions.applyThreads()
        let method = try SupermaskMethod(parsing: self.method)
        let setup = try trainingOptions.makeRun()
        let study = SupermaskTraining(
            method: method, density: density, weights: try SupermaskWeights(parsing: weights), recipe: setup.recipe,
            training: setup.training, seed: trainingOptions.seed)
        let (train, test) = try setup.loadData()
        note("supermask \(method.rawValue) on \(setup.recipe.model) at density \(density), \(setup.training.lengthDescription)")
        var bar: ProgressBar?
        let outcome = try study.run(train: train, test: test) { p in
            if bar == nil { bar = ProgressBar(total: p.totalSteps, label: "scores") }
            bar?.update(p.step, detail: String(format: "loss %.4f", p.meanLoss))
        }
        for layer in outcome.layers {
            console.answer(String(format: "  %@: density %.4f", layer.name, layer.density))
        }
        console.answer(String(format: "density %.4f, test accuracy %.4f", outcome.density, outcome.testAccuracy))
        let report = SupermaskReport(
            method: method.rawValue, testAccuracy: outcome.testAccuracy, density: outcome.density, layers: outcome.layers,
            trainLoss: outcome.trainLoss)
        try reportFile.write(report)
        try console.emit(report)
    }
}

/// The JSON line of `initium supermask`.
struct SupermaskReport: Encodable {
    var method: String
    var testAccuracy: Double
    var density: Double
    var layers: [LayerDensity]
    var trainLoss: Double

    enum CodingKeys: String, CodingKey {
        case method, testAccuracy = "test_accuracy", density, layers, trainLoss = "train_loss"
    }
}
