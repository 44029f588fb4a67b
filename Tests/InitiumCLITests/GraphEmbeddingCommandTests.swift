import Foundation
import InitiumCore
import InitiumNN
import Testing

/// embed-graph: the table as float32 .npy `[nodes, dim]`, the answer on stdout, the JSON keys of
/// issue 14, and the same bits for 1 and 2 threads.
@Test func embedGraphWritesTheTableAndReportsAccuracyAndAUC() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("karate.npy").path
    let arguments = ["embed-graph", "--data", "karate", "--dim", "8", "--epochs", "4", "--batch", "32",
                     "--init", "partition(k=4,alpha=0.5,rounds=1)", "--out", out, "--seed", "3"]
    let human = try CLI.run(arguments)
    #expect(human.status == 0, "\(human.stderr)")
    #expect(human.stdout.contains("node accuracy") && human.stdout.contains("4 parts, edge cut"), "\(human.stdout)")
    let table = try NumPyFile.read(from: out).tensor
    #expect(table.shape == [34, 8])
    #expect(table.scalars.allSatisfy { $0.isFinite })
    let machine = try CLI.run(arguments + ["--json", "--threads", "2"])
    let json = try #require(machine.json, "\(machine.stdout)")
    let accuracy = try #require(json["node_accuracy"] as? Double)
    let auc = try #require(json["link_auc"] as? Double)
    #expect((0...1).contains(accuracy) && (0...1).contains(auc))
    #expect((json["loss_curve"] as? [Double])?.count == 4)
    #expect((json["link_auc_curve"] as? [Double])?.last == auc)
    let epochSeconds = try #require(json["epoch_seconds"] as? [Double])
    #expect(epochSeconds.count == 4 && epochSeconds == epochSeconds.sorted())
    #expect((json["seconds"] as? Double).map { $0 > 0 } == true)
    #expect(json["parts"] as? Int == 4)
    #expect(try NumPyFile.read(from: out).tensor == table, "2 threads changed the table")
}
