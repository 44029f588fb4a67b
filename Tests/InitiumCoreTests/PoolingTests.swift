import Testing
@testable import InitiumCore

private func weighted(_ y: Tensor) throws -> Tensor {
    try (y * testTensor(y.shape, seed: 99)).sum()
}

/// Distinct values at least 0.05 apart (a shuffled ramp), so no finite-difference step of 1e-2
/// changes which tap is the maximum.
private func separatedTensor(_ shape: [Int], seed: UInt64) -> Tensor {
    let n = Shape.count(of: shape)
    let order = Tensor.permutation(n, key: RandomKey(seed: seed))
    return try! Tensor(shape: shape, scalars: order.map { Float($0) * 0.05 - Float(n) * 0.025 })
}

@Test func maxPoolPicksWindowMaxima() throws {
    let x = try Tensor(shape: [1, 1, 4, 4], scalars: (0..<16).map { Float(($0 * 7) % 16) })
    // rows: 0 7 14 5 / 12 3 10 1 / 8 15 6 13 / 4 11 2 9
    #expect(try x.maxPool2d(kernel: 2).scalars == [12, 14, 15, 13])
    #expect(try x.maxPool2d(kernel: 3, stride: 1).scalars == [15, 15, 15, 15])
    #expect(try x.maxPool2d(kernel: 3, stride: 2, padding: 1).scalars == [12, 14, 15, 15])
    #expect(try x.maxPool2d(kernel: 2, stride: 1, dilation: 2).scalars == [14, 15, 12, 11])
}

@Test func averagePoolCountsPaddingAsZeros() throws {
    let x = try Tensor(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
    #expect(try x.avgPool2d(kernel: 2).scalars == [2.5])
    // PyTorch's count_include_pad=True: the corner window holds one pixel and three zeros.
    #expect(try x.avgPool2d(kernel: 2, stride: 1, padding: 1).scalars == [0.25, 0.75, 0.5, 1, 2.5, 1.5, 0.75, 1.75, 1])
    #expect(try x.globalAveragePool2d().scalars == [2.5])
}

@Test func poolingGradientsMatchFiniteDifferences() throws {
    let x = separatedTensor([2, 3, 5, 6], seed: 3)
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.maxPool2d(kernel: 2)) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.maxPool2d(kernel: 3, stride: 2, padding: 1)) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.maxPool2d(kernel: Size2d(2, 3), stride: 1, dilation: 2)) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.avgPool2d(kernel: 3, stride: 2, padding: 1)) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.avgPool2d(kernel: 2)) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.globalAveragePool2d()) }
}

@Test func poolingShapeErrorsNameTheShapes() {
    #expect {
        try Tensor.zeros([1, 2, 3, 3]).maxPool2d(kernel: 5)
    } throws: { error in
        "\(error)".contains("kernel 5×5") && "\(error)".contains("[3, 3]")
    }
    #expect(throws: InitiumError.self) { try Tensor.zeros([2, 3, 3]).avgPool2d(kernel: 2) }
    #expect(throws: InitiumError.self) { try Tensor.zeros([1, 1, 4, 4]).maxPool2d(kernel: 2, padding: 2) }
    #expect(throws: InitiumError.self) { try Tensor.zeros([2, 3]).globalAveragePool2d() }
}
