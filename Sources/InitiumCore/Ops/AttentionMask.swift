/// Which attention scores a query may not see: keys after it (causal, a decoder's mask) and keys
/// that are padding. ``Tensor/softmax(mask:)`` adds it to scores `[batch, heads, queries, keys]`
/// as an additive mask of 0 and −∞, so hidden keys get probability 0.
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
