import Testing
@testable import InitiumCore

/// A random sparse matrix `[rows, columns]`: each position stored with probability `density`,
/// values uniform in (−1, 1), one empty row (row 1) so empty rows are covered.
private func randomSparse(_ rows: Int, _ columns: Int, density: Float, seed: UInt64) throws -> SparseMatrix {
    let keep = try Tensor.uniform([rows, columns], key: RandomKey(seed: seed).fold("pattern"))
    let value = try Tensor.uniform([rows, columns], low: -1, high: 1, key: RandomKey(seed: seed).fold("value"))
    var entries: [(row: Int, column: Int, value: Float)] = []
    for r in 0..<rows where r != 1 {
        for c in 0..<columns where keep[r, c] < density { entries.append((r, c, value[r, c])) }
    }
    return try SparseMatrix(rowCount: rows, columnCount: columns, entries: entries)
}

/// A·X equals the dense product computed in Double (the sum of at most `columns` products of
/// numbers below 1 in magnitude: Float32 rounding stays below 1e-5 here).
@Test func sparseProductMatchesTheDenseProduct() throws {
    let a = try randomSparse(7, 9, density: 0.4, seed: 3)
    let x = testTensor([9, 5], seed: 4)
    let y = try Tensor.sparseProduct(a, x)
    let dense = a.dense()
    #expect(y.shape == [7, 5])
    for i in 0..<7 {
        for j in 0..<5 {
            let expected = (0..<9).reduce(0.0) { $0 + Double(dense[i, $1]) * Double(x[$1, j]) }
            #expect(abs(Double(y[i, j]) - expected) < 1e-5)
        }
    }
    #expect(y[1, 0] == 0 && y[1, 4] == 0)
}

/// The pullback ∂X = Aᵀ·∂Y against central finite differences, for a rectangular A (so a
/// missing transpose fails on shape) with an empty row and an empty column.
@Test func gradientOfSparseProduct() throws {
    let a = try randomSparse(6, 4, density: 0.5, seed: 8)
    let w = testTensor([6, 3], seed: 99)
    try expectGradientMatchesFiniteDifferences(testTensor([4, 3], seed: 5)) { x in
        try (Tensor.sparseProduct(a, x) * w).sum()
    }
}

/// The CSR layout: triples are sorted by row and column and repeats summed (SciPy's
/// `coo_matrix.tocsr()`), the transpose is the dense transpose, and invalid layouts are refused.
@Test func sparseMatrixLayout() throws {
    let a = try SparseMatrix(rowCount: 3, columnCount: 4, entries: [(2, 1, 1), (0, 3, 2), (0, 1, 3), (2, 1, 0.5), (0, 3, -1)])
    #expect(a.rowOffsets == [0, 2, 2, 3])
    #expect(a.columnIndices == [1, 3, 1])
    #expect(a.values == [3, 1, 1.5])
    #expect(a[2, 1] == 1.5 && a[1, 1] == 0 && a[0, 3] == 1)
    let t = a.transposed()
    #expect(t.rowCount == 4 && t.columnCount == 3)
    #expect(t.dense() == (try a.dense().transposed()))
    #expect(t.transposed() == a)
    #expect(throws: InitiumError.self) {
        try SparseMatrix(rowCount: 2, columnCount: 2, rowOffsets: [0, 2, 2], columnIndices: [1, 0], values: [1, 1])
    }
    #expect(throws: InitiumError.self) {
        try SparseMatrix(rowCount: 2, columnCount: 2, rowOffsets: [0, 1, 2], columnIndices: [0, 2], values: [1, 1])
    }
    #expect(throws: InitiumError.self) { try SparseMatrix(rowCount: 2, columnCount: 2, entries: [(2, 0, 1)]) }
    let filled = a.fillingMissingDiagonal(with: 7)
    #expect(filled[0, 0] == 7 && filled[1, 1] == 7 && filled[2, 2] == 7 && filled[2, 1] == 1.5)
    let kept = try SparseMatrix(rowCount: 2, columnCount: 2, entries: [(0, 0, 4), (1, 0, 1)]).fillingMissingDiagonal(with: 1)
    #expect(kept.dense().scalars == [4, 0, 1, 1])
    let block = SparseMatrix.blockDiagonal([a, kept])
    #expect(block.rowCount == 5 && block.columnCount == 6)
    #expect(block[3, 4] == 4 && block[4, 4] == 1 && block[0, 3] == 1)
}

/// Forward and pullback shared over two threads equal the single-threaded ones bit for bit,
/// and the work really is split (rows are summed by one worker each, in column order).
@Test func sparseProductIsBitIdenticalAtOneAndTwoThreads() throws {
    let a = try randomSparse(600, 500, density: 0.02, seed: 11)
    let x = try Tensor.normal([500, 32], key: RandomKey(seed: 12))
    let g = try Tensor.normal([600, 32], key: RandomKey(seed: 13))
    func run(_ threads: Int) throws -> (y: [Float], dx: [Float], split: Int?) {
        try Parallel.withThreadCount(threads) {
            let p = Parameter(x)
            let y = try Tensor.sparseProduct(a, p.tracked)
            try y.backward(seed: g)
            return (y.scalars, try #require(p.gradient).scalars, Parallel.widestSplit)
        }
    }
    let one = try run(1), two = try run(2)
    #expect(one.split == 1 && two.split == 2)
    #expect(zip(one.y, two.y).allSatisfy { $0.bitPattern == $1.bitPattern })
    #expect(zip(one.dx, two.dx).allSatisfy { $0.bitPattern == $1.bitPattern })
}
