import InitiumCore

/// A lookup table, PyTorch's `nn.Embedding`: weight `[count, dimension]`, and the output for token
/// ids `[batch, sequence]` (Float32 holding integers) is their rows, `[batch, sequence, dimension]`.
///
/// A new table is initialized as PyTorch's: N(0, 1), with the row `paddingIndex` (when given) set
/// to zero; that row also gets no gradient (`padding_idx`). A learned positional embedding is an
/// `Embedding` looked up at the positions 0..<T. Weight kind ``WeightKind/embedding``
/// (fan_in = count, fan_out = dimension).
public final class Embedding: Module {
    /// The table, `[count, dimension]`.
    public let weight: Parameter
    /// The row that stays zero and gets no gradient, or `nil`.
    public let paddingIndex: Int?
    /// What this table is in its model (``LayerRole/embedding``, ``LayerRole/positionEmbedding``).
    public var roles: Set<LayerRole> = []

    /// A table of `count` rows of `dimension` values drawn from N(0, 1) with the scope's key
    /// folded with `weight` (no key: zeros).
    public init(_ count: Int, _ dimension: Int, paddingIndex: Int? = nil, scope: Scope) throws {
        guard count > 0, dimension > 0 else {
            throw InitiumError.invalidArgument("Embedding(\(count), \(dimension)): sizes must be positive")
        }
        if let paddingIndex, !(0..<count).contains(paddingIndex) {
            throw InitiumError.invalidArgument("Embedding(\(count), \(dimension)): padding index \(paddingIndex) is outside 0..<\(count)")
        }
        var table = try scope.key.map { try Tensor.random([count, dimension], .normal(mean: 0, std: 1), key: $0.fold("weight")) }
            ?? Tensor.zeros([count, dimension])
        if let paddingIndex {
            table.withUnsafeMutableBufferPointer { $0[(paddingIndex * dimension)..<((paddingIndex + 1) * dimension)].update(repeating: 0) }
        }
        weight = Parameter(table)
        self.paddingIndex = paddingIndex
    }

    /// Rows looked up by their weight: an affine map of one-hot inputs.
    public var kind: LayerKind { .weighted }

    /// The number of rows.
    public var count: Int { weight.shape[0] }
    /// The length of a row.
    public var dimension: Int { weight.shape[1] }

    public var localParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }

    /// The rows at `input`'s ids; an id outside `0..<count` throws naming it.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try context.read(weight).embeddingLookup(input, paddingIndex: paddingIndex)
    }
}

extension Embedding: WeightedLayer {
    /// No bias.
    public var bias: Parameter? { nil }
    /// `[count, dimension]`, rows looked up.
    public var weightKind: WeightKind { .embedding }
}

/// An output head that shares the input embedding's table (weight tying, Press & Wolf, "Using the
/// Output Embedding to Improve Language Models", EACL 2017; GPT-2): logits = x·Eᵀ for x `[n, dimension]`
/// and E the table `[vocabulary, dimension]`. It owns no parameter (the table is the
/// embedding's, so optimizers and checkpoints see it once) and has no bias.
public final class TiedOutputHead: Module {
    /// The embedding whose table this head reads.
    public let embedding: Embedding
    /// What this head is in its model (``LayerRole/classifier``).
    public var roles: Set<LayerRole> = []

    /// A head reading `embedding`'s table.
    public init(tiedTo embedding: Embedding) { self.embedding = embedding }

    /// An affine map of a (shared) weight.
    public var kind: LayerKind { .weighted }

    /// x·Eᵀ for x `[n, dimension]`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try Tensor.affine(input, weight: context.read(embedding.weight), bias: nil)
    }
}
