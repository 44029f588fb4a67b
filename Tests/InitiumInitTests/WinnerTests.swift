import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

private func tone(frequency f: Double, samples n: Int) throws -> Signal {
    let values = (0..<n).map { Float(sin(2 * Double.pi * f * Double($0))) }
    return try Signal(grid: [n], channels: 1, values: try Tensor(shape: [n, 1], scalars: values))
}

/// A pure tone at normalized frequency f (cycles per sample) has SC ≈ 2f (its rFFT mass sits at
/// f; window leakage moves it by ~1e-3 for these lengths); an image whose rows are tones does too.
@Test(arguments: [0.05, 0.125, 0.3])
func winnerSpectralCentroidOfATone(f: Double) throws {
    #expect(abs(try WinnerRecipe.spectralCentroid(of: tone(frequency: f, samples: 4000)) - 2 * f) < 0.01)
    let (h, w) = (8, 400)
    let image = (0..<h).flatMap { _ in (0..<w).map { Float(cos(2 * Double.pi * f * Double($0))) } }
    let signal = try Signal(grid: [h, w], channels: 1, values: try Tensor(shape: [h * w, 1], scalars: image))
    #expect(abs(try WinnerRecipe.spectralCentroid(of: signal) - 2 * f) < 0.01)
}

/// Only the first two weights differ from a same-seed SIREN (biases and later layers are
/// identical), by N(0, (s/ω₀)²) noise with the audio formulas s₀ = 3500(1 − e^{−7z}), s₁ = 3z:
/// the difference's variance within 5 standard errors (normal, kurtosis 3).
@Test func winnerAddsSpectralNoiseToTheFirstTwoLayersOnly() throws {
    let spec = try ModelSpec("inr:in=1,out=1,layers=4,width=128,act=sine(omega=30)")
    func model() throws -> any Module { try spec.build(activation: .relu, inputShape: [1], classCount: 1, key: RandomKey(seed: 4)) }
    let target = try tone(frequency: 0.1, samples: 2048)
    let context = InitializationContext(key: RandomKey(seed: 9), activation: try Activation("sine(omega=30)"), target: target)
    let siren = try model(), winner = try model()
    try Scheme("siren").apply(to: siren, context: context)
    let log = try Scheme("winner").apply(to: winner, context: context)
    let z = try WinnerRecipe.spectralCentroid(of: target)
    let expected = ["layers.0.weight": 3500 * (1 - exp(-7 * z)) / 30, "layers.2.weight": 3 * z / 30]
    for ((path, a), (_, b)) in zip(siren.namedParameters, winner.namedParameters) {
        let difference = zip(b.value.scalars, a.value.scalars).map { $0 - $1 }
        if let std = expected[path] {
            expectMoments(difference, mean: 0, variance: std * std, path)
            #expect(abs(log.entries.first { $0.path == path && $0.action == "winner noise" }!.values["noise_std"]! - std) < 1e-12)
        } else {
            #expect(difference.allSatisfy { $0 == 0 }, "\(path) changed")
        }
    }
}

/// Without a target WINNER cannot set its noise: a one-line error naming the need; explicit
/// scales must come in pairs; 3-D signals need them.
@Test func winnerNeedsATarget() throws {
    let model = try ModelSpec("inr:in=2,out=1,layers=3,width=8,act=sine(omega=30)").build(activation: .relu, inputShape: [2], classCount: 1, key: RandomKey(seed: 1))
    do {
        try Scheme("winner").apply(to: model, context: InitializationContext(key: RandomKey(seed: 1)))
        Issue.record("expected an error without a target")
    } catch let error as InitiumError {
        #expect("\(error)".contains("target"))
    }
    #expect(throws: InitiumError.self) { try Scheme("winner(s0=3)") }
    #expect(throws: InitiumError.self) { try WinnerRecipe.noiseScales(normalizedCentroid: 0.1, dimension: 3) }
    // z → 0 is SIREN: the formulas vanish.
    let (s0, s1) = try WinnerRecipe.noiseScales(normalizedCentroid: 0, dimension: 2)
    #expect(s0 == 0 && s1 == 0)
}
