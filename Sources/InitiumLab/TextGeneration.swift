import Foundation
import InitiumCore
import InitiumNN

/// Text sampled from a byte-level language model (``SequenceModel`` with a vocabulary of 256):
/// the prompt's UTF-8 bytes are the first token ids; each step runs the model on the last
/// ``SequenceModel/contextLength`` tokens, takes the logits of the last position, and draws the
/// next byte (``sample(logits:temperature:topK:key:)``), as nanoGPT's `sample.py` does.
public struct TextGeneration: Sendable {
    /// The text the continuation follows (not empty, at most the model's context in bytes).
    public var prompt: String
    /// Bytes to generate.
    public var tokens: Int
    /// The softmax temperature τ (0: greedy).
    public var temperature: Float
    /// Sample only among the k most likely bytes (`nil`: all of them).
    public var topK: Int?
    /// The seed of the draws: step i uses `RandomKey(seed).fold("generate").fold(i)`.
    public var seed: UInt64

    /// A generation request. nanoGPT's `sample.py` uses temperature 0.8 and top-k 200 of GPT-2's
    /// 50,257 tokens; the default here keeps the 40 most likely of 256 bytes.
    public init(prompt: String, tokens: Int = 200, temperature: Float = 0.8, topK: Int? = 40, seed: UInt64 = 0) {
        self.prompt = prompt
        self.tokens = tokens
        self.temperature = temperature
        self.topK = topK
        self.seed = seed
    }

    /// Throws naming the property that is out of range for `model`.
    public func validate(for model: any SequenceModel) throws {
        guard model.vocabularySize == 256 else {
            throw InitiumError.invalidArgument("generation needs a byte-level model (vocabulary 256); this one has \(model.vocabularySize) tokens")
        }
        let length = prompt.utf8.count
        guard length >= 1 else { throw InitiumError.invalidArgument("`prompt` must not be empty") }
        guard length <= model.contextLength else {
            throw InitiumError.invalidArgument(
                "`prompt` is \(length) bytes, longer than the model's context of \(model.contextLength) tokens")
        }
        guard tokens >= 1 else { throw InitiumError.invalidArgument("`tokens` must be at least 1, got \(tokens)") }
        guard temperature >= 0, temperature.isFinite else {
            throw InitiumError.invalidArgument("`temperature` must be a number ≥ 0, got \(temperature)")
        }
        if let topK, topK < 1 { throw InitiumError.invalidArgument("`topK` must be at least 1, got \(topK)") }
    }

    /// Generates ``tokens`` bytes after the prompt.
    public func run(model: any SequenceModel) throws -> TextGenerationResult {
        try validate(for: model)
        var sequence = Array(prompt.utf8).map(Int.init)
        let key = RandomKey(seed: seed).fold("generate")
        var generated: [UInt8] = []
        generated.reserveCapacity(tokens)
        for i in 0..<tokens {
            let window = sequence.suffix(model.contextLength)
            let input = try Tensor(shape: [1, window.count], scalars: window.map(Float.init))
            let logits = try model.forward(input, context: ForwardContext(mode: .inference))
            guard logits.shape == [window.count, model.vocabularySize] else {
                throw InitiumError.invalidArgument(
                    "the model returned logits of shape \(logits.shape) for \(window.count) tokens; expected [\(window.count), \(model.vocabularySize)]")
            }
            let last = try logits.slice(axis: 0, (window.count - 1)..<window.count).scalars
            let next = try Self.sample(logits: last, temperature: temperature, topK: topK, key: key.fold(i))
            sequence.append(next)
            generated.append(UInt8(next))
        }
        return TextGenerationResult(prompt: prompt, text: String(decoding: generated, as: UTF8.self), tokens: generated.count)
    }

    /// One token drawn from `logits`: with τ = 0 the most likely (the first on ties); otherwise
    /// from softmax(logits/τ) restricted to the k largest logits (ties with the k-th kept, as
    /// nanoGPT's `logits[logits < v[-1]] = -inf`), by inverting the cumulative distribution at
    /// one uniform draw u ∈ [0, 1) from `key`. Probabilities are computed in Double.
    public static func sample(logits: [Float], temperature: Float, topK: Int?, key: RandomKey) throws -> Int {
        guard !logits.isEmpty else { throw InitiumError.invalidArgument("no logits to sample from") }
        guard logits.allSatisfy(\.isFinite) else { throw InitiumError.invalidArgument("the model's logits are not finite") }
        let best = logits.indices.max { logits[$0] < logits[$1] || (logits[$0] == logits[$1] && $0 > $1) }!
        guard temperature > 0 else { return best }
        let k = min(topK ?? logits.count, logits.count)
        let threshold = logits.sorted(by: >)[k - 1]
        let scaled = logits.map { Double($0) / Double(temperature) }
        let maximum = scaled[best]
        let weights = zip(logits, scaled).map { logit, s in logit >= threshold ? Foundation.exp(s - maximum) : 0 }
        let total = weights.reduce(0, +)
        let u = Double(try Tensor.uniform([1], key: key).scalars[0]) * total
        var cumulative = 0.0
        for (index, weight) in weights.enumerated() where weight > 0 {
            cumulative += weight
            if u < cumulative { return index }
        }
        return weights.lastIndex { $0 > 0 }!
    }
}

/// What ``TextGeneration`` produced.
public struct TextGenerationResult: Sendable, Codable {
    /// The prompt.
    public var prompt: String
    /// The generated continuation (invalid UTF-8 shown as U+FFFD).
    public var text: String
    /// The number of bytes generated.
    public var tokens: Int
}
