import Foundation
import InitiumCore
import InitiumNN
import InitiumSpec
import Testing
@testable import InitiumInit

// Initializer values against SciPy/PyTorch references (issue 19, item 7). Fixture:
// Fixtures/initializer_reference.json, written by scripts/make_initializer_fixture.py.

private struct InitializerFixture: Decodable {
    struct Raw: Decodable {
        let spec: String
        let mean: Double, variance: Double, mu4: Double
        let midpoint: Double, below_midpoint: Double
    }

    struct TorchDefault: Decodable { let path: String; let shape: [Int]; let fan_in: Int; let bound: Double }
    struct Zero: Decodable { let shape: [Int]; let values: [Double] }

    let raw: [Raw]
    let truncated_std: Double
    let torch_default: [TorchDefault]
    let zero: [Zero]
}

private let fixture = Result {
    let url = try #require(Bundle.module.url(forResource: "initializer_reference", withExtension: "json", subdirectory: "Fixtures"))
    return try JSONDecoder().decode(InitializerFixture.self, from: Data(contentsOf: url))
}

/// Sample mean within 5 standard errors σ/√n and sample variance within 5 standard errors
/// √((μ₄ − σ⁴)/n) of the given moments (a false failure is a < 1e-6 event; a wrong constant such
/// as a missing √3 or a fan off by 2 is tens of standard errors away at these sizes).
private func expectMoments(_ values: [Float], mean: Double, variance: Double, mu4: Double, _ label: String,
                           sourceLocation: SourceLocation = #_sourceLocation) {
    let sample = sampleMoments(values)
    let n = Double(values.count)
    let meanError = 5 * (variance / n).squareRoot(), varianceError = 5 * ((mu4 - variance * variance) / n).squareRoot()
    #expect(abs(sample.mean - mean) < meanError, "\(label): mean \(sample.mean) vs \(mean) ± \(meanError)", sourceLocation: sourceLocation)
    #expect(abs(sample.variance - variance) < varianceError,
            "\(label): variance \(sample.variance) vs \(variance) ± \(varianceError)", sourceLocation: sourceLocation)
}

/// A fraction of n draws within 5 binomial standard errors of the probability p.
private func expectFraction(_ count: Int, of n: Int, _ p: Double, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let fraction = Double(count) / Double(n)
    #expect(abs(fraction - p) < 5 * (p * (1 - p) / Double(n)).squareRoot(), "\(label): \(fraction) vs \(p)", sourceLocation: sourceLocation)
}

/// constant, zeros and ones give exactly their value in every entry, for matrices and kernels.
@Test(arguments: [("constant(value=0.5)", Float(0.5)), ("constant(value=-2.25)", -2.25), ("constant", 0), ("zeros", 0), ("ones", 1)])
func constantSchemesGiveTheirValue(text: String, value: Float) throws {
    for shape in [[7, 5], [4, 3, 3, 3]] {
        let w = try Scheme(text).sample(try layout(shape), key: RandomKey(seed: 1))
        #expect(w.shape == shape && w.scalars.allSatisfy { $0 == value }, "\(text) on \(shape)")
    }
}

/// The raw `normal`, `uniform` and `truncated-normal` schemes (the latter with PyTorch's absolute
/// bounds a, b, asymmetric about the mean) draw from the distribution SciPy describes: mean and
/// variance within 5 standard errors (μ₄ from SciPy), the mass below a midpoint within 5 binomial
/// standard errors, and every draw inside [a, b]. Reading a, b relative to the mean or in units
/// of std would move the mean by many standard errors.
@Test func rawDistributionsMatchSciPy() throws {
    for r in try fixture.get().raw {
        let w = try Scheme(r.spec).sample(WeightLayout([200, 500]), key: RandomKey(seed: 7)).scalars
        expectMoments(w, mean: r.mean, variance: r.variance, mu4: r.mu4, r.spec)
        expectFraction(w.filter { Double($0) <= r.midpoint }.count, of: w.count, r.below_midpoint, "\(r.spec) P(X ≤ \(r.midpoint))")
        if r.spec.hasPrefix("truncated-normal") {
            let spec = try SpecSyntax(parsing: r.spec, kind: "scheme")
            let a = Float(try spec.number("a", default: -2, kind: "test")), b = Float(try spec.number("b", default: 2, kind: "test"))
            #expect(w.min()! >= a && w.max()! <= b, "\(r.spec): draws in [\(w.min()!), \(w.max()!)]")
        }
    }
}

/// Every preset of the lecun/glorot/xavier/he/kaiming families against its own formula (not only
/// through the shared variance-scaling code): the variance gain²/n with the preset's fan and
/// gain, and the family's shape — uniform on exactly ±√(3σ²); truncated normal on exactly
/// ±2σ/s with s = SciPy's standard deviation of N(0, 1) truncated to ±2; normal with SciPy's
/// tail mass 2(1 − Φ(2)) = 0.0455 beyond 2σ. A [300, 200] matrix (fan_in 200, fan_out 300) and a
/// [64, 32, 3, 3] kernel (fan_in 288, fan_out 576) keep fan-in and fan-out apart.
@Test(arguments: [
    "lecun-normal", "lecun-uniform", "lecun-truncated-normal",
    "glorot-normal", "glorot-uniform", "glorot-truncated-normal",
    "xavier-normal", "xavier-uniform", "xavier-truncated-normal",
    "he-normal", "he-uniform", "he-truncated-normal",
    "kaiming-normal", "kaiming-uniform", "kaiming-truncated-normal", "kaiming-uniform(mode=fan-out)",
])
func presetMatchesItsFormula(text: String) throws {
    let s = try fixture.get().truncated_std
    for shape in [[300, 200], [64, 32, 3, 3]] {
        let l = try layout(shape)
        let (fanIn, fanOut) = (Double(l.fanIn), Double(l.fanOut))
        let variance: Double
        if text.hasPrefix("lecun") {
            variance = 1 / fanIn
        } else if text.hasPrefix("glorot") || text.hasPrefix("xavier") {
            variance = 2 / (fanIn + fanOut)
        } else {
            variance = 2 / (text.contains("fan-out") ? fanOut : fanIn)
        }
        let w = try Scheme(text).sample(l, key: RandomKey(seed: 3)).scalars
        let label = "\(text) on \(shape)"
        let largest = Double(w.map(abs).max()!)
        if text.contains("uniform") {
            let bound = (3 * variance).squareRoot()
            expectMoments(w, mean: 0, variance: variance, mu4: 1.8 * variance * variance, label)
            #expect(largest <= bound * (1 + 1e-6) && largest > 0.999 * bound, "\(label): max \(largest), bound \(bound)")
        } else if text.contains("truncated") {
            let bound = 2 * variance.squareRoot() / s
            // μ₄ of N(0, 1) truncated to ±2 is 1.416 (SciPy), i.e. 2.37σ⁴ after rescaling.
            expectMoments(w, mean: 0, variance: variance, mu4: 2.37 * variance * variance, label)
            #expect(largest <= bound * (1 + 1e-6) && largest > 0.99 * bound, "\(label): max \(largest), bound \(bound)")
        } else {
            expectMoments(w, mean: 0, variance: variance, mu4: 3 * variance * variance, label)
            let tail = w.filter { Double(abs($0)) > 2 * variance.squareRoot() }.count
            expectFraction(tail, of: w.count, 0.045_500_263_896_358, "\(label) tail beyond 2σ")
        }
    }
    // The xavier names are aliases: the same draws as glorot, bit for bit.
    if text.hasPrefix("xavier") {
        let glorot = "glorot" + text.dropFirst("xavier".count)
        #expect(try Scheme(text).sample(WeightLayout([30, 20]), key: RandomKey(seed: 5)) ==
                (try Scheme(glorot).sample(WeightLayout([30, 20]), key: RandomKey(seed: 5))))
    }
}

/// torch-default draws weight and bias from U(±1/√fan_in) with PyTorch's fan_in (the bounds come
/// from torch's own fan computation and kaiming_uniform_(a=√5) gain): every value inside the
/// bound, the largest of a wide layer close to it, and a 4000-unit bias with the uniform variance
/// bound²/3 within 5 standard errors (μ₄ = 1.8σ⁴).
@Test func torchDefaultDrawsWeightsAndBiasesWithinPyTorchsBounds() throws {
    let references = try fixture.get().torch_default
    let lenet = try ModelSpec("lenet5").build(activation: .relu, inputShape: [1, 28, 28], classCount: 10, key: nil)
    try Scheme("torch-default").apply(to: lenet, context: InitializationContext(key: RandomKey(seed: 11)))
    let mlp = try MLP(widths: [9, 4000, 3], activation: .relu, scope: Scope(key: nil))
    try Scheme("torch-default").apply(to: mlp, context: InitializationContext(key: RandomKey(seed: 12)))
    for r in references {
        let model: any Module = r.path.hasPrefix("layers") ? mlp : lenet
        let weight = try #require(model.parameter(at: r.path + ".weight")).value
        let bias = try #require(model.parameter(at: r.path + ".bias")).value.scalars
        #expect(weight.shape == r.shape)
        for (name, values) in [("weight", weight.scalars), ("bias", bias)] {
            let largest = Double(values.map(abs).max()!)
            #expect(largest <= r.bound * (1 + 1e-6), "\(r.path).\(name): max \(largest) beyond \(r.bound)")
            // P(max < 0.9·bound) = 0.9^n < 1e-6 for n ≥ 150.
            if values.count >= 150 { #expect(largest > 0.9 * r.bound, "\(r.path).\(name): max \(largest) of bound \(r.bound)") }
        }
    }
    let bias = try #require(mlp.parameter(at: "layers.0.bias")).value.scalars
    let variance = 1.0 / (3 * 9)
    expectMoments(bias, mean: 0, variance: variance, mu4: 1.8 * variance * variance, "layers.0.bias")
}

/// ZerO for more output than input channels: the Hadamard block c·H_m[0..<P, 0..<Q] (built by
/// SciPy's scipy.linalg.hadamard) at the centre tap k//2 of every spatial axis and zero elsewhere,
/// for 2-D kernels with P a power of two or not, an even kernel and a 1-D convolution.
@Test func zeroCentreTapMatchesSciPyHadamard() throws {
    for z in try fixture.get().zero {
        let w = try Scheme("zero").sample(try layout(z.shape), key: RandomKey(seed: 0))
        #expect(w.shape == z.shape)
        let mismatches = zip(w.scalars, z.values).filter { abs(Double($0) - $1) > 1e-7 }.count
        #expect(mismatches == 0, "\(z.shape): \(mismatches) entries differ")
    }
}
