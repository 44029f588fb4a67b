import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumPrune

/// Softmax regression, logits = x·Wᵀ + b, the one model whose loss gradient and Hessian have a
/// closed form to test the scores against: with pₛ = softmax(zₛ/T), yₛ one-hot,
///   ∂L/∂W_ai = (1/nT) Σₛ (p_sa − y_sa) x_si,
///   H_(ai),(bj) = (1/nT²) Σₛ (p_sa δ_ab − p_sa p_sb) x_si x_sj.
private struct SoftmaxRegression {
    let model: MLP
    let x: Tensor
    let labels: [Int32]
    var weight: Parameter { (model.layers.layers[0] as! Linear).weight }
    var weightsToScore: [PrunableWeight] { try! PrunableSelection.allWeights.weights(of: model) }

    init() throws {
        model = try MLP(widths: [4, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 21)))
        x = try Tensor.normal([6, 4], key: RandomKey(seed: 22))
        labels = [0, 1, 2, 2, 1, 0]
    }

    func probabilities(temperature: Double) -> [[Double]] {
        let logits = try! model(x)
        return (0..<6).map { s in
            let z = (0..<3).map { Double(logits[s, $0]) / temperature }
            let m = z.max()!
            let e = z.map { exp($0 - m) }
            return e.map { $0 / e.reduce(0, +) }
        }
    }

    func gradient(temperature: Double) -> [Double] {
        let p = probabilities(temperature: temperature)
        var g = [Double](repeating: 0, count: 12)
        for s in 0..<6 {
            for a in 0..<3 {
                let r = p[s][a] - (Int(labels[s]) == a ? 1 : 0)
                for i in 0..<4 { g[a * 4 + i] += r * Double(x[s, i]) / (6 * temperature) }
            }
        }
        return g
    }

    func hessianTimes(_ v: [Double], temperature: Double) -> [Double] {
        let p = probabilities(temperature: temperature)
        var out = [Double](repeating: 0, count: 12)
        for s in 0..<6 {
            for a in 0..<3 {
                for b in 0..<3 {
                    let curvature = (a == b ? p[s][a] : 0) - p[s][a] * p[s][b]
                    for i in 0..<4 {
                        for j in 0..<4 {
                            out[a * 4 + i] += curvature * Double(x[s, i]) * Double(x[s, j]) * v[b * 4 + j] / (6 * temperature * temperature)
                        }
                    }
                }
            }
        }
        return out
    }
}

@Test func snipEqualsTheMagnitudeOfWeightTimesAnIndependentGradient() throws {
    let problem = try SoftmaxRegression()
    let data = ScoringData(inputs: problem.x, labels: problem.labels, exampleShape: [4], key: RandomKey(seed: 0))
    let scores = try SNIPScore().scores(model: problem.model, weights: problem.weightsToScore, data: data)[0].scalars
    let g = problem.gradient(temperature: 1)
    let w = problem.weight.value.scalars
    for k in 0..<12 {
        // float32 forward and backward against a double closed form: a few ulps of the largest term
        #expect(abs(Double(scores[k]) - abs(Double(w[k]) * g[k])) < 1e-6 + 1e-4 * abs(Double(w[k]) * g[k]))
    }
    #expect(problem.weight.gradient == nil)
}

@Test(arguments: [1.0, 200.0])
func hessianGradientProductMatchesTheExactHessian(temperature: Double) throws {
    let problem = try SoftmaxRegression()
    let before = try problem.model(problem.x)
    let g = try Gradients.ofLoss(
        model: problem.model, parameters: [problem.weight], inputs: problem.x, labels: problem.labels,
        temperature: Float(temperature), mode: .inference)
    let hg = try Gradients.hessianVectorProduct(
        model: problem.model, parameters: [problem.weight], inputs: problem.x, labels: problem.labels, vector: g,
        temperature: Float(temperature), mode: .inference)[0].scalars.map(Double.init)
    let exact = problem.hessianTimes(g[0].scalars.map(Double.init), temperature: temperature)
    let scale = exact.map(abs).max()!
    // central difference with δ = 1e-3 in float32: O(δ²) truncation plus rounding. At T = 200 the
    // probabilities sit near 1/3 and move by only ~δ·|z|/T ≈ 5e-6, so float32's u·p ≈ 2e-8 is ~1%
    let tolerance = temperature > 1 ? 2e-2 : 2e-3
    for k in 0..<12 { #expect(abs(hg[k] - exact[k]) < tolerance * scale) }
    // and the values were restored: outputs equal those before the product, bit for bit
    #expect(try problem.model(problem.x) == before)
}

@Test func graspScoresAreWeightTimesHessianGradient() throws {
    let problem = try SoftmaxRegression()
    let data = ScoringData(inputs: problem.x, labels: problem.labels, exampleShape: [4], key: RandomKey(seed: 0))
    let before = problem.weight.value
    let scores = try GraSPScore(temperature: 1).scores(model: problem.model, weights: problem.weightsToScore, data: data)[0].scalars
    #expect(problem.weight.value == before)
    let exact = problem.hessianTimes(problem.gradient(temperature: 1), temperature: 1)
    let expected = zip(before.scalars, exact).map { Double($0) * $1 }
    let scale = expected.map(abs).max()!
    for k in 0..<12 { #expect(abs(Double(scores[k]) - expected[k]) < 2e-3 * scale) }
}

/// A bias-free ReLU MLP, where SynFlow's conservation law is exact.
private func biasFreeMLP() throws -> MLP {
    try MLP(widths: [5, 8, 6, 3], activation: .relu, bias: false, scope: Scope(key: RandomKey(seed: 8)))
}

@Test func synflowScoresOfEveryLayerSumToTheSynapticFlow() throws {
    let model = try biasFreeMLP()
    let weights = try PrunableSelection.allWeights.weights(of: model)
    let scores = try SynFlowScore().scores(model: model, weights: weights, data: ScoringData(exampleShape: [5], key: RandomKey(seed: 0)))
    // R computed independently: the |θ| network on an all-ones input
    var h = [Double](repeating: 1, count: 5)
    for w in weights {
        let (rows, columns) = (w.parameter.shape[0], w.parameter.shape[1])
        h = (0..<rows).map { i in (0..<columns).reduce(0.0) { $0 + abs(Double(w.parameter.value[i, $1])) * h[$1] } }
    }
    let r = h.reduce(0, +)
    for s in scores {
        let layerSum = s.scalars.reduce(0.0) { $0 + Double($1) }
        #expect(relativeError(layerSum, r) < 1e-5)
    }
}

@Test func synflowScoresAreInvariantToRescalingOneLayerUpAndTheNextDown() throws {
    let model = try biasFreeMLP()
    let weights = try PrunableSelection.allWeights.weights(of: model)
    let data = ScoringData(exampleShape: [5], key: RandomKey(seed: 0))
    let before = try SynFlowScore().scores(model: model, weights: weights, data: data)
    weights[0].parameter.value = weights[0].parameter.value * 4
    weights[1].parameter.value = weights[1].parameter.value * 0.25
    let after = try SynFlowScore().scores(model: model, weights: weights, data: data)
    for (b, a) in zip(before, after) {
        for k in 0..<b.count { #expect(relativeError(Double(a[flat: k]), Double(b[flat: k])) < 1e-5) }
    }
}

@Test func iterativeSynflowAvoidsTheCollapseThatGlobalMagnitudeCauses() throws {
    // torch-default weights of the 64-input layer are larger than those of the 128-input layer, so
    // keeping the 1% largest magnitudes globally removes the second layer entirely
    func fresh() throws -> MLP { try MLP(widths: [64, 128, 64, 10], activation: .relu, scope: Scope(key: RandomKey(seed: 2))) }
    let data = ScoringData(exampleShape: [64], key: RandomKey(seed: 0))
    #expect(throws: InitiumError.self) {
        _ = try PruningPlan(method: .magnitude, density: 0.01).prune(try fresh(), data: data)
    }
    let mask = try PruningPlan(method: .synflow, density: 0.01).prune(try fresh(), data: data)
    #expect(mask.collapsedPaths.isEmpty)
    #expect(mask.remainingCounts.reduce(0, +) == Int((0.01 * Double(64 * 128 + 128 * 64)).rounded()))
}

@Test func randomScoresDependOnlyOnKeyAndPath() throws {
    let model = try biasFreeMLP()
    let weights = try PrunableSelection.allWeights.weights(of: model)
    let a = try RandomScore().scores(model: model, weights: weights, data: ScoringData(exampleShape: [5], key: RandomKey(seed: 1)))
    let b = try RandomScore().scores(model: model, weights: weights, data: ScoringData(exampleShape: [5], key: RandomKey(seed: 1)))
    let c = try RandomScore().scores(model: model, weights: weights, data: ScoringData(exampleShape: [5], key: RandomKey(seed: 2)))
    #expect(a == b)
    #expect(a != c)
}

@Test func dataDrivenScoresWithoutDataAreUserErrors() throws {
    let model = try biasFreeMLP()
    #expect(throws: InitiumError.self) {
        _ = try PruningPlan(method: .snip, density: 0.5).prune(model, data: ScoringData(exampleShape: [5], key: RandomKey(seed: 0)))
    }
}
