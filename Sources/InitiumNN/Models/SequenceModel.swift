import InitiumCore

/// A model that reads token ids and predicts the next token at every position: a decoder-only
/// language model (the `gpt:` family). Its input is a batch of token ids `[B, T]` stored as
/// Float32 (exact below 2²⁴) with T ≤ ``contextLength``; its output the logits `[B·T, V]`, rows in
/// (b, t) order, V = ``vocabularySize``; row (b, t) predicts token t + 1 from tokens 0…t.
/// Sampling (`initium generate`) reads only these two sizes and the logits.
public protocol SequenceModel: Module {
    /// The longest sequence the model reads (its positional table's length).
    var contextLength: Int { get }
    /// The number of token ids (256 for a byte-level model).
    var vocabularySize: Int { get }
}
