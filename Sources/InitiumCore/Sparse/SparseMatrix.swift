/// A sparse matrix in compressed sparse row (CSR) form, SciPy's `csr_matrix` layout: the
/// stored entries of row `i` are `rowOffsets[i]..<rowOffsets[i + 1]`, with their columns in
/// `columnIndices` (increasing within a row, no repeats) and their values in `values`.
///
/// Graphs (adjacency and propagation matrices) are stored this way; ``Tensor/sparseProduct(_:_:)``
/// multiplies one by a dense matrix. Every initializer validates the layout, so kernels never
/// check bounds again.
public struct SparseMatrix: Sendable, Equatable {
    /// The number of rows.
    public let rowCount: Int
    /// The number of columns.
    public let columnCount: Int
    /// Where each row's entries start (`rowCount + 1` offsets, the last one the entry count).
    public let rowOffsets: [Int]
    /// The column of each entry, increasing within a row.
    public let columnIndices: [Int32]
    /// The value of each entry.
    public let values: [Float]

    /// A matrix from CSR arrays; throws naming the first inconsistency (offsets not starting at 0,
    /// decreasing or not ending at the entry count, a column out of range, columns not strictly
    /// increasing within a row, arrays of different lengths).
    public init(rowCount: Int, columnCount: Int, rowOffsets: [Int], columnIndices: [Int32], values: [Float]) throws {
        func fail(_ reason: String) -> InitiumError { .invalidArgument("sparse matrix \(rowCount)×\(columnCount): \(reason)") }
        guard rowCount >= 0, columnCount >= 0, columnCount <= Int(Int32.max) else { throw fail("sizes must be non-negative") }
        guard rowOffsets.count == rowCount + 1 else {
            throw fail("needs \(rowCount + 1) row offsets, got \(rowOffsets.count)")
        }
        guard columnIndices.count == values.count else {
            throw fail("\(columnIndices.count) column indices but \(values.count) values")
        }
        guard rowOffsets[0] == 0, rowOffsets[rowCount] == values.count else {
            throw fail("row offsets must run from 0 to the entry count \(values.count)")
        }
        for row in 0..<rowCount {
            let (start, end) = (rowOffsets[row], rowOffsets[row + 1])
            guard start <= end else { throw fail("row offsets decrease at row \(row)") }
            var previous: Int32 = -1
            for k in start..<end {
                let column = columnIndices[k]
                guard column >= 0, Int(column) < columnCount else {
                    throw fail("row \(row) has column \(column), outside 0..<\(columnCount)")
                }
                guard column > previous else {
                    throw fail("row \(row): columns must be strictly increasing (\(previous) then \(column))")
                }
                previous = column
            }
        }
        self.init(validatedRows: rowCount, columns: columnCount, offsets: rowOffsets, indices: columnIndices, values: values)
    }

    /// A matrix from `(row, column, value)` triples in any order; repeated positions are summed
    /// (SciPy's `coo_matrix(...).tocsr()`). Throws naming a position outside the matrix.
    public init(rowCount: Int, columnCount: Int, entries: [(row: Int, column: Int, value: Float)]) throws {
        guard rowCount >= 0, columnCount >= 0, columnCount <= Int(Int32.max) else {
            throw InitiumError.invalidArgument("sparse matrix \(rowCount)×\(columnCount): sizes must be non-negative")
        }
        if let bad = entries.first(where: { $0.row < 0 || $0.row >= rowCount || $0.column < 0 || $0.column >= columnCount }) {
            throw InitiumError.invalidArgument(
                "sparse matrix \(rowCount)×\(columnCount): entry (\(bad.row), \(bad.column)) is outside the matrix")
        }
        let order = entries.indices.sorted { a, b in
            (entries[a].row, entries[a].column, a) < (entries[b].row, entries[b].column, b)
        }
        var offsets = [Int](repeating: 0, count: rowCount + 1)
        var indices: [Int32] = [], values: [Float] = []
        indices.reserveCapacity(entries.count)
        values.reserveCapacity(entries.count)
        var last: (row: Int, column: Int)?
        for i in order {
            let entry = entries[i]
            if let last, last == (entry.row, entry.column) {
                values[values.count - 1] += entry.value
            } else {
                indices.append(Int32(entry.column))
                values.append(entry.value)
                offsets[entry.row + 1] += 1
                last = (entry.row, entry.column)
            }
        }
        for row in 0..<rowCount { offsets[row + 1] += offsets[row] }
        self.init(validatedRows: rowCount, columns: columnCount, offsets: offsets, indices: indices, values: values)
    }

    /// Arrays already known to be a valid layout (built by this type's own operations).
    init(validatedRows rows: Int, columns: Int, offsets: [Int], indices: [Int32], values: [Float]) {
        rowCount = rows
        columnCount = columns
        rowOffsets = offsets
        columnIndices = indices
        self.values = values
    }

    /// The number of stored entries.
    public var entryCount: Int { values.count }

    /// The stored entries of `row`: their positions in ``columnIndices`` and ``values``.
    public func entries(ofRow row: Int) -> Range<Int> { rowOffsets[row]..<rowOffsets[row + 1] }

    /// The sum of the stored values of each row (a weighted out-degree for an adjacency matrix).
    public var rowSums: [Float] {
        (0..<rowCount).map { row in entries(ofRow: row).reduce(Float(0)) { $0 + values[$1] } }
    }

    /// The value at `(row, column)`, 0 when nothing is stored there.
    public subscript(row: Int, column: Int) -> Float {
        let range = entries(ofRow: row)
        var (low, high) = (range.lowerBound, range.upperBound)
        while low < high {
            let middle = (low + high) / 2
            if Int(columnIndices[middle]) < column { low = middle + 1 } else { high = middle }
        }
        return low < range.upperBound && Int(columnIndices[low]) == column ? values[low] : 0
    }

    /// Aᵀ in CSR form (a counting sort by column: rows of the result keep increasing columns).
    public func transposed() -> SparseMatrix {
        var offsets = [Int](repeating: 0, count: columnCount + 1)
        for column in columnIndices { offsets[Int(column) + 1] += 1 }
        for column in 0..<columnCount { offsets[column + 1] += offsets[column] }
        var next = offsets
        var indices = [Int32](repeating: 0, count: entryCount)
        var transposedValues = [Float](repeating: 0, count: entryCount)
        for row in 0..<rowCount {
            for k in entries(ofRow: row) {
                let column = Int(columnIndices[k])
                indices[next[column]] = Int32(row)
                transposedValues[next[column]] = values[k]
                next[column] += 1
            }
        }
        return SparseMatrix(
            validatedRows: columnCount, columns: rowCount, offsets: offsets, indices: indices, values: transposedValues)
    }

    /// The same pattern with every stored value replaced by `transform(row, column, value)`.
    public func mappingValues(_ transform: (_ row: Int, _ column: Int, _ value: Float) -> Float) -> SparseMatrix {
        var mapped = values
        for row in 0..<rowCount {
            for k in entries(ofRow: row) { mapped[k] = transform(row, Int(columnIndices[k]), values[k]) }
        }
        return SparseMatrix(validatedRows: rowCount, columns: columnCount, offsets: rowOffsets, indices: columnIndices, values: mapped)
    }

    /// This matrix with `value` stored at (i, i) for every row i < columnCount that
    /// stores nothing there; stored diagonal entries keep their values (PyG's
    /// `add_remaining_self_loops` on an adjacency matrix).
    public func fillingMissingDiagonal(with value: Float) -> SparseMatrix {
        var offsets = [0], indices: [Int32] = [], filled: [Float] = []
        offsets.reserveCapacity(rowCount + 1)
        indices.reserveCapacity(entryCount + rowCount)
        filled.reserveCapacity(entryCount + rowCount)
        for row in 0..<rowCount {
            var placed = row >= columnCount
            for k in entries(ofRow: row) {
                let column = Int(columnIndices[k])
                if !placed, column >= row {
                    if column > row {
                        indices.append(Int32(row))
                        filled.append(value)
                    }
                    placed = true
                }
                indices.append(columnIndices[k])
                filled.append(values[k])
            }
            if !placed {
                indices.append(Int32(row))
                filled.append(value)
            }
            offsets.append(indices.count)
        }
        return SparseMatrix(validatedRows: rowCount, columns: columnCount, offsets: offsets, indices: indices, values: filled)
    }

    /// The block-diagonal matrix diag(m₁, m₂, …): each matrix's rows and columns shifted past the
    /// previous ones' (the adjacency of a disjoint union of graphs).
    public static func blockDiagonal(_ matrices: [SparseMatrix]) -> SparseMatrix {
        let rows = matrices.reduce(0) { $0 + $1.rowCount }
        let columns = matrices.reduce(0) { $0 + $1.columnCount }
        var offsets = [0]
        offsets.reserveCapacity(rows + 1)
        var indices: [Int32] = [], values: [Float] = []
        var columnShift = 0
        for matrix in matrices {
            let base = indices.count
            offsets.append(contentsOf: matrix.rowOffsets.dropFirst().map { $0 + base })
            indices.append(contentsOf: matrix.columnIndices.map { $0 + Int32(columnShift) })
            values.append(contentsOf: matrix.values)
            columnShift += matrix.columnCount
        }
        return SparseMatrix(validatedRows: rows, columns: columns, offsets: offsets, indices: indices, values: values)
    }

    /// The dense matrix `[rowCount, columnCount]` (for tests and small graphs).
    public func dense() -> Tensor {
        var result = Tensor.zeros([rowCount, columnCount])
        result.withUnsafeMutableBufferPointer { p in
            for row in 0..<rowCount {
                for k in entries(ofRow: row) { p[row * columnCount + Int(columnIndices[k])] = values[k] }
            }
        }
        return result
    }
}
