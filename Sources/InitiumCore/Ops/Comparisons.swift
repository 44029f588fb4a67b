/// Comparisons (results are 0/1 masks, not differentiable) and `where` selection.
extension Tensor {
    /// 1 where `self > other`, else 0 (broadcasting).
    public func isGreater(than other: Tensor) throws -> Tensor {
        try compare(other, "greater") { $0 > $1 }
    }

    /// 1 where `self < other`, else 0 (broadcasting).
    public func isLess(than other: Tensor) throws -> Tensor {
        try compare(other, "less") { $0 < $1 }
    }

    /// 1 where `self > value`, else 0.
    public func isGreater(than value: Float) -> Tensor { mapped { $0 > value ? 1 : 0 } }

    /// 1 where `self < value`, else 0.
    public func isLess(than value: Float) -> Tensor { mapped { $0 < value ? 1 : 0 } }

    private func compare(_ other: Tensor, _ name: String, _ f: (Float, Float) -> Bool) throws -> Tensor {
        let shape = try Shape.broadcast(self.shape, other.shape, operation: name)
        return broadcastBinary(self, other, outputShape: shape) { f($0, $1) ? 1 : 0 }
    }

    /// Elementwise selection: `a` where `condition` ≠ 0, else `b` (all three broadcast together).
    /// Gradients flow to the selected input.
    public static func select(where condition: Tensor, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let abShape = try Shape.broadcast(a.shape, b.shape, operation: "where")
        let shape = try Shape.broadcast(condition.shape, abShape, operation: "where")
        let mask = condition.broadcastValues(to: shape).mapped { $0 != 0 ? 1 : 0 }
        let pickA = broadcastBinary(mask, a, outputShape: shape) { m, v in m != 0 ? v : 0 }
        let result = broadcastBinary(mask, b, outputShape: shape) { m, v in m != 0 ? 0 : v }
            .zipped(with: pickA, +)
        let (sa, sb) = (a.shape, b.shape)
        return result.recording(inputs: [a, b]) { g in
            [
                g.zipped(with: mask, *).summed(toShape: sa),
                g.zipped(with: mask) { $0 * (1 - $1) }.summed(toShape: sb),
            ]
        }
    }
}
