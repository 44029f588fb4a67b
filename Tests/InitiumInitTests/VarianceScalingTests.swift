import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// Sample mean and variance of every variance-scaling preset within 5 standard errors of the
/// formula (s.e. of the mean σ/√n; of the variance σ²√(2/n) for normals, √(0.8/n) uniform,
/// and ≤ √(2/n) for the ±2σ truncated normal, whose kurtosis is below the normal's).
@Test(arguments: [
    ("he-normal", [256, 512]), ("he-uniform", [64, 32, 3, 3]), ("he-truncated-normal", [300, 200]),
    ("glorot-normal", [256, 512]), ("glorot-uniform", [64, 32, 3, 3]), ("lecun-truncated-normal", [128, 64, 3, 3]),
    ("kaiming-normal(mode=fan-out)", [200, 300]), ("he-normal(gain=tanh)", [100, 400]), ("torch-default", [300, 400]),
    ("variance-scaling(scale=2,mode=fan-avg,distribution=uniform)", [128, 256]),
])
func presetsHaveTheirVariance(scheme text: String, shape: [Int]) throws {
    let scheme = try Scheme(text)
    let layout = try WeightLayout(shape, kind: shape.count == 2 ? .linear : .convolution(groups: 1))
    let w = try scheme.sample(layout, key: RandomKey(seed: 1)).scalars.map(Double.init)
    let n = Double(w.count)
    let (fi, fo) = (Double(layout.fanIn), Double(layout.fanOut))
    let expected: Double
    switch text {
    case "he-normal", "he-uniform", "he-truncated-normal": expected = 2 / fi
    case "glorot-normal", "glorot-uniform": expected = 2 / (fi + fo)
    case "lecun-truncated-normal": expected = 1 / fi
    case "kaiming-normal(mode=fan-out)": expected = 2 / fo
    case "he-normal(gain=tanh)": expected = 25.0 / 9.0 / fi
    case "torch-default": expected = 1 / (3 * fi)
    default: expected = 2 / ((fi + fo) / 2)
    }
    let mean = w.reduce(0, +) / n
    let sumOfSquares: Double = w.reduce(0) { total, x in total + (x - mean) * (x - mean) }
    let variance = sumOfSquares / (n - 1)
    #expect(abs(mean) < 5 * (expected / n).squareRoot())
    #expect(abs(variance / expected - 1) < 5 * (2 / n).squareRoot())
}

@Test(arguments: ["he-normal", "glorot-uniform(gain=2)", "he-normal(gain=tanh,mode=fan-out)", "constant(value=0.5)", "truncated-normal(std=0.02,a=-0.04,b=0.04)"])
func schemesRoundTripThroughStringAndJSON(text: String) throws {
    let scheme = try Scheme(text)
    #expect(scheme.description == text)
    let data = try JSONEncoder().encode(scheme)
    #expect(try JSONDecoder().decode(Scheme.self, from: data) == scheme)
}

@Test(arguments: ["he-normal(gian=2)", "glorot-uniform(gain=-1)", "variance-scaling(scale=-2)", "he-normal(mode=sideways)", "nonsense", "he-normal(gain=gelu)"])
func invalidSchemesThrow(text: String) {
    #expect(throws: InitiumError.self) { try Scheme(text) }
}

@Test func applyingASchemeUsesPerPathKeysAndZeroBiases() throws {
    let model = try MLP(widths: [10, 20, 5], activation: .relu, scope: Scope(key: RandomKey(seed: 0)))
    let log = try Scheme("he-normal").apply(to: model, context: InitializationContext(key: RandomKey(seed: 3)))
    #expect(log.entries.map(\.path) == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"])
    #expect(model.parameter(at: "layers.0.bias")!.value.scalars.allSatisfy { $0 == 0 })
    let expected = try Scheme("he-normal").sample(WeightLayout([20, 10]), key: RandomKey(seed: 3).fold("layers.0.weight"))
    #expect(model.parameter(at: "layers.0.weight")!.value == expected)
}

/// A fan override drives every fan-based scheme: he-normal's variance is 2/144 for a foreign
/// `[3, 3, 16, 32]` kernel declared with fan_in 144.
@Test func fanOverridesDriveSchemes() throws {
    let foreign = try WeightLayout([3, 3, 16, 32], kind: .linear, fans: .init(fanIn: 144, fanOut: 288))
    let w = try Scheme("he-normal").sample(foreign, key: RandomKey(seed: 2))
    expectMoments(w.scalars, mean: 0, variance: 2.0 / 144)
}
