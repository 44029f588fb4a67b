import ArgumentParser
import Foundation
import InitiumCore
import InitiumNN
import InitiumProbe

/// `initium theory simulate`: the mean-field maps against a real random network.
struct TheorySimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Propagate random input pairs through a width-N random network and compare per-layer q and c with the maps.")

    @OptionGroup var activationOption: ActivationOption<MeanFieldDefaults>
    @Option(name: .customLong("sigma-w2"), help: "Weight variance σ_w² (times fan-in).") var sigmaW2: Double
    @Option(name: .customLong("sigma-b2"), help: "Bias variance σ_b².") var sigmaB2: Double = 0
    @Option(help: "Width N.") var width = 1000
    @Option(help: "Number of layers.") var depth = 50
    @Option(help: "Input pairs per network.") var pairs = 8
    @Option(help: "Independent networks averaged (the spread of the average shrinks as 1/√networks).") var networks = 32
    @Option(name: .customLong("q0"), help: "Second moment of the inputs.") var q0 = 1.0
    @Option(name: .customLong("c0"), help: "Correlation within each input pair.") var c0 = 0.5
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        let simulation = MeanFieldSimulation(
            activation: try activationOption.engineActivation(), weightVariance: sigmaW2, biasVariance: sigmaB2, width: width, depth: depth,
            pairs: pairs, inputVariance: q0, inputCorrelation: c0, networks: networks)
        var bar = ProgressBar(total: networks, label: "simulate")
        let layers = try simulation.run(key: RandomKey(seed: runOptions.seed)) { done in bar.update(done, detail: "networks") }
        console.answer("layer  predicted q  measured q  rel.err  predicted c  measured c")
        for l in layers {
            console.answer(String(format: "%5d  %11.5g  %10.5g  %6.2f%%  %11.5f  %10.5f", l.layer, l.predictedQ, l.measuredQ,
                              100 * l.relativeError, l.predictedC, l.measuredC))
        }
        let worst = layers.map(\.relativeError).max() ?? 0
        console.answer(String(format: "largest relative error of q over %d layers: %.2f%%", depth, 100 * worst))
        try console.emit(SimulateReport(layers: layers, maxRelativeError: worst))
    }
}

/// The JSON line of `initium theory simulate`.
struct SimulateReport: Encodable {
    var layers: [MeanFieldSimulation.Layer]
    var maxRelativeError: Double

    enum CodingKeys: String, CodingKey { case layers, maxRelativeError = "max_relative_error" }
}
