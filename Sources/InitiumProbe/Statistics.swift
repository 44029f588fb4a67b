import InitiumCore
import InitiumNN

/// Summary statistics of tensors in Double (diagnostics are about accuracy, not speed).
public enum Statistics {
    /// The Euclidean norm of all elements.
    public static func norm(_ t: Tensor) -> Double {
        t.moments.meanSquare.squareRoot() * Double(t.count).squareRoot()
    }

    /// The median of finite values (nil if none).
    public static func median(_ values: [Double]) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// The q-quantile (0…1) of finite values by linear interpolation.
    public static func quantile(_ values: [Double], _ q: Double) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        guard !sorted.isEmpty else { return nil }
        let position = q * Double(sorted.count - 1)
        let lower = Int(position.rounded(.down)), upper = Int(position.rounded(.up))
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - Double(lower))
    }

    /// A matrix `[n, p]` (any tensor with a leading example axis) as row-major Doubles.
    static func rows(_ t: Tensor) -> (values: [Double], rows: Int, columns: Int) {
        let n = t.shape.first ?? 1
        let p = t.count / max(n, 1)
        return (t.scalars.map(Double.init), n, p)
    }

    /// The rows × rows Gram matrix of a row-major rows × columns matrix, G[a, b] = Σₖ x[a, k]·x[b, k].
    static func rowGram(_ values: [Double], rows n: Int, columns p: Int) -> [Double] {
        var g = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = 0.0
                for k in 0..<p { s += values[i * p + k] * values[j * p + k] }
                g[i * n + j] = s
                g[j * n + i] = s
            }
        }
        return g
    }
}
