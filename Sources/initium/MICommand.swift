import ArgumentParser
import Foundation
import InitiumCore
import InitiumProbe

/// `initium mi`: mutual information between the rows of two arrays.
struct MICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mi",
        abstract: "Mutual information in nats between paired samples (rows) of two .npy arrays.",
        discussion: """
        binning: equal-mass bins per dimension (Chelombiev, Houghton & O'Donnell, ICLR 2019) with the \
        Miller–Madow correction, binning(bins=B) to fix B (default round(√(N/5))). kernel: the \
        k-nearest-neighbour estimator of Kraskov, Stögbauer & Grassberger (2004), kernel(k=K), default k = 3.
        """)

    @Option(help: "Samples of X, [N, …] in a .npy file.") var x: String
    @Option(help: "Samples of Y, [N, …] in a .npy file (row i pairs with row i of --x).") var y: String
    @Option(help: "binning, binning(bins=B), kernel or kernel(k=K).") var estimator = "binning"
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try threadOptions.apply()
        let method = try MutualInformationEstimator(parsing: estimator)
        let a = try readArray(x, flag: "--x"), b = try readArray(y, flag: "--y")
        let value = try method.estimate(a, b)
        console.answer(String(format: "I(X; Y) = %.6f nats (%.6f bits), %@ on %d samples", value, value / Foundation.log(2), method.description, a.shape.first ?? 0))
        try console.emit(MIReport(miNats: value, miBits: value / Foundation.log(2), estimator: method.description, samples: a.shape.first ?? 0))
    }
}

/// The JSON line of `initium mi`.
struct MIReport: Encodable {
    var miNats: Double
    var miBits: Double
    var estimator: String
    var samples: Int

    enum CodingKeys: String, CodingKey { case miNats = "mi_nats", miBits = "mi_bits", estimator, samples }
}
