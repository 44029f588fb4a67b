import ArgumentParser
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
    @Option(help: "The network's activation, for schemes that need one.") var act: String?
    @Option(help: "Timed repetitions.") var repeats = 3
    @OptionGroup var threadOptions: ThreadOptions
    @Flag(help: "End stdout with one JSON object.") var json = false

    func run() throws {
        try threadOptions.apply()
        let dims = try parseShape(shape)
        let benchmark = InitializationBenchmark(
            scheme: try Scheme(scheme), layout: try WeightLayout(dims, layoutName: layout), repeats: repeats,
            activation: try act.map { try Activation($0) })
        let m = try benchmark.run()
        printHuman(String(format: "%@ %@ threads %d: %.4f s, %.3g values/s", scheme, shape, threadOptions.threads, m.seconds, m.valuesPerSecond))
        if json { try emitJSON(m) }
    }
}
