import ArgumentParser
import Foundation
import InitiumCore
import InitiumLab
import InitiumPrune

/// `initium proxies`: zero-cost proxies of an untrained network.
struct ProxiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxies",
        abstract: "Zero-cost proxies of an untrained network: synflow, snip, grasp, fisher, grad_norm, jacob_cov, GradSign (sum and mean).")

    @OptionGroup var network: NetworkOptions<MeasurementDefaults>
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Examples in the batch (zero-cost-nas uses 64).") var batch = 64
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        let run = try makeMeasurementRun(network, dataOptions, batch: batch, runOptions)
        let recipe = run.recipe
        let (train, _) = try run.loadData()
        note("proxies of \(recipe.model) act=\(recipe.activation) init=\(recipe.scheme) on \(batch) examples")
        noteInexactGraSP(for: try recipe.build(key: RandomKey(seed: runOptions.seed), for: train), named: recipe.model)
        var bar = ProgressBar(total: batch, label: "per-example gradients")
        let scores = try ProxyScores.measure(
            recipe: recipe, train: train, batchSize: batch, seed: runOptions.seed, progress: { done, _ in bar.update(done, detail: "") })
        for (name, value) in [
            ("synflow", scores.synflow), ("snip", scores.snip), ("grasp", scores.grasp), ("fisher", scores.fisher),
            ("grad_norm", scores.gradNorm), ("jacob_cov", scores.jacobCov), ("gradsign_sum", scores.gradsignSum),
            ("gradsign_mean", scores.gradsignMean),
        ] {
            console.answer("  " + name.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "%.6g", value))
        }
        try console.emit(scores)
    }
}
