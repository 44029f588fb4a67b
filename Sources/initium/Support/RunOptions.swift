import ArgumentParser
import InitiumCore

/// `--seed`.
struct SeedOption: ParsableArguments {
    @Option(help: "Random seed for weights and data order.")
    var seed: UInt64 = 0

    /// The root key of the run.
    var key: RandomKey { RandomKey(seed: seed) }
}

/// `--threads`.
struct ThreadOptions: ParsableArguments {
    @Option(help: "Threads for BLAS and Initium's own kernels.")
    var threads = 1

    /// Sets BLAS's and Initium's thread count (``Parallel/setThreadCount(_:)``).
    func apply() throws {
        guard threads >= 1 else { throw InitiumError.invalidArgument("--threads must be at least 1, got \(threads)") }
        Parallel.setThreadCount(threads)
    }
}

/// `--seed` and `--threads`: what every computing command's run needs besides its own options.
struct RunOptions: ParsableArguments {
    @OptionGroup var seedOption: SeedOption

    @OptionGroup var threadOptions: ThreadOptions

    /// The seed.
    var seed: UInt64 { seedOption.seed }

    /// Sets the thread count (``ThreadOptions/apply()``).
    func applyThreads() throws { try threadOptions.apply() }
}
