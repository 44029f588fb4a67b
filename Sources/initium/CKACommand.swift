import ArgumentParser
import Foundation
import InitiumLab

/// `initium cka`: how similar two initializations' representations are, layer by layer.
struct CKACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cka",
        abstract: "Centred kernel alignment between the layers of two initializations of one architecture.")

    @OptionGroup var modelOptions: ModelOptions
    @Option(name: .customLong("init-b"), help: "The second initialization scheme.") var initB = "orthogonal"
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Examples compared.") var batch = 256
    @OptionGroup var runOptions: RunOptions

    func run() throws {
        try runOptions.applyThreads()
        let run = try makeTrainingRun(
            modelOptions, dataOptions, training: measurementOnlyTraining(batch: batch, seed: runOptions.seed), seed: runOptions.seed)
        let rows = try RepresentationSimilarity(run: run, otherScheme: try Scheme(initB), batchSize: batch).perform()
        printHuman("CKA between \(modelOptions.initialization) and \(initB) on \(run.model):")
        for r in rows {
            printHuman(r.layer.padding(toLength: max(16, r.layer.count), withPad: " ", startingAt: 0)
                + String(format: "  linear %.4f  rbf %.4f  minibatch %@", r.linear, r.rbf, r.minibatch.map { String(format: "%.4f", $0) } ?? "—"))
        }
        if runOptions.json { try emitJSON(["layers": rows]) }
    }
}
