import ArgumentParser
import Foundation
import InitiumInit
import InitiumLab
import InitiumProbe

/// `initium cka`: how similar two initializations' representations are, layer by layer.
struct CKACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cka",
        abstract: "Centred kernel alignment between the layers of two initializations of one architecture.")

    @OptionGroup var network: NetworkOptions<MeasurementDefaults>
    @Option(name: .customLong("init-b"), help: "The second initialization scheme.") var initB = "orthogonal"
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "Examples compared.") var batch = 256
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        let run = try makeMeasurementRun(network, dataOptions, batch: batch, runOptions)
        let rows = try RepresentationSimilarity(setup: run, otherScheme: try Scheme(initB), batchSize: batch).run()
        console.answer("CKA between \(network.initialization) and \(initB) on \(run.model):")
        for r in rows {
            console.answer(r.layer.padding(toLength: max(16, r.layer.count), withPad: " ", startingAt: 0)
                + String(format: "  linear %.4f  rbf %.4f  minibatch %@", r.linear, r.rbf, r.minibatch.map { String(format: "%.4f", $0) } ?? "—"))
        }
        try console.emit(["layers": rows])
    }
}
