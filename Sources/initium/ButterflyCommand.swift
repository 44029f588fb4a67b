import ArgumentParser
import Foundation
import InitiumCore
import InitiumLab
import InitiumNN

/// `initium butterfly`: perturb one weight of an initialization by ε, train both copies
/// identically, and report how far their weights and functions diverge (Kwok et al., ICML 2025).
struct ButterflyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "butterfly",
        abstract: "Perturb one weight at initialization by ε, train both copies identically, and report the divergence of their weights and test predictions.",
        discussion: """
            The copies see the same batches, learning rates and dropout keys; Initium is bit-deterministic, so any \
            divergence is sensitivity to ε, not noise. An ε below the float32 resolution of the chosen weight leaves \
            the copies identical.
            """)

    @OptionGroup var trainingOptions: TrainingRunOptions<TrainingDefaults>
    @Option(help: "The perturbation added to one weight (nonzero).") var epsilon = 1e-8
    @Option(help: "The parameter to perturb, e.g. conv1.weight (default: a seeded choice among the weights of weighted layers).")
    var parameter: String?
    @Option(help: "The entry of --parameter to perturb, in row-major order (default: a seeded choice).") var index: Int?
    @Option(help: "Write README.md, butterfly.svg (the divergence curve) and butterfly.json into this folder.") var report: String?
    @OptionGroup var console: OutputOptions

    func run() throws {
        try trainingOptions.applyThreads()
        guard epsilon != 0, epsilon.isFinite else {
            throw InitiumError.invalidArgument("--epsilon must be a nonzero finite number, got \(epsilon)")
        }
        let run = try trainingOptions.makeRun()
        let experiment = ButterflyExperiment(run: run, epsilon: epsilon, parameter: parameter, index: index)
        let (train, test) = try run.loadData()
        note("butterfly: \(run.model) init=\(run.scheme) on \(run.data), ε = \(epsilon), \(run.training.lengthDescription) for two copies")
        var bar: ProgressBar?
        let result = try experiment.run(train: train, test: test) { p in
            if bar == nil { bar = ProgressBar(total: p.totalSteps, label: "training both copies") }
            bar?.update(p.step, detail: String(format: "loss %.4f", p.meanLoss))
        }
        console.answer(String(format: "perturbed %@[%d] by ε = %g (float32 change %g)", result.parameter, result.index, epsilon, result.appliedPerturbation))
        console.answer("epoch  ‖θa − θb‖     disagreement  output distance  accuracy a  accuracy b")
        for e in result.epochs {
            console.answer(String(format: "%5d  %-12.4g  %-12.4f  %-15.4g  %.4f      %.4f", e.epoch, e.weightDistance, e.disagreement,
                                  e.outputDistance, e.testAccuracyA, e.testAccuracyB))
        }
        console.answer(result.identical
            ? "the two copies stayed bit-identical"
            : String(format: "final disagreement %.4f, ‖θa − θb‖ = %.4g (%.3g of ‖θa‖)", result.disagreement,
                     result.weightDistanceCurve.last ?? 0, (result.weightDistanceCurve.last ?? 0) / max(result.finalWeightNorm, 1e-300)))
        if let report {
            let stepsPerEpoch = run.training.stepsPerEpoch(for: train)
            let files = try result.writeReport(
                to: report, description: "`\(run.model)` init `\(run.scheme)` on `\(run.data)`, seed \(run.seed), \(run.training.lengthDescription).",
                stepsPerEpoch: stepsPerEpoch)
            note("report: " + files.joined(separator: ", "))
        }
        try console.emit(ButterflyReport(result: result))
    }
}

/// The JSON line of `initium butterfly`: the result plus its final disagreement and whether the
/// copies stayed identical.
struct ButterflyReport: Encodable {
    var result: ButterflyResult

    enum CodingKeys: String, CodingKey { case disagreement, identical, outputDistance = "output_distance" }

    func encode(to encoder: any Encoder) throws {
        try result.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(result.disagreement, forKey: .disagreement)
        try container.encode(result.identical, forKey: .identical)
        try container.encode(result.epochs.last?.outputDistance ?? 0, forKey: .outputDistance)
    }
}
