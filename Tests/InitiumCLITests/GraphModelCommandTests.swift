import Foundation
import Testing

// inspect, train and init on graph models, with the karate club (committed data, no download).

/// inspect on a GCN: the graph table on stdout, the report's keys in the JSON, README and SVG written.
@Test func inspectReportsGraphLayersWithVirgoAndDirichletEnergy() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let arguments = ["inspect", "--model", "gcn:layers=4,width=16", "--data", "karate", "--init", "virgo",
                     "--report", directory.path]
    let human = try CLI.run(arguments)
    #expect(human.status == 0, "\(human.stderr)")
    #expect(human.stdout.contains("fwd_ratio") && human.stdout.contains("convs.0") && human.stdout.contains("head"))
    let machine = try CLI.run(arguments + ["--json"])
    let json = try #require(machine.json, "\(machine.stdout)")
    let layers = json["layers"] as? [[String: Any]] ?? []
    #expect(layers.map { $0["name"] as? String } == ["convs.0", "convs.1", "convs.2", "head"])
    for key in ["forward_variance", "backward_variance", "predicted_forward_ratio", "predicted_backward_ratio", "dirichlet_energy",
                "normalized_dirichlet_energy", "verdict"] {
        #expect(layers.allSatisfy { $0[key] != nil }, "\(key)")
    }
    #expect(json["forward_spread"] is Double && json["summary"] is String)
    let readme = try String(contentsOfFile: directory.appendingPathComponent("README.md").path, encoding: .utf8)
    #expect(readme.contains("| convs.1 |"))
    #expect(try String(contentsOfFile: directory.appendingPathComponent("variance.svg").path, encoding: .utf8).hasPrefix("<svg"))
}

/// train with a graph model and each graph scheme; a GIN with random node features needs an encoder.
@Test(arguments: ["virgo", "rni(fraction=0.5)", "glorot-uniform", "lsuv"])
func trainRunsGraphModelsWithGraphSchemes(scheme: String) throws {
    let model = scheme.hasPrefix("rni") ? "gin:layers=2,width=16,encoder=true" : "sage:layers=2,width=16"
    let result = try CLI.run(["train", "--model", model, "--data", "karate", "--init", scheme, "--epochs", "3", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect((result.json?["test_accuracy"] as? Double).map { (0...1).contains($0) } == true)
}

/// User errors on graph models are one line and exit 1.
@Test(arguments: [
    (["inspect", "--model", "gcn:layers=2,width=8", "--data", "blobs"], "graph"),
    (["train", "--model", "gcn:layers=2,width=8", "--data", "karate", "--init", "rni(fraction=0.5)", "--epochs", "1"], "encoder=true"),
    (["inspect", "--model", "gcn:layers=2,width=8", "--data", "karate", "--jacobian"], "graph models"),
    (["train", "--model", "gcn:layers=2,width=8,pool=median", "--data", "karate"], "pool"),
    (["train", "--model", "mlp:2-8-2", "--data", "karate", "--init", "virgo", "--epochs", "1"], "virgo"),
])
func graphModelErrorsExitOne(arguments: [String], needle: String) throws {
    let result = try CLI.run(arguments)
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.count == 1, "\(result.stderr)")
    #expect(result.stderr.contains(needle), "\(result.stderr)")
}
