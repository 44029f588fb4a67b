import Foundation
import InitiumNN
import Testing

// The transformer commands' stdout/JSON contract and their outputs, on tiny models (they read
// Debian's fortunes and the all-MiniLM-L6-v2 checkpoint, which `make test` installs).

private let hasFortunes = FileManager.default.fileExists(atPath: "/usr/share/games/fortunes/cookie")
private let miniLM = try? ModelDirectory.locate(ModelDirectory.miniLM)

/// coord-check: the table on stdout, the JSON shape, and the SVG.
@Test(.enabled(if: hasFortunes, "needs Debian's fortunes (make test installs it)"))
func coordCheckPrintsItsTableAndWritesTheJSONAndPlot() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let svg = directory.appendingPathComponent("coord.svg").path
    let arguments = ["coord-check", "--model", "gpt:layers=1,width=16,heads=2,context=16,tie=false", "--widths", "16,32",
                     "--steps", "2", "--batch", "2", "--data", "fortunes-bytes(context=16)", "--out", svg]
    let human = try CLI.run(arguments)
    #expect(human.status == 0, "\(human.stderr)")
    #expect(human.stdout.contains("spread@1") && human.stdout.contains("logits"))
    let machine = try CLI.run(arguments + ["--json"])
    let json = try #require(machine.json, "\(machine.stdout)")
    #expect(json["widths"] as? [Int] == [16, 32])
    let layers = json["layers"] as? [[String: Any]] ?? []
    #expect(layers.last?["name"] as? String == "logits")
    for layer in layers {
        let scales = layer["scales"] as? [String: [Double]] ?? [:]
        #expect(Set(scales.keys) == ["16", "32"] && scales.values.allSatisfy { $0.count == 2 })
    }
    #expect(try String(contentsOfFile: svg, encoding: .utf8).hasPrefix("<svg"))
}

/// embed: one normalized row per line in a float32 .npy.
@Test(.enabled(if: miniLM != nil, "needs scripts/install-models (make test runs it)"))
func embedWritesOneUnitRowPerLine() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("lines.txt").path, out = directory.appendingPathComponent("e.npy").path
    try "Hello, World!\nA second sentence, somewhat longer than the first one.\n".write(toFile: input, atomically: true, encoding: .utf8)
    let arguments = ["embed", "--model", "bert:pretrained=\(miniLM!)", "--input", input, "--out", out]
    let human = try CLI.run(arguments)
    #expect(human.status == 0 && human.stdout.contains("2 embeddings of width 384"), "\(human.stderr)")
    let machine = try CLI.run(arguments + ["--json"])
    #expect(machine.json?["lines"] as? Int == 2 && machine.json?["width"] as? Int == 384)
    let embeddings = try NumPyFile.read(from: out).tensor
    #expect(embeddings.shape == [2, 384])
    for row in 0..<2 {
        let norm = (0..<384).map { Double(embeddings[flat: row * 384 + $0]) }.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(abs(norm - 1) < 1e-5)
    }
}
