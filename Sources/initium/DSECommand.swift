import ArgumentParser
import Foundation
import InitiumCore
import InitiumLab
import InitiumNN
import InitiumProbe

/// `initium dse`: diffusion spectral entropy of a point cloud, or of a layer's representations.
struct DSECommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dse",
        abstract: "Diffusion spectral entropy (and DSMI with labels) of a point cloud or of a layer's representations.",
        discussion: """
        DSE (Liao, Liu et al. 2023): Gaussian affinity of bandwidth --sigma, the symmetric form of the \
        row-normalized diffusion matrix, its eigenvalues λ, and the entropy in bits of |λ|^t / Σ|λ|^t \
        for t = --diffusion-steps. Either --points X.npy ([N, D]; with --labels Y.npy, DSMI too) or a \
        model (--model/--init or --checkpoint) with --data and --layer, measured on the first --samples \
        test examples.
        """)

    @Option(help: "A point cloud [N, D] in a .npy file.") var points: String?
    @Option(help: "Class labels [N] in a .npy file, for DSMI with --points.") var labels: String?
    @OptionGroup var modelSource: ModelSourceOptions
    @Option(help: "The layer measured (default: the penultimate representation); an unknown name lists the valid ones.") var layer: String?
    @OptionGroup var dataOptions: DataOptions
    @Option(help: "With a model: test examples measured. With --points: at most this many points (a random subset beyond).")
    var samples: Int?
    @Option(help: "Gaussian kernel bandwidth σ.") var sigma = 10.0
    @Option(help: "Diffusion steps t (the power of the eigenvalues).") var diffusionSteps = 1
    @OptionGroup var runOptions: RunOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try runOptions.applyThreads()
        let key = RandomKey(seed: runOptions.seed).fold("dse")
        if let points {
            guard !modelSource.isGiven, layer == nil else {
                throw InitiumError.invalidArgument("--points measures a file; drop --model, --act, --init, --checkpoint and --layer")
            }
            let source = dataOptions.source
            guard source.data == "fashion-mnist", source.dataDir == nil, source.standardize, dataOptions.limitTrain == nil, !dataOptions.centerFeatures else {
                throw InitiumError.invalidArgument("--points measures a file; the data options apply to a model")
            }
            let measure = try DiffusionSpectralEntropy(sigma: sigma, steps: diffusionSteps, maximumPoints: samples ?? 10_000)
            let cloud = try readArray(points, flag: "--points")
            let dse = try measure.entropy(of: cloud, key: key)
            let dsmi = try labels.map { try measure.mutualInformation(points: cloud, labels: try readLabels($0, flag: "--labels"), key: key.fold("dsmi")) }
            console.answer(String(format: "DSE %.6f bits", dse) + (dsmi.map { String(format: ", DSMI %.6f bits", $0) } ?? "")
                + " (\(min(cloud.shape.first ?? 0, measure.maximumPoints)) points, σ = \(human(sigma)), t = \(diffusionSteps))")
            try console.emit(DSEReport(dse: dse, dsmi: dsmi, layer: nil, samples: min(cloud.shape.first ?? 0, measure.maximumPoints), sigma: sigma, t: diffusionSteps))
            return
        }
        guard labels == nil else { throw InitiumError.invalidArgument("--labels goes with --points; a model is measured against its data's labels") }
        let measure = try DiffusionSpectralEntropy(sigma: sigma, steps: diffusionSteps)
        let (train, test) = try dataOptions.recipe().load(key: RandomKey(seed: runOptions.seed))
        let (model, _) = try modelSource.source(seed: runOptions.seed, batchSize: 128).make(for: train)
        let result = try RepresentationEntropy(measure: measure, layer: layer, samples: samples ?? 1000, key: key).run(model: model, on: test)
        console.answer(String(format: "DSE of %@: %.6f bits", result.layer, result.dse)
            + (result.dsmi.map { String(format: ", DSMI with labels %.6f bits", $0) } ?? "") + " (\(result.samples) test examples)")
        try console.emit(DSEReport(dse: result.dse, dsmi: result.dsmi, layer: result.layer, samples: result.samples, sigma: sigma, t: diffusionSteps))
    }
}

/// The JSON line of `initium dse`.
struct DSEReport: Encodable {
    var dse: Double
    var dsmi: Double?
    var layer: String?
    var samples: Int
    var sigma: Double
    var t: Int
}
