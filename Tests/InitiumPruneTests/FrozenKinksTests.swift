import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumPrune

/// A one-hidden-layer ReLU network in Double with its activation pattern held fixed: the function
/// reverse-over-reverse differentiation sees, whose Hessian-vector product a tiny central
/// difference then gives to about 10⁻⁸.
private struct ReLUReference {
    let x: [[Double]], labels: [Int32]
    let w1: [Double], b1: [Double], w2: [Double], b2: [Double]
    let (inputs, hidden, classes): (Int, Int, Int)

    /// Gradient with respect to (W1, W2), with the pattern of `pattern` or the current one.
    func gradient(_ w1: [Double], _ w2: [Double], pattern: [[Bool]]? = nil) -> (grad: [Double], pattern: [[Bool]]) {
        var g1 = [Double](repeating: 0, count: w1.count), g2 = [Double](repeating: 0, count: w2.count)
        var used: [[Bool]] = []
        let n = Double(x.count)
        for (s, xs) in x.enumerated() {
            let z1 = (0..<hidden).map { j in b1[j] + (0..<inputs).reduce(0.0) { $0 + w1[j * inputs + $1] * xs[$1] } }
            let on = pattern?[s] ?? z1.map { $0 > 0 }
            used.append(on)
            let a = zip(z1, on).map { $1 ? $0 : 0 }
            let z2 = (0..<classes).map { c in b2[c] + (0..<hidden).reduce(0.0) { $0 + w2[c * hidden + $1] * a[$1] } }
            let m = z2.max()!
            let e = z2.map { exp($0 - m) }
            let p = e.map { $0 / e.reduce(0, +) }
            let d2 = (0..<classes).map { (p[$0] - ($0 == Int(labels[s]) ? 1 : 0)) / n }
            for c in 0..<classes { for j in 0..<hidden { g2[c * hidden + j] += d2[c] * a[j] } }
            for j in 0..<hidden where on[j] {
                let d1 = (0..<classes).reduce(0.0) { $0 + d2[$1] * w2[$1 * hidden + j] }
                for i in 0..<inputs { g1[j * inputs + i] += d1 * xs[i] }
            }
        }
        return (g1 + g2, used)
    }

    func hessianTimes(_ v: [Double]) -> [Double] {
        let pattern = gradient(w1, w2).pattern
        let eps = 1e-6
        let (v1, v2) = (Array(v[..<w1.count]), Array(v[w1.count...]))
        let plus = gradient(zip(w1, v1).map { $0 + eps * $1 }, zip(w2, v2).map { $0 + eps * $1 }, pattern: pattern).grad
        let minus = gradient(zip(w1, v1).map { $0 - eps * $1 }, zip(w2, v2).map { $0 - eps * $1 }, pattern: pattern).grad
        return zip(plus, minus).map { ($0 - $1) / (2 * eps) }
    }
}

@Test func hessianGradientProductOfAReLUNetworkMatchesAutodiffSemantics() throws {
    // 64 examples × 64 hidden units: a plain central difference at δ = 1e-3 crosses a few kinks
    let model = try MLP(widths: [4, 64, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 31)))
    let inputs = try Tensor.normal([64, 4], key: RandomKey(seed: 32))
    let labels = (0..<64).map { Int32($0 % 3) }
    let weights = try PrunableSelection.allWeights.weights(of: model)
    let (l1, l2) = (model.layers.layers[0] as! Linear, model.layers.layers[2] as! Linear)
    let reference = ReLUReference(
        x: (0..<64).map { s in (0..<4).map { Double(inputs[s, $0]) } }, labels: labels,
        w1: l1.weight.value.scalars.map(Double.init), b1: l1.bias!.value.scalars.map(Double.init),
        w2: l2.weight.value.scalars.map(Double.init), b2: l2.bias!.value.scalars.map(Double.init),
        inputs: 4, hidden: 64, classes: 3)
    #expect(try FrozenKinks.record(model, inputs: inputs, mode: .inference) != nil)
    let g = try Gradients.ofLoss(model: model, parameters: weights.map(\.parameter), inputs: inputs, labels: labels, mode: .inference)
    let hg = try Gradients.hessianVectorProduct(
        model: model, parameters: weights.map(\.parameter), inputs: inputs, labels: labels, vector: g, mode: .inference)
    let engine = hg.flatMap { $0.scalars.map(Double.init) }
    let exact = reference.hessianTimes(g.flatMap { $0.scalars.map(Double.init) })
    let scale = exact.map(abs).max()!
    // float32 passes at δ = 1e-3: u/δ ≈ 6e-5 of the gradient's scale; allow 1% of the largest entry
    for (a, b) in zip(engine, exact) { #expect(abs(a - b) < 1e-2 * scale) }
}

@Test func replayingFrozenKinksAtTheReferencePointReproducesTheModel() throws {
    // a convolutional network with ReLUs and 2×2 max-pooling
    let model = try ModelSpec("conv2").build(activation: .relu, inputShape: [1, 12, 12], classCount: 3, key: RandomKey(seed: 4))
    let inputs = try Tensor.normal([2, 1, 12, 12], key: RandomKey(seed: 5))
    let kinks = try #require(try FrozenKinks.record(model, inputs: inputs, mode: .inference))
    let context = ForwardContext(mode: .inference)
    context.interceptor = kinks.interceptor()
    let replayed = try model.forward(inputs, context: context)
    let plain = try model(inputs)
    for k in 0..<plain.count { #expect(abs(replayed[flat: k] - plain[flat: k]) <= 1e-5 * max(1, abs(plain[flat: k]))) }
}

@Test func residualNetworksAreNotFrozen() throws {
    let model = try ModelSpec("resnet8").build(activation: .relu, inputShape: [3, 8, 8], classCount: 3, key: RandomKey(seed: 4))
    #expect(try FrozenKinks.record(model, inputs: Tensor.normal([2, 3, 8, 8], key: RandomKey(seed: 1)), mode: .inference) == nil)
}

@Test func graspReportsWhetherItsHessianProductIsExact() throws {
    let resnet = try ModelSpec("resnet8").build(activation: .relu, inputShape: [3, 8, 8], classCount: 3, key: RandomKey(seed: 4))
    let lenet = try ModelSpec("lenet5").build(activation: .relu, inputShape: [1, 28, 28], classCount: 10, key: RandomKey(seed: 4))
    let mlp = try ModelSpec("mlp:6-5-5-3").build(activation: .relu, inputShape: [6], classCount: 3, key: RandomKey(seed: 4))
    #expect(!GraSPScore.hasExactHessianProduct(for: resnet))
    #expect(GraSPScore.hasExactHessianProduct(for: lenet))
    #expect(GraSPScore.hasExactHessianProduct(for: mlp))
}
