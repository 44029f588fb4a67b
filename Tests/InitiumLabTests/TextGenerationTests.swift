import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumLab

/// A byte-level "language model" by hand: the logits of position t put `margin` on the byte after
/// token t (mod 256) and 0 elsewhere, so greedy decoding counts upwards. It records the longest
/// window it was given.
private final class CountingModel: SequenceModel {
    let contextLength: Int
    let vocabularySize = 256
    let margin: Float
    var longestWindow = 0

    init(context: Int, margin: Float = 20) {
        contextLength = context
        self.margin = margin
    }

    var kind: LayerKind { .container }

    func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let tokens = input.scalars.map(Int.init)
        longestWindow = max(longestWindow, input.shape[1])
        var logits = [Float](repeating: 0, count: tokens.count * 256)
        for (row, token) in tokens.enumerated() { logits[row * 256 + (token + 1) % 256] = margin }
        return try Tensor(shape: [tokens.count, 256], scalars: logits)
    }
}

@Test func greedyDecodingFollowsTheLogitsWithinTheContextWindow() throws {
    let model = CountingModel(context: 4)
    let result = try TextGeneration(prompt: "ab", tokens: 6, temperature: 0).run(model: model)
    #expect(result.prompt == "ab" && result.text == "cdefgh" && result.tokens == 6)
    #expect(model.longestWindow == 4)
}

@Test func badPromptsAndSettingsAreRefused() throws {
    let model = CountingModel(context: 4)
    #expect(throws: InitiumError.self) { try TextGeneration(prompt: "abcde").run(model: model) }
    #expect(throws: InitiumError.self) { try TextGeneration(prompt: "").run(model: model) }
    #expect(throws: InitiumError.self) { try TextGeneration(prompt: "a", temperature: -1).run(model: model) }
    #expect(throws: InitiumError.self) { try TextGeneration(prompt: "a", topK: 0).run(model: model) }
}

/// Logits (0, ln 3) at τ = 1 give probabilities 1/4 and 3/4: over 4,000 keyed draws the share of
/// token 1 lies within 5 binomial standard errors (√(p(1−p)/n) ≈ 0.0068) of 3/4. At τ = 0.5 the
/// logits double: p = 9/10.
@Test func samplingDrawsFromTheTemperedSoftmax() throws {
    let logits: [Float] = [0, Float(Foundation.log(3.0))]
    for (temperature, p) in [(Float(1), 0.75), (0.5, 0.9)] {
        let n = 4000
        var ones = 0
        for i in 0..<n where try TextGeneration.sample(logits: logits, temperature: temperature, topK: nil, key: RandomKey(seed: 3).fold(i)) == 1 {
            ones += 1
        }
        let share = Double(ones) / Double(n)
        #expect(abs(share - p) < 5 * (p * (1 - p) / Double(n)).squareRoot(), "τ = \(temperature): \(share)")
    }
}

/// Top-k keeps only the k largest logits: with k = 2 of (3, 0, 2.5, 1) only tokens 0 and 2 are
/// drawn, both of them; k = 1 is greedy; the same key gives the same token.
@Test func topKRestrictsTheDrawToTheLargestLogits() throws {
    let logits: [Float] = [3, 0, 2.5, 1]
    var drawn: Set<Int> = []
    for i in 0..<500 {
        drawn.insert(try TextGeneration.sample(logits: logits, temperature: 2, topK: 2, key: RandomKey(seed: 1).fold(i)))
    }
    #expect(drawn == [0, 2])
    for i in 0..<50 {
        #expect(try TextGeneration.sample(logits: logits, temperature: 5, topK: 1, key: RandomKey(seed: 2).fold(i)) == 0)
    }
    let key = RandomKey(seed: 9)
    #expect(try TextGeneration.sample(logits: logits, temperature: 1, topK: nil, key: key)
        == TextGeneration.sample(logits: logits, temperature: 1, topK: nil, key: key))
}
