import ArgumentParser
import Foundation
import InitiumCore
import InitiumLab

/// `initium theory pseudo-iid`: the output kernel of random networks with pseudo-IID weights
/// against the NNGP kernel, error against width.
struct TheoryPseudoIIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pseudo-iid",
        abstract: "Output kernel of random networks with IID, orthogonal, low-rank and sparse weights against the NNGP, error vs width.",
        discussion: """
        Nait Saada, Naderi & Tanner (ICLR 2024): pseudo-IID weights reach the Gaussian-process limit of IID \
        weights of the same variance. For each family and width n, --networks random networks of --depth \
        n × n layers (Var(W_ij) = σ_w²/n, no biases) run on --inputs random inputs; the relative Frobenius \
        error of the last layer's kernel against the NNGP recursion is averaged, and its log-log slope \
        against n fitted (−1/2 expected).
        """)

    @OptionGroup var activationOption: ActivationOption<GainDefaults>
    @Option(name: .customLong("sigma-w2"), help: "Weight variance σ_w² (times fan-in).") var sigmaW2 = 2.0
    @Option(help: "Comma-separated widths.") var widths = "64,128,256,512,1024"
    @Option(help: "Layers.") var depth = 3
    @Option(help: "Inputs per network.") var inputs = 4
    @Option(help: "Networks averaged per width.") var networks = 8
    @Option(help: "Rank of the low-rank family as a fraction of the width.") var rank = 0.5
    @Option(help: "Fraction of non-zeros per row of the sparse family.") var density = 0.1
    @Option(help: "Write the log-log figure to this SVG file.") var svg: String?
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        let sizes = try widths.split(separator: ",").map { text -> Int in
            guard let n = Int(text.trimmingCharacters(in: .whitespaces)) else {
                throw InitiumError.invalidArgument("--widths must be comma-separated integers, got '\(widths)'")
            }
            return n
        }
        let check = PseudoIIDCheck(
            families: try PseudoIIDCheck.standardFamilies(weightVariance: sigmaW2, rank: rank, density: density),
            activation: try activationOption.engineActivation(), weightVariance: sigmaW2, widths: sizes, depth: depth,
            inputs: inputs, networks: networks)
        var bar = ProgressBar(total: 4 * sizes.count, label: "pseudo-iid")
        let rows = try check.run(key: RandomKey(seed: runOptions.seed)) { done, _ in bar.update(done, detail: "widths") }
        console.answer("family      " + sizes.map { String(format: "%10d", $0) }.joined() + "     slope")
        for r in rows {
            console.answer(r.family.padding(toLength: 12, withPad: " ", startingAt: 0)
                + r.errors.map { String(format: "%10.4f", $0) }.joined() + String(format: "  %8.3f", r.slope))
        }
        console.answer("relative error ‖K̂ − K_NNGP‖/‖K_NNGP‖ of the depth-\(depth) kernel; slope −1/2 is the Gaussian-process rate")
        if let svg { try writeSVG(try PseudoIIDCheck.figure(rows), to: svg) }
        try console.emit(["families": rows])
    }
}
