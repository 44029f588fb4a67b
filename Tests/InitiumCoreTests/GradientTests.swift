import Testing
@testable import InitiumCore

/// Every differentiable primitive against central finite differences (see
/// `expectGradientMatchesFiniteDifferences` for the tolerance's origin). Each function reduces to
/// a scalar through a fixed random weighting, so every output element's gradient is exercised.
private func weighted(_ y: Tensor) throws -> Tensor {
    try (y * testTensor(y.shape, seed: 99)).sum()
}

@Test func gradientsOfBroadcastingArithmetic() throws {
    let b = testTensor([1, 4], seed: 2)
    let c = testTensor([3, 1], seed: 3, low: 0.5, high: 1.5)
    try expectGradientMatchesFiniteDifferences(testTensor([3, 4])) { x in try weighted(x + b) }
    try expectGradientMatchesFiniteDifferences(testTensor([1, 4])) { x in try weighted(c - x) }
    try expectGradientMatchesFiniteDifferences(testTensor([3, 4])) { x in try weighted(x * c) }
    try expectGradientMatchesFiniteDifferences(testTensor([3, 1], low: 0.5, high: 1.5)) { x in try weighted(b / x) }
    try expectGradientMatchesFiniteDifferences(testTensor([3, 4])) { x in try weighted(x / c) }
    try expectGradientMatchesFiniteDifferences(testTensor([3, 4])) { x in try weighted((x * 3 + 1) - 2 * x) }
    // Inputs at least 0.05 from the other operand, so no finite difference straddles a tie.
    let left = try Tensor(shape: [3, 4], scalars: [-0.9, 0.5, 0.2, 0.95, 0.3, -0.6, 0.7, -0.2, 0.1, 0.0, -0.5, 0.6])
    let right = try Tensor(shape: [4], scalars: [0.05, -0.35, 0.45, 0.85])
    try expectGradientMatchesFiniteDifferences(left) { x in try weighted(x.maximum(right)) }
    try expectGradientMatchesFiniteDifferences(right) { x in try weighted(left.maximum(x)) }
}

@Test(arguments: [
    PointwiseFunction.identity, .relu, .tanh, .sigmoid, .gelu, .geluTanh, .silu, .selu, .leakyReLU(slope: 0.1),
    .elu(alpha: 1.2), .softplus(beta: 2), .sine(omega: 3), .sinc(omega: 2), .gaussian(width: 0.8), .shiftedReLU(tau: 0.2),
    .softThreshold(tau: 0.3), .clippedReLU(tau: 0.1, clip: 0.5), .clippedSoftThreshold(tau: 0.2, clip: 0.4),
    .exp, .square, .abs, .sin, .cos,
    // KAT's GELU fit (its denominator's only real root in the test range is 0, a listed kink)
    .rational(numerator: [-0.00153969, 0.51692871, 0.44075827, 0.0972553, -0.00884418, -0.00378675],
              denominator: [-0.14171056, -0.06481231, -0.0444695, 0.01283776]),
])
func gradientsOfPointwiseFunctions(function: PointwiseFunction) throws {
    // Values within 2h of a kink make the finite difference straddle it; keep inputs away.
    let kinks: [Float] = [0, 0.2, -0.2, 0.3, -0.3, 0.1, 0.6, 0.4, -0.4, 0.6, -0.6]
    let x = testTensor([5, 7]).mapped { v in
        var moved = v
        while kinks.contains(where: { abs(moved - $0) < 0.03 }) { moved += 0.07 }
        return moved
    }
    try expectGradientMatchesFiniteDifferences(x) { try weighted(function.apply($0)) }
}

@Test func gradientsOfLogSqrtPow() throws {
    let positive = testTensor([4, 3], low: 0.5, high: 2)
    try expectGradientMatchesFiniteDifferences(positive) { try weighted($0.log()) }
    try expectGradientMatchesFiniteDifferences(positive) { try weighted($0.sqrt()) }
    try expectGradientMatchesFiniteDifferences(positive) { try weighted($0.pow(1.7)) }
}

@Test func gradientsOfReductions() throws {
    let x = testTensor([3, 4, 5])
    try expectGradientMatchesFiniteDifferences(x) { try $0.sum() }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.sum(axes: [1])) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.sum(axes: [0, 2], keepDims: true)) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.mean(axes: [-1])) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.variance(axes: [0, 2])) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.max(axis: 1)) }
}

@Test func gradientsOfMovementOps() throws {
    let x = testTensor([2, 3, 4])
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.reshaped([4, -1])) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.permuted([2, 0, 1])) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.transposed()) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.slice(axis: 1, 1..<3)) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.indexSelect(axis: 2, [3, 0, 3, 1])) }
    try expectGradientMatchesFiniteDifferences(testTensor([1, 4])) { try weighted($0.broadcast(to: [3, 4])) }
    let other = testTensor([2, 2, 4], seed: 5)
    try expectGradientMatchesFiniteDifferences(x) { try weighted(Tensor.concatenate([$0, other], axis: 1)) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted(Tensor.stack([$0, $0 * 2], axis: 1)) }
    let condition = testTensor([2, 3, 4], seed: 8).isGreater(than: 0)
    try expectGradientMatchesFiniteDifferences(x) { try weighted(Tensor.select(where: condition, $0, $0 * 3)) }
}

@Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
func gradientsOfMatmul(transposes: (Bool, Bool)) throws {
    let (ta, tb) = transposes
    let a = testTensor(ta ? [4, 3] : [3, 4], seed: 1)
    let b = testTensor(tb ? [5, 4] : [4, 5], seed: 2)
    try expectGradientMatchesFiniteDifferences(a) { try weighted($0.matmul(b, transposeSelf: ta, transposeOther: tb)) }
    try expectGradientMatchesFiniteDifferences(b) { try weighted(a.matmul($0, transposeSelf: ta, transposeOther: tb)) }
}

@Test func gradientsOfBatchedMatmul() throws {
    let a = testTensor([2, 3, 4], seed: 1)
    let shared = testTensor([4, 5], seed: 2)
    try expectGradientMatchesFiniteDifferences(a) { try weighted($0.matmul(shared)) }
    try expectGradientMatchesFiniteDifferences(shared) { try weighted(a.matmul($0)) }
    let batched = testTensor([2, 5, 4], seed: 3)
    try expectGradientMatchesFiniteDifferences(batched) { try weighted(a.matmul($0, transposeOther: true)) }
    try expectGradientMatchesFiniteDifferences(a) { try weighted(shared.matmul($0, transposeSelf: true, transposeOther: true)) }
}

@Test func gradientsOfAffine() throws {
    let x = testTensor([3, 4], seed: 1), w = testTensor([5, 4], seed: 2), b = testTensor([5], seed: 3)
    try expectGradientMatchesFiniteDifferences(x) { try weighted(Tensor.affine($0, weight: w, bias: b)) }
    try expectGradientMatchesFiniteDifferences(w) { try weighted(Tensor.affine(x, weight: $0, bias: b)) }
    try expectGradientMatchesFiniteDifferences(b) { try weighted(Tensor.affine(x, weight: w, bias: $0)) }
    try expectGradientMatchesFiniteDifferences(w) { try weighted(Tensor.affine(x, weight: $0, bias: nil)) }
}

@Test func gradientsOfSoftmaxAndCrossEntropy() throws {
    let logits = testTensor([4, 6]) * 3
    try expectGradientMatchesFiniteDifferences(logits) { try weighted($0.logSoftmax()) }
    try expectGradientMatchesFiniteDifferences(logits) { try $0.softmaxCrossEntropy(labels: [0, 5, 2, 2]) }
}
