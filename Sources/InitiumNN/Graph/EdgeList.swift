import Foundation
import InitiumCore

/// The plain-text edge list format: one edge `u v [weight]` per line (0-based node ids, fields
/// separated by spaces, tabs or commas, weight 1 when absent), `#` starting a comment, blank lines
/// ignored (SNAP's and NetworkX's `read_edgelist` layout).
///
/// Every problem is reported with the file and line: a malformed line, a node id that is not a
/// non-negative integer or is outside the given node count, a negative or non-finite weight.
public enum EdgeList {
    /// The graph on `nodeCount` nodes (`nil`: one more than the largest id) that the edge list
    /// text `text` describes; undirected graphs store each edge in both directions. `path` names
    /// the source in errors.
    public static func parse(_ text: String, path: String, nodeCount: Int? = nil, undirected: Bool = true) throws -> Graph {
        var edges: [(u: Int, v: Int, weight: Float)] = []
        var largest = -1
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            func fail(_ problem: String) -> InitiumError { .file(path: path, problem: "line \(lineNumber): \(problem)") }
            let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," || $0 == "\r" })
            if fields.isEmpty { continue }
            guard fields.count == 2 || fields.count == 3 else {
                throw fail("expected 'u v [weight]', got '\(line.trimmingCharacters(in: .whitespacesAndNewlines))'")
            }
            let ids = try fields.prefix(2).map { field -> Int in
                guard let id = Int(field), id >= 0 else { throw fail("node id '\(field)' is not a non-negative integer") }
                if let nodeCount, id >= nodeCount {
                    throw fail("node \(id) is outside the \(nodeCount) nodes of the feature matrix (ids 0..<\(nodeCount))")
                }
                return id
            }
            var weight: Float = 1
            if fields.count == 3 {
                guard let value = Float(fields[2]), value.isFinite, value >= 0 else {
                    throw fail("edge weight '\(fields[2])' must be a finite number ≥ 0")
                }
                weight = value
            }
            largest = max(largest, ids[0], ids[1])
            edges.append((ids[0], ids[1], weight))
        }
        return try Graph(nodeCount: nodeCount ?? (largest + 1), edges: edges, undirected: undirected)
    }

    /// Reads the edge list file at `path` (see ``parse(_:path:nodeCount:undirected:)``).
    public static func read(from path: String, nodeCount: Int? = nil, undirected: Bool = true) throws -> Graph {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InitiumError.file(path: path, problem: "cannot read the edge list")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InitiumError.file(path: path, problem: "the edge list is not UTF-8 text")
        }
        return try parse(text, path: path, nodeCount: nodeCount, undirected: undirected)
    }
}
