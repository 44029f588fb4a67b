import ArgumentParser
import Foundation
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN

/// `initium embed-graph`: learns node embeddings of a graph dataset with LINE's first-order
/// objective from a random or a graph-partition initialization, writes the table as float32
/// `.npy` `[nodes, dim]`, and reports node-classification accuracy (linear probe) and
/// link-prediction AUC on held-out edges (docs/GRAPH-EMBEDDING.md).
struct EmbedGraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed-graph",
        abstract: "Learn node embeddings (LINE, first order) from a random or graph-partition initialization; write them as .npy and report node accuracy and link AUC.")

    @Option(help: "A graph dataset with node labels: karate, csbm(...), fashion-mnist-knn(n=10000,k=10), graph(...).")
    var data: String
    @Option(help: "Folder with the Fashion-MNIST IDX files (for fashion-mnist-knn; default: $INITIUM_DATA or /usr/share/datasets/fashion-mnist).")
    var dataDir: String?
    @Option(help: "Embedding dimension d.") var dim = 64
    @Option(help: "How the table starts: random (LINE's U(±0.5/d)) or partition(k=⌈√N⌉,alpha=0.5,rounds=1[,epochs=E of the abstract graph, default --epochs]) (Lin et al., WSDM 2020).")
    var `init` = "random"
    @Option(help: "Passes over the training edges.") var epochs = 10
    @Option(help: "Edges per Adam step.") var batch = LINEEmbedder.defaultBatchSize
    @Option(help: "Adam's learning rate.") var lr = LINEEmbedder.defaultLearningRate
    @Option(help: "Negative nodes per edge, drawn ∝ degree^0.75.") var negatives = LINEEmbedder.defaultNegativeSamples
    @Option(help: "Fraction of the undirected edges held out (before anything is computed) for link prediction; 0 for none.")
    var heldOut = 0.1
    @Option(help: "Output .npy file: the trained table, float32 [nodes, dim].") var out: String
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        guard out.hasSuffix(".npy") else { throw InitiumError.invalidArgument("--out must name a .npy file, got '\(out)'") }
        let spec = try DatasetSpec(data)
        if let dataDir, !spec.readsDirectory {
            throw InitiumError.invalidArgument("--data-dir \(dataDir) applies only to datasets read from a folder, not to '\(data)'")
        }
        let experiment = GraphEmbedding(
            data: DataRecipe(spec, directory: dataDir, standardizesInputs: false),
            embedder: LINEEmbedder(dimension: dim, epochs: epochs, batchSize: batch, learningRate: lr, negativeSamples: negatives),
            initialization: try NodeEmbeddingInitialization(self.`init`), heldOutFraction: heldOut, key: RandomKey(seed: runOptions.seed))
        note("embedding \(data) with LINE (d=\(dim), \(epochs) epoch(s)) from \(experiment.initialization)")
        var bar: ProgressBar?
        var stage: GraphEmbedding.Stage?
        let result = try experiment.run { current, progress in
            if stage != current {
                (stage, bar) = (current, ProgressBar(total: progress.totalSteps, label: current.rawValue))
            }
            bar?.update(progress.step, detail: String(format: "epoch %d loss %.4f", progress.epoch, progress.meanLoss))
        }
        try NumPyFile.write(result.table, to: out)
        for (epoch, loss) in result.lossCurve.enumerated() {
            console.answer(String(format: "epoch %d: loss %.4f", epoch + 1, loss))
        }
        var summary = "\(result.nodes) nodes, \(result.trainingEdges) training edges, \(result.heldOutEdges) held out"
        if let parts = result.parts, let cut = result.edgeCut { summary += "; \(parts) parts, edge cut \(cut)" }
        console.answer(summary)
        console.answer("node accuracy \(human(result.nodeAccuracy)), link AUC \(result.linkAUC.map(human) ?? "—") (initial \(result.initialLinkAUC.map(human) ?? "—"))")
        console.answer(String(format: "%.2f s (initialization %.2f s, training %.2f s) → %@", result.seconds, result.initializationSeconds, result.trainingSeconds, out))
        try console.emit(result)
    }
}
