import Foundation
import Testing

// The diagnostics and pruning commands of [probe2] on graph models: each one reaches the model
// with its graph (karate club, committed data), and the results are well formed.

/// Pruning at initialization on a GCN: SNIP, GraSP (data-driven, the scoring batch's graph) and
/// SynFlow, sketch (data-free, one isolated node) reach the asked density.
@Test(arguments: ["snip", "grasp", "synflow", "sketch"])
func pruneRunsOnGraphModels(method: String) throws {
    let result = try CLI.run([
        "prune", "--method", method, "--density", "0.3", "--model", "gcn:layers=2,width=16", "--data", "karate", "--epochs", "1", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    let density = try #require(result.json?["density"] as? Double, "\(result.stdout)")
    #expect(abs(density - 0.3) < 0.01)
}

/// DSE of a GCN layer: one row per labelled node (karate tests on 32 nodes).
@Test func dseMeasuresGraphLayersPerLabelledNode() throws {
    let result = try CLI.run(["dse", "--model", "gcn:layers=2,width=16", "--data", "karate", "--layer", "convs.0", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.json?["samples"] as? Int == 32)
    #expect((result.json?["dse"] as? Double).map { $0.isFinite && $0 >= 0 } == true)
}

/// The butterfly experiment trains both copies of a GCN on the graph; a visible ε separates them.
@Test func butterflyRunsOnGraphModels() throws {
    let result = try CLI.run([
        "butterfly", "--model", "gcn:layers=2,width=16", "--data", "karate", "--epochs", "2", "--epsilon", "0.1", "--json",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.json?["identical"] as? Bool == false)
}

/// Interpolation from a fresh initialization to a trained GCN evaluates every α on the graph.
@Test func interpolateRunsOnGraphModels() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let trained = directory.appendingPathComponent("gcn.safetensors").path
    let train = try CLI.run(["train", "--model", "gcn:layers=2,width=16", "--data", "karate", "--epochs", "3", "--save", trained])
    #expect(train.status == 0, "\(train.stderr)")
    let result = try CLI.run(["interpolate", "--from-init", "glorot-uniform", "--to", trained, "--data", "karate", "--alphas", "0:1:3", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let rows = try #require(result.json?["rows"] as? [[String: Any]], "\(result.stdout)")
    #expect(rows.count == 3 && rows.allSatisfy { ($0["test_loss"] as? Double)?.isFinite == true })
}
