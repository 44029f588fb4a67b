import Foundation
import Testing
@testable import InitiumCore

@Test func arithmeticBroadcastsLikeNumPy() throws {
    let a = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    let row = try Tensor(shape: [3], scalars: [10, 20, 30])
    let column = try Tensor(shape: [2, 1], scalars: [100, 200])
    #expect(try (a + row).scalars == [11, 22, 33, 14, 25, 36])
    #expect(try (a * column).scalars == [100, 200, 300, 800, 1000, 1200])
    #expect(try (row + column).shape == [2, 3])
    #expect(try (row - column).scalars == [-90, -80, -70, -190, -180, -170])
}

@Test func shapeErrorsNameBothShapes() throws {
    let a = Tensor.zeros([2, 3]), b = Tensor.zeros([4])
    #expect(throws: InitiumError.shapeMismatch(operation: "add", lhs: [2, 3], rhs: [4])) { try a + b }
    #expect(throws: InitiumError.shapeMismatch(operation: "matmul", lhs: [2, 3], rhs: [2, 3])) { try a.matmul(a) }
    let message = InitiumError.shapeMismatch(operation: "add", lhs: [2, 3], rhs: [4]).description
    #expect(message.contains("[2, 3]") && message.contains("[4]"))
}

@Test func reductionsOverAxes() throws {
    let x = try Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
    #expect(try x.sum().scalar == 21)
    #expect(try x.sum(axes: [0]).scalars == [5, 7, 9])
    #expect(try x.sum(axes: [1], keepDims: true).shape == [2, 1])
    #expect(try x.mean(axes: [1]).scalars == [3, 4])
    #expect(try x.max(axis: 1).scalars == [5, 6])
    #expect(try x.argmax(axis: 1) == [1, 2])
    #expect(try x.argmax(axis: 0) == [1, 0, 1])
    let v = try x.variance(axes: [1]).scalars
    #expect(abs(v[0] - 8.0 / 3) < 1e-6 && abs(v[1] - 8.0 / 3) < 1e-6)
    #expect(throws: InitiumError.self) { try x.sum(axes: [2]) }
}

@Test func matmulAgreesWithNaiveProduct() throws {
    let a = testTensor([7, 5], seed: 1), b = testTensor([5, 3], seed: 2)
    let c = try a.matmul(b)
    for i in 0..<7 {
        for j in 0..<3 {
            var s: Float = 0
            for k in 0..<5 { s += a[i, k] * b[k, j] }
            #expect(abs(c[i, j] - s) < 1e-5)
        }
    }
    let ct = try b.matmul(a, transposeSelf: true, transposeOther: true)
    #expect(try ct.transposed().scalars.enumerated().allSatisfy { abs($0.element - c[flat: $0.offset]) < 1e-5 })
}

@Test func movementOps() throws {
    let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
    #expect(try x.transposed().scalars == [1, 4, 2, 5, 3, 6])
    #expect(try x.reshaped([3, -1]).shape == [3, 2])
    #expect(throws: InitiumError.self) { try x.reshaped([4, -1]) }
    #expect(try x.slice(axis: 1, 1..<3).scalars == [2, 3, 5, 6])
    #expect(try Tensor.concatenate([x, x], axis: 0).shape == [4, 3])
    #expect(try Tensor.concatenate([x, x], axis: 1).scalars == [1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6])
    #expect(try Tensor.stack([x, x], axis: 0).shape == [2, 2, 3])
    #expect(try x.indexSelect(axis: 0, [1, 1, 0]).scalars == [4, 5, 6, 4, 5, 6, 1, 2, 3])
    #expect(throws: InitiumError.self) { try x.indexSelect(axis: 0, [2]) }
    let selected = try Tensor.select(where: x.isGreater(than: 3), x, Tensor(0))
    #expect(selected.scalars == [0, 0, 0, 4, 5, 6])
}

@Test func copyOnWriteKeepsValuesIndependent() {
    let a = Tensor.ones([4])
    var b = a
    b[flat: 0] = 7
    #expect(a[flat: 0] == 1 && b[flat: 0] == 7)
    var c = a
    c.addInPlace(a)
    #expect(a.scalars == [1, 1, 1, 1] && c.scalars == [2, 2, 2, 2])
}

@Test func logSoftmaxIsStableForLargeLogits() throws {
    let x = try Tensor(shape: [1, 3], scalars: [1000, 1001, 1002])
    let y = try x.logSoftmax()
    #expect(y.scalars.allSatisfy { $0.isFinite })
    let total = y.scalars.map { Foundation.exp(Double($0)) }.reduce(0, +)
    // Float32 spacing near 1000 is 6.1e-5, so each log-probability carries up to that error.
    #expect(abs(total - 1) < 2e-4)
    // −log softmax(x)₂ = log(1 + e⁻¹ + e⁻²) = 0.40760596444… (Python's math.log1p in double),
    // within the same spacing as the log-probabilities above: the log-sum-exp near 1002.4 is a
    // Float32 with spacing 6.1e-5. Two-sided: 0.31 (a dropped e⁻²) or 1.41 (a dropped max) fail.
    let crossEntropy = Double(try x.softmaxCrossEntropy(labels: [2]).scalar)
    #expect(abs(crossEntropy - 0.4076059644443803) <= 0x1p-14, "\(crossEntropy)")
}

@Test func gradientsAccumulateUntilZeroedAndTapeIsFreed() throws {
    let p = Parameter(try Tensor(shape: [3], scalars: [1, 2, 3]))
    let loss1 = try (p.tracked * p.tracked).sum()
    try loss1.backward()
    #expect(p.gradient?.scalars == [2, 4, 6])
    let loss2 = try (p.tracked * 2).sum()
    try loss2.backward()
    #expect(p.gradient?.scalars == [4, 6, 8])
    #expect(throws: InitiumError.self) { try loss2.backward() }
    p.zeroGradient()
    #expect(p.gradient == nil)
}

/// The vectorized transcendentals against libm in Double over a wide range: relative error
/// below 4e-7 (about 3 Float32 ulps), absolute below 1e-7 near zero crossings.
@Test func vectorizedActivationsMatchLibm() throws {
    let values = (-4000...4000).map { Float($0) / 400 }
    let x = try Tensor(shape: [values.count], scalars: values)
    let checks: [(PointwiseFunction, (Double) -> Double)] = [
        (.tanh, { Foundation.tanh($0) }), (.sigmoid, { 1 / (1 + Foundation.exp(-$0)) }),
        (.exp, { Foundation.exp($0) }), (.elu(alpha: 1), { $0 > 0 ? $0 : Foundation.expm1($0) }),
        (.silu, { $0 / (1 + Foundation.exp(-$0)) }), (.gaussian(width: 1), { Foundation.exp(-$0 * $0 / 2) }),
        (.gelu, { $0 * 0.5 * Foundation.erfc(-$0 / 2.0.squareRoot()) }),
        (.geluTanh, { 0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }),
    ]
    for (function, reference) in checks {
        let y = function.apply(x)
        for (i, v) in values.enumerated() {
            let expected = reference(Double(v))
            let error = abs(Double(y[flat: i]) - expected)
            #expect(error <= 4e-7 * abs(expected) + 1e-7, "\(function) at \(v): \(y[flat: i]) vs \(expected)")
        }
    }
}
