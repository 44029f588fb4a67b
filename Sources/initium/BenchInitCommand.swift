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
    @Option(help: "Threads for BLAS and own kernels.") var threads = 1
    @Flag(help: "End stdout with one JSON object.") var json = false

    func run() throws {
        guard threads >= 1 else { throw InitiumError.invalidArgument("--threads must be at least 1") }
        Parallel.setThreadCount(threads)
        let dims = try shape.split(separator: ",").map { part -> Int in
            guard let v = Int(part), v > 0 else { throw InitiumError.invalidArgument("--shape must be positive integers separated by commas") }
            return v
        }
        let benchmark = InitializationBenchmark(
            scheme: try Scheme(scheme), layout: try WeightLayout(dims, layoutName: layout), repeats: repeats,
            activation: try act.map { try Activation($0) })
        let m = try benchmark.run()
        printHuman(String(format: "%@ %@ threads %d: %.4f s, %.3g values/s", scheme, shape, threads, m.seconds, m.valuesPerSecond))
        if json { try emitJSON(m) }
    }
}
