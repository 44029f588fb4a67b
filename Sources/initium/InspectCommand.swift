import ArgumentParser
import Foundation
import InitiumLab
import InitiumProbe

/// `initium inspect`: a per-layer report on a model's initialization, measured on real data and
/// compared with mean-field theory.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Report per-layer signal propagation at initialization against theory; optionally the Jacobian spectrum and guessing bias.")

    @OptionGroup var network: NetworkOptions<MeasurementDefaults>
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Examples in the measured batch.") var batch = 256
    @Flag(help: "Compute the Jacobian singular-value spectrum.") var jacobian = false
    @Option(help: "Measure the initial guessing bias over this many seeds (0: skip).") var igbSeeds = 0
    @Option(help: "Write README.md and SVG plots into this folder.") var report: String?
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        let run = try makeMeasurementRun(network, dataOptions, batch: batch, runOptions)
        let result = try Inspection(setup: run, batchSize: batch, computesJacobian: jacobian, guessingBiasSeeds: igbSeeds).run()
        console.answer(result.description)
        if let transformer = result.transformer {
            console.answer(pad("block", 20) + "   variance     growth  cosine  entropy/lnT   grad_norm  verdict")
            for b in transformer.blocks {
                let entropy = b.attentionEntropy.isEmpty || b.maximumEntropy <= 0
                    ? "    —" : String(format: "%.3f", b.attentionEntropy.reduce(0, +) / Double(b.attentionEntropy.count) / b.maximumEntropy)
                console.answer(pad(b.name, 20) + String(format: " %10.4g %10.4g  %6.3f  ", b.variance, b.growth, b.tokenCosine)
                    + pad(entropy, 11) + String(format: "  %10.4g  ", b.gradientNorm) + b.verdict)
            }
            console.answer(transformer.summary)
            if let report { note("report: " + (try result.writeReport(to: report)).joined(separator: ", ")) }
            try console.emit(transformer)
            return
        }
        if let graph = result.graph {
            console.answer("second moments of message-passing layer outputs (before φ) and of their gradients (random output cotangent); ratios to layer 1, pred = Virgo's prediction; "
                + "E_a rel = unnormalized Dirichlet energy / mean‖x‖² (input \(String(format: "%.4g", graph.inputRelativeEnergy)))")
            console.answer(pad("layer", 12) + "      σ_w²    fwd_var  fwd_ratio       pred    bwd_var  bwd_ratio       pred   E_a_rel  verdict")
            func optional(_ v: Double?) -> String { v.map { String(format: "%10.4g", $0) } ?? "         —" }
            for l in graph.layers {
                console.answer(pad(l.name, 12) + String(format: " %10.4g %10.4g %10.4g ", l.weightVariance, l.forwardVariance, l.forwardRatio)
                    + optional(l.predictedForwardRatio) + String(format: " %10.4g %10.4g ", l.backwardVariance, l.backwardRatio)
                    + optional(l.predictedBackwardRatio) + String(format: " %9.3g  ", l.relativeEnergy) + l.verdict)
            }
            console.answer(graph.summary)
            if let report { note("report: " + (try result.writeReport(to: report)).joined(separator: ", ")) }
            try console.emit(graph)
            return
        }
        guard let signal = result.signal else { return }
        console.answer(pad("layer", 16) + "   pre_mean    pre_var  predicted     dead   satur.   grad_var  verdict")
        for l in signal.layers {
            console.answer(pad(l.name, 16) + String(format: " %10.4g %10.4g ", l.preMean, l.preVariance)
                + (l.predictedVariance.map { String(format: "%10.4g", $0) } ?? "         —")
                + String(format: " %8.3f %8.3f ", l.deadFraction, l.saturatedFraction)
                + (l.gradientVariance.map { String(format: "%10.4g", $0) } ?? "         —") + "  " + l.verdict)
        }
        console.answer(signal.summary)
        if let j = result.jacobian {
            console.answer(String(format: "Jacobian %@ → %@: mean σ² %.4g, var σ² %@, σ_max %@, σ_min %@", j.from, j.to, j.meanSquaredSingularValue,
                              j.varianceSquaredSingularValue.map { String(format: "%.4g", $0) } ?? "—",
                              j.maximumSingularValue.map { String(format: "%.4g", $0) } ?? "—",
                              j.minimumSingularValue.map { String(format: "%.4g", $0) } ?? "—"))
        }
        if let b = result.guessingBias {
            console.answer(String(format: "guessing bias: median G_max %.3f over %d seeds (chance %.3f): %@", b.median, b.gMax.count, b.chance, b.verdict))
        }
        if let report {
            note("report: " + (try result.writeReport(to: report)).joined(separator: ", "))
        }
        try console.emit(InspectReport(layers: signal.layers, summary: signal.summary, jacobian: result.jacobian,
                                      igb: result.guessingBias, signal: signal))
    }

    private func pad(_ s: String, _ n: Int) -> String { s + String(repeating: " ", count: max(0, n - s.count)) }
}

/// The JSON line of `initium inspect`.
struct InspectReport: Encodable {
    var layers: [SignalPropagationReport.Layer]
    var summary: String
    var jacobian: JacobianSpectrum?
    var igb: GuessingBias?
    var signal: SignalPropagationReport

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(layers, forKey: .layers)
        try c.encode(summary, forKey: .summary)
        try c.encode(jacobian, forKey: .jacobian)
        try c.encode(igb, forKey: .igb)
        try c.encode(signal.medianRelativeError, forKey: .medianRelativeError)
        try c.encode(signal.maximumRelativeError, forKey: .maximumRelativeError)
        try c.encode(signal.forwardFactorPerLayer, forKey: .forwardFactor)
        try c.encode(signal.expectedFluctuation, forKey: .expectedFluctuation)
    }

    enum Keys: String, CodingKey {
        case layers, summary, jacobian, igb, medianRelativeError = "median_relative_error"
        case maximumRelativeError = "max_relative_error", forwardFactor = "forward_factor_per_layer"
        case expectedFluctuation = "expected_fluctuation"
    }
}

