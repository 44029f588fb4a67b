import Foundation
import InitiumCore
import InitiumNN
import Testing

// train and compare on graph data (user graphs from files, EXP, the karate club), and one-line
// errors naming the file and line for bad graph input.

/// Writes a small two-community user graph (edge list, features .npy, labels text) into `directory`.
private func writeUserGraph(in directory: URL) throws -> (edges: String, features: String, labels: String) {
    var lines = ["# two cliques of 12 joined by one edge"]
    for block in 0..<2 {
        for i in 0..<12 { for j in (i + 1)..<12 where (i + j) % 3 == 0 { lines.append("\(12 * block + i) \(12 * block + j)") } }
        for i in 0..<11 { lines.append("\(12 * block + i) \(12 * block + i + 1)") }
    }
    lines.append("11 12 0.5")
    let edges = directory.appendingPathComponent("edges.txt").path
    try lines.joined(separator: "\n").write(toFile: edges, atomically: true, encoding: .utf8)
    let features = directory.appendingPathComponent("x.npy").path
    try NumPyFile.write(try Tensor.normal([24, 3], key: RandomKey(seed: 1)), to: features)
    let labels = directory.appendingPathComponent("y.txt").path
    try (0..<24).map { $0 < 12 ? "0" : "1" }.joined(separator: "\n").write(toFile: labels, atomically: true, encoding: .utf8)
    return (edges, features, labels)
}

/// train on a user graph and on EXP: the JSON has test and validation accuracy, and a seeded
/// split is the same for the same seed.
@Test func trainRunsOnUserGraphsAndExp() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let files = try writeUserGraph(in: directory)
    let data = "graph(edges=\(files.edges),features=\(files.features),labels=\(files.labels),per-class=3,validation=6,test=12)"
    let arguments = ["train", "--model", "gcn:layers=2,width=8", "--data", data, "--epochs", "20", "--optimizer", "adam",
                     "--lr", "0.05", "--json"]
    let first = try CLI.run(arguments), second = try CLI.run(arguments)
    #expect(first.status == 0, "\(first.stderr)")
    let json = try #require(first.json, "\(first.stdout)")
    #expect((json["test_accuracy"] as? Double).map { (0...1).contains($0) } == true)
    #expect(json["validation_accuracy"] is Double && json["steps"] as? Int == 20)
    #expect(first.json?["test_accuracy"] as? Double == second.json?["test_accuracy"] as? Double)
    let exp = try CLI.run(["train", "--model", "gin:layers=2,width=8", "--data", "exp(pairs=100,split=2)", "--epochs", "1",
                           "--batch", "20", "--json"])
    #expect(exp.status == 0, "\(exp.stderr)")
    #expect(exp.json?["steps"] as? Int == 9 && exp.json?["validation_accuracy"] is Double)
}

/// compare runs graph models on graph data through its usual table and JSON.
@Test func compareRunsOnTheKarateClub() throws {
    let result = try CLI.run(["compare", "--model", "gcn:layers=2,width=8", "--data", "karate", "--inits", "glorot-uniform,he-normal",
                              "--seeds", "2", "--epochs", "5", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("glorot-uniform") && result.stdout.contains("he-normal"))
    #expect(result.json != nil, "\(result.stdout)")
}

/// Bad graph input: one `error:` line naming the file (and the line for text files), exit 1.
@Test(arguments: [
    ("edges", "0 1\n1 30\n", "line 2: node 30 is outside the 24 nodes"),
    ("edges", "0 1 -1\n", "line 1: edge weight '-1'"),
    ("edges", "0 1\n3 4 inf\n", "line 2: edge weight 'inf'"),
    ("edges", "0 1\n0 1 2 3\n", "line 2: expected 'u v [weight]'"),
    ("labels", "0\n1\n", "2 labels for the 24 nodes"),
    ("labels", (0..<24).map { $0 < 12 ? "0" : "2" }.joined(separator: "\n"), "class 1 has no labelled node"),
])
func badGraphInputExitsOneNamingTheFile(file: String, contents: String, needle: String) throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var files = try writeUserGraph(in: directory)
    let bad = directory.appendingPathComponent("bad-\(file).txt").path
    try contents.write(toFile: bad, atomically: true, encoding: .utf8)
    if file == "edges" { files.edges = bad } else { files.labels = bad }
    let result = try CLI.run(["train", "--model", "gcn:layers=2,width=8", "--epochs", "1",
                              "--data", "graph(edges=\(files.edges),features=\(files.features),labels=\(files.labels))"])
    #expect(result.status == 1, "\(result.stderr)")
    let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
    #expect(errors.count == 1, "\(result.stderr)")
    #expect(errors.first?.contains(bad) == true && errors.first?.contains(needle) == true, "\(result.stderr)")
}

/// A model that does not read graphs is refused on graph data with one line saying so.
@Test func nonGraphModelsAreRefusedOnGraphData() throws {
    for (model, data) in [("mlp:34-16-2", "karate"), ("mlp:2-8-2", "exp(pairs=100)")] {
        let result = try CLI.run(["train", "--model", model, "--data", data, "--epochs", "1"])
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.count == 1, "\(result.stderr)")
        #expect(result.stderr.contains("use a graph model"), "\(result.stderr)")
    }
}
