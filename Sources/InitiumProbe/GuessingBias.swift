import Foundation
import InitiumCore
import InitiumNN

/// Initial guessing bias (Francazi, Lucchi & Baity-Jesi, ICML 2024): an untrained network that
/// assigns most inputs to one class. For each of several initializations, G_max is the largest
/// fraction of a dataset the network predicts as a single class; without bias G_max stays near
/// 1/K (slightly above, from sampling), with bias it moves toward 1.
public struct GuessingBias: Sendable, Codable {
    /// G_max for each seed.
    public var gMax: [Double]
    /// Summary of the distribution.
    public var mean: Double, median: Double, lower: Double, upper: Double
    /// 1/K.
    public var chance: Double
    /// `none`, `present` or `strong` (see ``verdict(medianGMax:classes:)``).
    public var verdict: String

    enum CodingKeys: String, CodingKey {
        case gMax = "g_max", mean, median, lower = "q10", upper = "q90", chance, verdict
    }



    /// `strong` when the median G_max exceeds 1/2 (most inputs go to one class), `present` when
    /// it exceeds 2/K (twice chance), else `none`.
    public static func verdict(medianGMax: Double, classes: Int) -> String {
        if medianGMax > 0.5 { return "strong" }
        if medianGMax > 2 / Double(classes) { return "present" }
        return "none"
    }
}

extension GuessingBias {
    /// Measures G_max over `seeds` initializations; `makeModel(seed)` returns a freshly
    /// initialized network. Predictions are the argmax of the outputs on `inputs`.
    public init(seeds: [UInt64], inputs: Tensor, classes: Int, makeModel: (UInt64) throws -> any Module) throws {
        guard !seeds.isEmpty, classes >= 2 else {
            throw InitiumError.invalidArgument("guessing bias needs at least one seed and two classes")
        }
        var values: [Double] = []
        for seed in seeds {
            let model = try makeModel(seed)
            var counts = [Int](repeating: 0, count: classes)
            let n = inputs.shape[0]
            for start in stride(from: 0, to: n, by: 1000) {
                let batch = try inputs.slice(axis: 0, start..<min(n, start + 1000))
                let output = try model(batch)
                guard output.rank == 2, output.shape[1] == classes else {
                    throw InitiumError.shapeMismatch(operation: "guessing bias", lhs: output.shape, rhs: [batch.shape[0], classes])
                }
                for c in try output.argmax(axis: 1) { counts[c] += 1 }
            }
            values.append(Double(counts.max() ?? 0) / Double(max(n, 1)))
        }
        let chance = 1 / Double(classes)
        let median = Statistics.median(values) ?? chance
        self.init(
            gMax: values, mean: values.reduce(0, +) / Double(values.count), median: median,
            lower: Statistics.quantile(values, 0.1) ?? median, upper: Statistics.quantile(values, 0.9) ?? median,
            chance: chance, verdict: Self.verdict(medianGMax: median, classes: classes))
    }
}
