import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumPrune

@Test func jacobiEigenvaluesOfKnownMatrices() {
    #expect(SymmetricEigenvalues.of([2, 1, 1, 2], n: 2).enumerated().allSatisfy { abs($0.element - [1.0, 3.0][$0.offset]) < 1e-12 })
    // a random symmetric matrix: the eigenvalues' sum is the trace and their squares sum to ‖A‖²_F
    let n = 12
    var a = [Double](repeating: 0, count: n * n)
    for i in 0..<n { for j in i..<n { let v = sin(Double(7 * i + 3 * j + 1)); a[i * n + j] = v; a[j * n + i] = v } }
    let values = SymmetricEigenvalues.of(a, n: n)
    let trace: Double = (0..<n).map { a[$0 * n + $0] }.reduce(0, +)
    let frobenius: Double = a.map { $0 * $0 }.reduce(0, +)
    let sum: Double = values.reduce(0, +)
    let sumOfSquares: Double = values.map { $0 * $0 }.reduce(0, +)
    #expect(abs(sum - trace) < 1e-10)
    #expect(abs(sumOfSquares - frobenius) < 1e-9)
}

@Test func jacobianCovarianceOfALinearModelHasItsClosedForm() throws {
    // f(x) = Wx + b: every example's Jacobian row is Σ_c W_c, the correlations are all 1, and the
    // eigenvalues are N once and 0 (N − 1 times)
    let model = try MLP(widths: [5, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 1)))
    let inputs = try Tensor.normal([8, 5], key: RandomKey(seed: 2))
    let k = 1e-5
    let expected = -((log(8 + k) + 1 / (8 + k)) + 7 * (log(k) + 1 / k))
    #expect(relativeError(try JacobianCovariance.score(model, inputs: inputs, mode: .training), expected) < 1e-6)
}

@Test func fisherEqualsItsDefinitionOnSoftmaxRegression() throws {
    // one linear layer: a = x·Wᵀ + b and ∂L/∂a = (softmax(a) − onehot)/N, computed here directly
    let model = try MLP(widths: [4, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 5)))
    let inputs = try Tensor.normal([10, 4], key: RandomKey(seed: 6))
    let labels: [Int32] = [0, 1, 2, 0, 1, 2, 0, 1, 2, 0]
    let logits = try model(inputs)
    var expected = 0.0
    for c in 0..<3 {
        var squares = 0.0
        for s in 0..<10 {
            let z = (0..<3).map { Double(logits[s, $0]) }
            let p = exp(z[c]) / z.map(exp).reduce(0, +)
            let g = (p - (Int(labels[s]) == c ? 1 : 0)) / 10
            squares += pow(Double(logits[s, c]) * g, 2)
        }
        expected += 0.5 * squares / 10
    }
    #expect(relativeError(try FisherProxy.score(model, inputs: inputs, labels: labels, mode: .training), expected) < 1e-4)
}

@Test func gradSignCountsSignAgreementPerWeight() throws {
    let a = try Tensor(shape: [4], scalars: [1, -2, 0, 3])
    let b = try Tensor(shape: [4], scalars: [2, 1, 0, 1])
    let c = try Tensor(shape: [4], scalars: [5, -1, 1, -4])
    let score = GradSign.score(perExample: [[a], [b], [c]])
    // per weight: |1+1+1| + |−1+1−1| + |0+0+1| + |1+1−1| = 3 + 1 + 1 + 1
    #expect(score.sum == 6)
    #expect(score.mean == 1.5)
}

@Test func proxiesOfASmallNetworkAreFiniteAndConsistent() throws {
    let (train, _) = try blobs()
    let recipe = try smallRecipe("mlp:2-16-16-3")
    let scores = try ProxyScores.measure(recipe: recipe, train: train, batchSize: 16, seed: 1)
    let values = [scores.synflow, scores.snip, scores.grasp, scores.fisher, scores.gradNorm, scores.jacobCov, scores.gradsignSum, scores.gradsignMean]
    #expect(values.allSatisfy { $0.isFinite })
    #expect(scores.synflow > 0 && scores.snip > 0 && scores.gradNorm > 0 && scores.fisher > 0)
    #expect(relativeError(scores.gradsignSum / scores.gradsignMean, Double(2 * 16 + 16 * 16 + 16 * 3)) < 1e-12)
    // the same seed gives the same network and batch
    #expect(try ProxyScores.measure(recipe: recipe, train: train, batchSize: 16, seed: 1) == scores)
}
