/// Broadcasting arithmetic with pullbacks. Binary operators between tensors throw
/// ``InitiumError/shapeMismatch(operation:lhs:rhs:)`` when shapes do not broadcast.
extension Tensor {
    /// `lhs + rhs` elementwise, with broadcasting. ∂/∂lhs = 1, ∂/∂rhs = 1.
    public static func + (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        let shape = try Shape.broadcast(lhs.shape, rhs.shape, operation: "add")
        let (sa, sb) = (lhs.shape, rhs.shape)
        return broadcastBinary(lhs, rhs, outputShape: shape, +)
            .recording(inputs: [lhs, rhs]) { g in [g.summed(toShape: sa), g.summed(toShape: sb)] }
    }

    /// `lhs - rhs` elementwise, with broadcasting. ∂/∂lhs = 1, ∂/∂rhs = −1.
    public static func - (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        let shape = try Shape.broadcast(lhs.shape, rhs.shape, operation: "subtract")
        let (sa, sb) = (lhs.shape, rhs.shape)
        return broadcastBinary(lhs, rhs, outputShape: shape, -)
            .recording(inputs: [lhs, rhs]) { g in [g.summed(toShape: sa), g.negatedValues().summed(toShape: sb)] }
    }

    /// `lhs * rhs` elementwise, with broadcasting. ∂/∂lhs = rhs, ∂/∂rhs = lhs.
    public static func * (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        let shape = try Shape.broadcast(lhs.shape, rhs.shape, operation: "multiply")
        let (a, b) = (lhs.detached(), rhs.detached())
        return broadcastBinary(lhs, rhs, outputShape: shape, *)
            .recording(inputs: [lhs, rhs]) { g in
                [
                    lhs.node == nil ? nil : broadcastBinary(g, b, outputShape: g.shape, *).summed(toShape: a.shape),
                    rhs.node == nil ? nil : broadcastBinary(g, a, outputShape: g.shape, *).summed(toShape: b.shape),
                ]
            }
    }

    /// `lhs / rhs` elementwise, with broadcasting. ∂/∂lhs = 1/rhs, ∂/∂rhs = −lhs/rhs².
    public static func / (lhs: Tensor, rhs: Tensor) throws -> Tensor {
        let shape = try Shape.broadcast(lhs.shape, rhs.shape, operation: "divide")
        let (a, b) = (lhs.detached(), rhs.detached())
        return broadcastBinary(lhs, rhs, outputShape: shape, /)
            .recording(inputs: [lhs, rhs]) { g in
                let gOverB = broadcastBinary(g, b, outputShape: g.shape, /)
                return [
                    lhs.node == nil ? nil : gOverB.summed(toShape: a.shape),
                    rhs.node == nil
                        ? nil
                        : broadcastBinary(
                            broadcastBinary(gOverB, a, outputShape: g.shape, *), b, outputShape: g.shape
                        ) { -$0 / $1 }.summed(toShape: b.shape),
                ]
            }
    }

    /// Elementwise maximum with broadcasting; the gradient goes to the larger input (to `lhs` on ties).
    public func maximum(_ other: Tensor) throws -> Tensor {
        let shape = try Shape.broadcast(self.shape, other.shape, operation: "maximum")
        let (a, b) = (detached(), other.detached())
        return broadcastBinary(self, other, outputShape: shape) { Swift.max($0, $1) }
            .recording(inputs: [self, other]) { g in
                let takeA = broadcastBinary(a, b, outputShape: shape) { $0 >= $1 ? 1 : 0 }
                return [
                    broadcastBinary(g, takeA, outputShape: shape, *).summed(toShape: a.shape),
                    broadcastBinary(g, takeA, outputShape: shape) { $0 * (1 - $1) }.summed(toShape: b.shape),
                ]
            }
    }

    /// `lhs + c` for a constant.
    public static func + (lhs: Tensor, rhs: Float) -> Tensor {
        lhs.mapped { $0 + rhs }.recording(input: lhs) { $0 }
    }

    /// `c + rhs` for a constant.
    public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs + lhs }

    /// `lhs - c` for a constant.
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs + (-rhs) }

    /// `c - rhs` for a constant.
    public static func - (lhs: Float, rhs: Tensor) -> Tensor {
        rhs.mapped { lhs - $0 }.recording(input: rhs) { $0.negatedValues() }
    }

    /// `lhs · c` for a constant.
    public static func * (lhs: Tensor, rhs: Float) -> Tensor {
        lhs.mapped { $0 * rhs }.recording(input: lhs) { g in g.mapped { $0 * rhs } }
    }

    /// `c · rhs` for a constant.
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }

    /// `lhs / c` for a constant.
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs * (1 / rhs) }

    /// `−x` elementwise.
    public static prefix func - (x: Tensor) -> Tensor { x * -1 }

    /// Elementwise negation without recording (for pullbacks).
    func negatedValues() -> Tensor { mapped { -$0 } }

    /// Applies `f` to every element, without recording a pullback.
    @inline(__always)
    public func mapped(_ f: (Float) -> Float) -> Tensor {
        var out = Tensor(uninitializedShape: shape)
        let src = storage.base, dst = out.storage.base
        for i in 0..<count { dst[i] = f(src[i]) }
        out.node = nil
        return out
    }

    /// Combines two tensors of the same shape elementwise, without recording a pullback.
    @inline(__always)
    public func zipped(with other: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        precondition(other.shape == shape, "zipped: \(shape) vs \(other.shape)")
        return broadcastBinary(self, other, outputShape: shape, f)
    }
}
