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
        try console.emit(m)
    }
}
