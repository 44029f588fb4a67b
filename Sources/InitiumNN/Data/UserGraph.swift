import Foundation
import InitiumCore

/// `graph(edges=FILE,features=X.npy,labels=FILE[,directed=false,per-class=20,validation=500,test=1000])`:
/// node classification on any graph the user has.
///
/// - `edges`: a text edge list (``EdgeList``: `u v [weight]` per line, 0-based ids) or a SciPy
///   sparse `.npz` (``GraphFile``); every node id must be a row of the feature matrix.
/// - `features`: a `.npy` matrix `[nodes, features]` (float or integer; finite).
/// - `labels`: a `.npy` vector of `nodes` integer classes, or a text file with one class per line
///   (`#` comments and blank lines skipped); the classes are `0..<max+1` and each needs a node.
/// - The split is ``NodeClassification/semiSupervisedSplit(perClass:validation:test:key:)`` drawn
///   from the run's key (`per-class`, `validation`, `test`).
public enum UserGraph {
    /// Reads the three files of a spec and checks them against each other.
    public static func load(edges: String, features: String, labels: String, directed: Bool) throws -> NodeClassification {
        let stored = try NumPyFile.read(from: features).tensor
        let matrix: Tensor
        switch stored.rank {
        case 2: matrix = stored
        case 1: matrix = try stored.reshaped([stored.shape[0], 1])
        default: throw InitiumError.file(path: features, problem: "node features must be a [nodes, features] matrix, got shape \(stored.shape)")
        }
        guard matrix.shape[0] >= 1, matrix.shape[1] >= 1 else {
            throw InitiumError.file(path: features, problem: "node features must have at least one node and one feature, got \(matrix.shape)")
        }
        if let bad = matrix.scalars.firstIndex(where: { !$0.isFinite }) {
            throw InitiumError.file(
                path: features, problem: "feature [\(bad / matrix.shape[1]), \(bad % matrix.shape[1])] is \(matrix[flat: bad]), not finite")
        }
        let nodeCount = matrix.shape[0]
        let graph = try GraphFile.read(from: edges, nodeCount: nodeCount, undirected: !directed)
        let classes = try readLabels(labels, nodeCount: nodeCount)
        let classCount = Int(classes.max() ?? 0) + 1
        var counts = [Int](repeating: 0, count: classCount)
        for c in classes { counts[Int(c)] += 1 }
        if let empty = counts.firstIndex(of: 0) {
            throw InitiumError.file(
                path: labels, problem: "class \(empty) has no labelled node (classes are 0..<\(classCount), from the largest label)")
        }
        return try NodeClassification(graph: graph, features: matrix, labels: classes, classCount: classCount)
    }

    /// One class per node from a `.npy` vector or a text file (one integer per line).
    static func readLabels(_ path: String, nodeCount: Int) throws -> [Int32] {
        func fail(_ problem: String) -> InitiumError { .file(path: path, problem: problem) }
        if path.lowercased().hasSuffix(".npy") {
            let labels = try NumPyFile.read(from: path).tensor
            guard labels.rank == 1 || (labels.rank == 2 && labels.shape[1] == 1) else {
                throw fail("labels must be a vector of \(nodeCount) classes, got shape \(labels.shape)")
            }
            guard labels.shape[0] == nodeCount else {
                throw fail("\(labels.shape[0]) labels for the \(nodeCount) nodes of the feature matrix")
            }
            return try labels.scalars.enumerated().map { index, value in
                guard value >= 0, value < 1_000_000, value == value.rounded() else {
                    throw fail("label \(index) is \(value), not a class index ≥ 0")
                }
                return Int32(value)
            }
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw fail("cannot read the labels as UTF-8 text")
        }
        var labels: [Int32] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = (line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if content.isEmpty { continue }
            guard let value = Int32(content), value >= 0, value < 1_000_000 else {
                throw fail("line \(number + 1): label '\(content)' is not a class index ≥ 0")
            }
            guard labels.count < nodeCount else {
                throw fail("line \(number + 1): more labels than the \(nodeCount) nodes of the feature matrix")
            }
            labels.append(value)
        }
        guard labels.count == nodeCount else { throw fail("\(labels.count) labels for the \(nodeCount) nodes of the feature matrix") }
        return labels
    }
}

extension DatasetFamily {
    /// `graph(edges=…,features=…,labels=…)` (``UserGraph``).
    public static let userGraph = DatasetFamily(
        name: "graph", keys: ["edges", "features", "labels", "directed", "per-class", "validation", "test"],
        syntax: "graph(edges=FILE,features=X.npy,labels=FILE[,directed=false,per-class=20,validation=500,test=1000])",
        summary: "any graph: an edge list (u v [weight]) or scipy.sparse .npz, .npy node features, .npy or text labels; "
            + "node classification with a seeded split",
        signature: { spec in
            let files = try UserGraph.files(spec)
            let data = try UserGraph.load(edges: files.edges, features: files.features, labels: files.labels, directed: files.directed)
            return DataSignature(exampleShape: [data.features.shape[1]], classCount: data.classCount, graphTask: .nodes)
        }
    ) { spec, source in
        let files = try UserGraph.files(spec)
        let data = try UserGraph.load(edges: files.edges, features: files.features, labels: files.labels, directed: files.directed)
        let split = try data.semiSupervisedSplit(
            perClass: spec.integer("per-class", default: 20), validation: spec.integer("validation", default: 500),
            test: spec.integer("test", default: 1000), key: source.key.fold("split"))
        return try data.datasets(split, name: spec.description)
    }
}

extension UserGraph {
    /// A spec's file paths and direction, validated.
    static func files(_ spec: DatasetParameters) throws -> (edges: String, features: String, labels: String, directed: Bool) {
        guard let edges = spec.text("edges"), let features = spec.text("features"), let labels = spec.text("labels") else {
            throw spec.invalid("needs edges=FILE, features=X.npy and labels=FILE")
        }
        let directed: Bool
        switch spec.text("directed")?.lowercased() ?? "false" {
        case "true": directed = true
        case "false": directed = false
        case let other: throw spec.invalid("'directed' must be true or false, got '\(other)'")
        }
        for key in ["per-class", "validation", "test"] where try spec.integer(key, default: 1) < (key == "per-class" ? 1 : 0) {
            throw spec.invalid("'\(key)' must be \(key == "per-class" ? "≥ 1" : "≥ 0")")
        }
        return (edges, features, labels, directed)
    }
}
