import Foundation
import InitiumCore
import InitiumNN

/// How fast a scheme fills a tensor: the best of `repeats` timed fills of one preallocated
/// tensor after an untimed warm-up fill (which also faults in its pages) — the same protocol as
/// `shared/peers/torch_init_bench.py` (`torch.nn.init.*_(w)` on an existing tensor, best of 3).
public struct InitializationBenchmark: Sendable {
    /// The scheme.
    public var scheme: Scheme
    /// The tensor's layout.
    public var layout: WeightLayout
    /// Timed repetitions.
    public var repeats: Int
    /// The network's activation, for schemes that need one.
    public var activation: Activation?

    /// The result of a run.
    public struct Measurement: Sendable, Codable {
        /// The fastest fill, in seconds.
        public var seconds: Double
        /// Elements written per second by the fastest fill.
        public var valuesPerSecond: Double

        enum CodingKeys: String, CodingKey { case seconds, valuesPerSecond = "values_per_second" }
    }

    /// A benchmark.
    public init(scheme: Scheme, layout: WeightLayout, repeats: Int = 3, activation: Activation? = nil) {
        self.scheme = scheme
        self.layout = layout
        self.repeats = repeats
        self.activation = activation
    }

    /// Runs the warm-up and the timed fills on the current thread count (``Parallel``).
    public func run() throws -> Measurement {
        guard repeats >= 1 else { throw InitiumError.invalidArgument("repeats must be at least 1, got \(repeats)") }
        let root = RandomKey(seed: 0)
        let context = InitializationContext(key: root, activation: activation)
        var tensor = Tensor(uninitializedShape: layout.shape)
        try scheme.fill(&tensor, layout: layout, key: root.fold("warmup"), context: context)
        var best = Double.infinity
        for r in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            try scheme.fill(&tensor, layout: layout, key: root.fold(r), context: context)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = min(best, elapsed)
        }
        return Measurement(seconds: best, valuesPerSecond: Double(layout.count) / best)
    }
}
