extension Tensor {
    /// The mean, population variance and mean square of all elements, accumulated in Double
    /// (for statistics and standardization, where float32 sums over millions of values drift).
    public var moments: (mean: Double, variance: Double, meanSquare: Double) {
        withUnsafeBufferPointer { p in
            var s = 0.0, s2 = 0.0
            for v in p {
                let d = Double(v)
                s += d
                s2 += d * d
            }
            let n = Double(Swift.max(p.count, 1))
            let mean = s / n
            return (mean, Swift.max(0, s2 / n - mean * mean), s2 / n)
        }
    }
}
