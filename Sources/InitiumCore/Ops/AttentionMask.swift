/// Which attention scores a query may not see: keys after it (causal, a decoder's mask) and keys
/// that are padding. Applied to scores `[batch, heads, queries, keys]` by ``Tensor/masked(by:)``
/// as an additive mask of 0 and −∞, so ``Tensor/softmax()`` gives masked keys probability 0.
public struct AttentionMask: Sendable, Equatable {
    /// Whether query i may see only keys j ≤ i (−∞ above the diagonal).
    public var causal: Bool
    /// For each example and key position (`batch · keys`, row-major), whether the key is padding.
    public var keyPadding: [Bool]?

    /// A mask; `keyPadding` holds `batch · keys` flags (true: padding).
    public init(causal: Bool, keyPadding: [Bool]? = nil) {
        self.causal = causal
        self.keyPadding = keyPadding
    }

    /// The padding flags of token ids `[batch, keys]`: a key is padding when its id equals `paddingToken`.
    public static func keyPadding(of ids: Tensor, paddingToken: Int) -> [Bool] {
        ids.withUnsafeBufferPointer { ids in ids.map { Int($0) == paddingToken } }
    }

    /// Whether the mask hides nothing.
    public var isEmpty: Bool { !causal && !(keyPadding?.contains(true) ?? false) }
}

extension Tensor {
    /// The scores `[batch, heads, queries, keys]` plus the additive mask: −∞ where `mask` hides
    /// the key from the query, unchanged elsewhere. Pullback: g with the masked entries zeroed.
    public func masked(by mask: AttentionMask) throws -> Tensor {
        guard rank == 4 else {
            throw InitiumError.invalidShape(operation: "attention mask", shape: shape, reason: "expected scores [batch, heads, queries, keys]")
        }
        let (batch, heads, queries, keys) = (shape[0], shape[1], shape[2], shape[3])
        if let padding = mask.keyPadding, padding.count != batch * keys {
            throw InitiumError.shapeMismatch(operation: "attention mask", lhs: [batch, keys], rhs: [padding.count])
        }
        if mask.causal, queries != keys {
            throw InitiumError.invalidShape(operation: "causal attention mask", shape: shape, reason: "needs as many queries as keys")
        }
        guard !mask.isEmpty else { return self }
        /// Sets the hidden entries of a `[batch, heads, queries, keys]` buffer to `value`.
        func fill(_ p: UnsafeMutablePointer<Float>, with value: Float) {
            for b in 0..<batch {
                for h in 0..<heads {
                    for i in 0..<queries {
                        let row = p + ((b * heads + h) * queries + i) * keys
                        if mask.causal, i + 1 < keys { (row + i + 1).update(repeating: value, count: keys - i - 1) }
                        if let padding = mask.keyPadding {
                            for j in 0..<keys where padding[b * keys + j] { row[j] = value }
                        }
                    }
                }
            }
        }
        var out = detached()
        out.withUnsafeMutableBufferPointer { fill($0.baseAddress!, with: -.infinity) }
        return out.recording(input: self) { g in
            var grad = g.detached()
            grad.withUnsafeMutableBufferPointer { fill($0.baseAddress!, with: 0) }
            return grad
        }
    }
}
