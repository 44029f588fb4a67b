import InitiumCore
import Testing
@testable import InitiumNN

/// Mean squared error ⟨(y − t)²⟩ over all n elements has gradient 2(y − t)/n. Checked against
/// central finite differences (h = 1e-2, tolerance 2e-2 relative as in
/// ``expectModuleGradientsMatchFiniteDifferences``: a dropped factor 2 or 1/n errs by O(1)), and
/// the exact values too, in both forms: against a target tensor and against one-hot labels.
@Test func gradientOfMeanSquaredError() throws {
    let y = layerTestTensor([4, 3], seed: 31)
    let t = layerTestTensor([4, 3], seed: 32)
    let labels: [Int32] = [2, 0, 1, 2]
    let oneHot = try Loss.oneHot(labels, classes: 3)
    let mse = try #require(Loss(rawValue: "mse"))
    for (target, loss) in [
        (t, { (y: Tensor) in try Loss.meanSquaredError(y, target: t) }),
        (oneHot, { (y: Tensor) in try mse(y, labels: labels) }),
    ] as [(Tensor, (Tensor) throws -> Tensor)] {
        let p = Parameter(y)
        try loss(p.tracked).backward()
        let analytic = try #require(p.gradient)
        let h: Float = 1e-2
        for i in 0..<y.count {
            var plus = y, minus = y
            plus[flat: i] += h
            minus[flat: i] -= h
            let numeric = (try loss(plus).scalar - loss(minus).scalar) / (2 * h)
            #expect(abs(numeric - analytic[flat: i]) < 2e-2 * max(1, abs(numeric)))
            let exact = 2 * (y[flat: i] - target[flat: i]) / Float(y.count)
            #expect(abs(analytic[flat: i] - exact) <= 1e-6)
        }
    }
}

/// Linear as a module (weight `[out, in]`, bias, inputs of rank 2): its gradients with respect to
/// the input, the weight and the bias against finite differences, with and without bias.
@Test func linearModuleGradients() throws {
    let x = layerTestTensor([5, 7], seed: 41)
    try expectModuleGradientsMatchFiniteDifferences(Linear(7, 3, scope: Scope(key: RandomKey(seed: 42))), input: x, entries: 21)
    try expectModuleGradientsMatchFiniteDifferences(Linear(7, 3, bias: false, scope: Scope(key: RandomKey(seed: 43))), input: x, entries: 21)
}
