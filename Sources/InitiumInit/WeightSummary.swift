import InitiumCore
import InitiumNN

/// Summary statistics of a weight tensor, accumulated in Double: what `initium init` reports.
public struct WeightSummary: Sendable, Codable, Equatable {
    /// The mean.
    public var mean: Double
    /// The population standard deviation √(Σ(x − mean)²/n) (NumPy's default `std`).
    public var std: Double
    /// The smallest element.
    public var min: Double
    /// The largest element.
    public var max: Double

    /// The statistics of `tensor` (zeros for an empty tensor).
    public init(_ tensor: Tensor) {
        guard tensor.count > 0 else {
            (mean, std, min, max) = (0, 0, 0, 0)
            return
        }
        var (sum, low, high) = (0.0, Double.infinity, -Double.infinity)
        tensor.withUnsafeBufferPointer { p in
            for x in p {
                let v = Double(x)
                sum += v
                low = Swift.min(low, v)
                high = Swift.max(high, v)
            }
        }
        let mean = sum / Double(tensor.count)
        let squares = tensor.withUnsafeBufferPointer { p in p.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } }
        self.mean = mean
        std = (squares / Double(tensor.count)).squareRoot()
        min = low
        max = high
    }
}
