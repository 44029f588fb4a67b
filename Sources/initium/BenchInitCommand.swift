import ArgumentParser
import InitiumCore
import InitiumInit
import InitiumNN

/// `initium bench init`: how many weight values per second a scheme fills.
struct BenchInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Time filling one tensor with an initialization scheme (best of --repeats after a warm-up).")

    @Option(help: "Initialization scheme.") var scheme = "normal"
    @Option(help: "Tensor shape, comma-separated.") var shape = "4096,4096"
    @Option(help: "Layout name (see `initium init --help`).") var layout: String?
    @OptionGroup var activation: OptionalActivationOption
    @Option(help: "Timed repetitions.") var repeats = 3
    @OptionGroup var threadOptions: ThreadOptions
    @OptionGroup var console: OutputOptions

    func run() throws {
        try threadOptions.apply()
        let dims = try parseShape(shape)
        let benchmark = InitializationBenchmark(
            scheme: try Scheme(scheme), layout: try WeightLayout(dims, layoutName: layout), repeats: repeats,
            activation: try activation.engineActivation())
        let m = try benchmark.run()
        console.answer(String(format: "%@ %@ threads %d: %.4f s, %.3g values/s", scheme, shape, threadOptions.threads, m.seconds, m.valuesPerSecond))
        try console.emit(BenchInitReport(
            scheme: benchmark.scheme.description, shape: dims, layout: layout, activation: activation.act, repeats: repeats,
            threads: threadOptions.threads, seconds: m.seconds, valuesPerSecond: m.valuesPerSecond))
    }
}

/// The JSON line of `initium bench init`: what was measured (every setting, so a report says
/// which run it describes) and the best time of the repeats.
struct BenchInitReport: Encodable {
    var scheme: String
    var shape: [Int]
    var layout: String?
    var activation: String?
    var repeats: Int
    var threads: Int
    var seconds: Double
    var valuesPerSecond: Double

    enum CodingKeys: String, CodingKey {
        case scheme, shape, layout, activation, repeats, threads, seconds, valuesPerSecond = "values_per_second"
    }
}
