import Foundation
import Testing
@testable import InitiumCore

/// The transformer's primitives (scaled batched matmul, attention mask, softmax, embedding
/// lookup, RMS normalization) against central finite differences (tolerance of
/// ``expectGradientMatchesFiniteDifferences``) and against direct formulas.
private func weighted(_ y: Tensor) throws -> Tensor {
    try (y * testTensor(y.shape, seed: 99)).sum()
}

@Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
func gradientsOfScaledBatchedMatmul(transposes: (Bool, Bool)) throws {
    let (ta, tb) = transposes
    let a = testTensor(ta ? [2, 3, 4, 3] : [2, 3, 3, 4], seed: 1)
    let b = testTensor(tb ? [2, 3, 5, 4] : [2, 3, 4, 5], seed: 2)
    try expectGradientMatchesFiniteDifferences(a) { try weighted($0.matmul(b, transposeSelf: ta, transposeOther: tb, alpha: 0.7)) }
    try expectGradientMatchesFiniteDifferences(b) { try weighted(a.matmul($0, transposeSelf: ta, transposeOther: tb, alpha: 0.7)) }
}

/// Each batch of the product equals the plain matrix product of that batch's matrices, times α.
@Test func batchedMatmulMultipliesEachBatch() throws {
    let a = testTensor([3, 2, 4, 5], seed: 3), b = testTensor([3, 2, 6, 5], seed: 4)
    let c = try a.matmul(b, transposeOther: true, alpha: 0.5)
    #expect(c.shape == [3, 2, 4, 6])
    for batch in 0..<6 {
        for i in 0..<4 {
            for j in 0..<6 {
                var sum: Double = 0
                for k in 0..<5 { sum += Double(a[flat: batch * 20 + i * 5 + k]) * Double(b[flat: batch * 30 + j * 5 + k]) }
                #expect(abs(Double(c[flat: batch * 24 + i * 6 + j]) - 0.5 * sum) < 1e-5)
            }
        }
    }
}

/// Batches shared over two workers give the same bits as one thread, forward and backward
/// (`Parallel.widestSplit` shows the work really was split).
@Test func batchedMatmulIsBitIdenticalAtOneAndTwoThreads() throws {
    let a = testTensor([4, 4, 33, 16], seed: 5), b = testTensor([4, 4, 33, 16], seed: 6)
    func run(_ threads: Int) throws -> (values: [Float], gradient: [Float], split: Int?) {
        try Parallel.withThreadCount(threads) {
            let p = Parameter(a)
            let c = try p.tracked.matmul(b, transposeOther: true, alpha: 0.25)
            try weighted(c).backward()
            return (c.scalars, p.gradient!.scalars, Parallel.widestSplit)
        }
    }
    let one = try run(1), two = try run(2)
    #expect(two.split == 2)
    #expect(one.values.map(\.bitPattern) == two.values.map(\.bitPattern))
    #expect(one.gradient.map(\.bitPattern) == two.gradient.map(\.bitPattern))
}

@Test func softmaxIsNormalizedAndStable() throws {
    let x = try Tensor(shape: [2, 3], scalars: [1000, 1001, 1002, -1, 0, 1])
    let p = try x.softmax()
    let e = [exp(-2.0), exp(-1.0), 1.0]
    let z = e.reduce(0, +)
    for row in 0..<2 {
        for j in 0..<3 { #expect(abs(Double(p[row, j]) - e[j] / z) < 1e-6) }
    }
}

@Test func gradientsOfSoftmaxWithAndWithoutMask() throws {
    let scores = testTensor([2, 2, 3, 3], seed: 8) * 2
    try expectGradientMatchesFiniteDifferences(testTensor([3, 11], seed: 9) * 3) { try weighted($0.softmax()) }
    let mask = AttentionMask(causal: true, keyPadding: [false, false, true, false, false, false])
    try expectGradientMatchesFiniteDifferences(scores) { try weighted($0.softmax(mask: mask)) }
}

/// Causal: row i sees keys 0…i; padding: padded keys get probability 0 in every row; the rest
/// is the softmax of the visible scores alone.
@Test func maskedSoftmaxHidesFutureAndPaddedKeys() throws {
    let scores = testTensor([2, 1, 3, 3], seed: 10)
    let p = try scores.softmax(mask: AttentionMask(causal: true, keyPadding: [false, false, false, false, true, false]))
    for b in 0..<2 {
        for i in 0..<3 {
            let visible = (0..<3).filter { $0 <= i && !(b == 1 && $0 == 1) }
            let z = visible.map { exp(Double(scores[b, 0, i, $0])) }.reduce(0, +)
            for j in 0..<3 {
                let expected = visible.contains(j) ? exp(Double(scores[b, 0, i, j])) / z : 0
                #expect(abs(Double(p[b, 0, i, j]) - expected) < 1e-6, "b \(b) i \(i) j \(j)")
            }
        }
    }
    // a row with every key hidden is all zeros, not NaN
    let hidden = try testTensor([1, 1, 2, 2], seed: 11).softmax(mask: AttentionMask(causal: false, keyPadding: [true, true]))
    #expect(hidden.scalars == [0, 0, 0, 0])
    // −∞ entries are hidden too, and a mask of the wrong size is refused
    let withInfinity = try Tensor(shape: [1, 3], scalars: [0, -.infinity, 0]).softmax()
    #expect(withInfinity.scalars == [0.5, 0, 0.5])
    #expect(throws: InitiumError.self) { try scores.softmax(mask: AttentionMask(causal: false, keyPadding: [true])) }
    #expect(throws: InitiumError.self) { try testTensor([2, 3], seed: 1).softmax(mask: AttentionMask(causal: true)) }
}

@Test func embeddingLookupGathersRowsAndScattersGradients() throws {
    let table = testTensor([5, 3], seed: 12)
    let ids = try Tensor(shape: [2, 3], scalars: [4, 0, 4, 2, 1, 0])
    let y = try table.embeddingLookup(ids)
    #expect(y.shape == [2, 3, 3])
    for (position, id) in [4, 0, 4, 2, 1, 0].enumerated() {
        for j in 0..<3 { #expect(y[flat: position * 3 + j] == table[id, j]) }
    }
    try expectGradientMatchesFiniteDifferences(table) { try weighted($0.embeddingLookup(ids)) }
    // the padding row gets no gradient; the others the sum over their positions
    let p = Parameter(table)
    try p.tracked.embeddingLookup(ids, paddingIndex: 0).sum().backward()
    let g = try #require(p.gradient)
    #expect((0..<3).map { g[0, $0] } == [0, 0, 0])
    #expect((0..<3).map { g[4, $0] } == [2, 2, 2])
    #expect((0..<3).map { g[3, $0] } == [0, 0, 0])
}

@Test(arguments: [Float(5), -1, 2.5, .nan])
func embeddingLookupRefusesBadIds(id: Float) throws {
    let ids = try Tensor(shape: [1, 2], scalars: [1, id])
    #expect(throws: InitiumError.self) { try testTensor([5, 3], seed: 1).embeddingLookup(ids) }
}

@Test func embeddingErrorNamesTheId() throws {
    do {
        _ = try testTensor([5, 3], seed: 1).embeddingLookup(Tensor(shape: [1], scalars: [300]))
        Issue.record("no error")
    } catch let error as InitiumError {
        #expect(error.description.contains("300") && error.description.contains("0..<5"))
    }
}

@Test func rmsNormalizationMatchesItsFormulaAndGradients() throws {
    let x = testTensor([4, 6], seed: 13) * 2
    let g = testTensor([6], seed: 14, low: 0.5, high: 1.5)
    let y = try x.rmsNormalized(scale: g, epsilon: 1e-5)
    for r in 0..<4 {
        let ms = (0..<6).map { Double(x[r, $0]) * Double(x[r, $0]) }.reduce(0, +) / 6
        for j in 0..<6 {
            #expect(abs(Double(y[r, j]) - Double(x[r, j]) / (ms + 1e-5).squareRoot() * Double(g[j])) < 1e-5)
        }
    }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.rmsNormalized(scale: g, epsilon: 1e-5)) }
    try expectGradientMatchesFiniteDifferences(g) { try weighted(x.rmsNormalized(scale: $0, epsilon: 1e-5)) }
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.rmsNormalized(scale: nil, epsilon: 1e-5)) }
}
