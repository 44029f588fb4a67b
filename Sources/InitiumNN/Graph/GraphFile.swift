import Foundation
import InitiumCore

/// Reads a graph from a file: SciPy's sparse `.npz` (`scipy.sparse.save_npz` of a CSR matrix:
/// members `indptr`, `indices`, `data`, `shape`, `format`; read with the `.npz` reader of
/// ``NumPyArchive``) or, for any other name, a text edge list (``EdgeList``).
public enum GraphFile {
    /// The graph stored at `path`. `nodeCount`, when given, is the number of rows of the feature
    /// matrix: an edge naming a node outside it is refused (naming the file and line), and an `.npz`
    /// matrix must be `nodeCount × nodeCount`. `undirected` applies to edge lists (each line stores
    /// both directions); an `.npz` matrix is used as stored.
    public static func read(from path: String, nodeCount: Int? = nil, undirected: Bool = true) throws -> Graph {
        guard path.lowercased().hasSuffix(".npz") else {
            return try EdgeList.read(from: path, nodeCount: nodeCount, undirected: undirected)
        }
        return try readSciPy(from: path, nodeCount: nodeCount)
    }

    /// A CSR matrix written by `scipy.sparse.save_npz`, as a graph.
    static func readSciPy(from path: String, nodeCount: Int?) throws -> Graph {
        func fail(_ problem: String) -> InitiumError { .file(path: path, problem: problem) }
        let members = try ZipArchive.members(of: Zlib.readFile(at: path), path: path)
        func member(_ name: String) throws -> [UInt8] {
            guard let found = members.first(where: { $0.name == name + ".npy" }) else {
                throw fail("not a scipy.sparse .npz: no '\(name)' array (write it with scipy.sparse.save_npz)")
            }
            return found.data
        }
        let format = try member("format")
        let text = String(decoding: format.filter { $0 != 0 }, as: UTF8.self)
        guard text.hasSuffix("csr") else {
            let stored = ["csc", "coo", "bsr", "dia", "dok", "lil"].first { text.hasSuffix($0) } ?? "unknown"
            throw fail("stores a '\(stored)' matrix; save a CSR matrix (A.tocsr())")
        }
        func integers(_ name: String) throws -> [Int] {
            let array = try NumPyFile.decode(member(name)[...], path: "\(path):\(name)")
            guard [.int32, .int64, .uint8].contains(array.elementType), array.tensor.rank == 1 else {
                throw fail("'\(name)' must be a 1-D integer array, got \(array.elementType.rawValue) \(array.tensor.shape)")
            }
            // integers reach Initium as Float32, exact below 2²⁴
            return try array.tensor.scalars.map { value in
                guard value >= 0, value < 16_777_216 else { throw fail("'\(name)' holds \(value), outside 0..<2²⁴") }
                return Int(value)
            }
        }
        let shape = try integers("shape")
        guard shape.count == 2 else { throw fail("'shape' must hold 2 sizes, got \(shape.count)") }
        guard shape[0] == shape[1] else { throw fail("an adjacency matrix must be square, got \(shape[0])×\(shape[1])") }
        if let nodeCount, shape[0] != nodeCount {
            throw fail("the matrix is \(shape[0])×\(shape[1]) but the feature matrix has \(nodeCount) nodes")
        }
        let data = try NumPyFile.decode(member("data")[...], path: "\(path):data").tensor
        guard data.rank == 1 else { throw fail("'data' must be 1-D, got \(data.shape)") }
        let offsets = try integers("indptr"), columns = try integers("indices")
        guard offsets.count == shape[0] + 1, offsets.first == 0, offsets.last == data.count, columns.count == data.count,
            zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 })
        else {
            throw fail("inconsistent CSR arrays: \(offsets.count) offsets for \(shape[0]) rows, \(columns.count) indices, \(data.count) values")
        }
        // SciPy allows unsorted and repeated column indices in a row; the triples sort and sum them
        var entries: [(row: Int, column: Int, value: Float)] = []
        entries.reserveCapacity(data.count)
        let values = data.scalars
        for row in 0..<shape[0] {
            for k in offsets[row]..<offsets[row + 1] { entries.append((row, columns[k], values[k])) }
        }
        let matrix: SparseMatrix
        do {
            matrix = try SparseMatrix(rowCount: shape[0], columnCount: shape[1], entries: entries)
        } catch let error as InitiumError {
            throw fail("\(error)")
        }
        do {
            return try Graph(adjacency: matrix)
        } catch let error as InitiumError {
            throw fail("\(error)")
        }
    }
}
