import Foundation
import InitiumCore
import InitiumNN
import Testing

// The command-line contract (docs/ARCHITECTURE.md): a command's answer goes to stdout — the human-readable
// text without --json, exactly one JSON object with --json (the text then moves to stderr) —
// and progress, logs and warnings go to stderr. Each test below runs one command on small
// inputs both ways and checks what arrives where, and that the JSON holds sensible values.

/// A small synthetic dataset: 120 points in 3 Gaussian blobs with 2 features.
private let blobs = "blobs(n=120,classes=3)"

/// Runs `arguments` without `--json` and with it. Without: exit 0, every `needle` on stdout and
/// none on stderr. With: exit 0, stdout exactly one line holding a JSON object, which is returned,
/// and the human-readable answer (the first needle) on stderr instead.
private func answer(
    _ arguments: [String], shows needles: [String], sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String: Any] {
    let human = try CLI.run(arguments)
    #expect(human.status == 0, "\(arguments): \(human.stderr)", sourceLocation: sourceLocation)
    for needle in needles {
        #expect(human.stdout.contains(needle), "\(arguments): stdout lacks '\(needle)':\n\(human.stdout)", sourceLocation: sourceLocation)
        #expect(!human.stderr.contains(needle), "\(arguments): '\(needle)' also on stderr:\n\(human.stderr)", sourceLocation: sourceLocation)
    }
    #expect(!human.stdout.hasPrefix("{"), "\(arguments): JSON on stdout without --json", sourceLocation: sourceLocation)

    let machine = try CLI.run(arguments + ["--json"])
    #expect(machine.status == 0, "\(arguments) --json: \(machine.stderr)", sourceLocation: sourceLocation)
    let lines = machine.stdout.split(separator: "\n")
    #expect(lines.count == 1, "\(arguments) --json: stdout is not one line:\n\(machine.stdout)", sourceLocation: sourceLocation)
    if let first = needles.first {
        #expect(machine.stderr.contains(first), "\(arguments) --json: the answer is not on stderr:\n\(machine.stderr)", sourceLocation: sourceLocation)
    }
    return try #require(machine.json, "\(arguments) --json: stdout is not a JSON object:\n\(machine.stdout)", sourceLocation: sourceLocation)
}

/// `value` as a number (JSON numbers arrive as NSNumber).
private func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

/// Whether `value` is a number in `range`.
private func isNumber(_ value: Any?, in range: ClosedRange<Double>) -> Bool {
    guard let x = number(value) else { return false }
    return range.contains(x)
}

/// The subcommands a `--help` lists (the words at the start of the SUBCOMMANDS section's lines).
private func subcommands(of arguments: [String]) throws -> Set<String> {
    let help = try CLI.run(arguments + ["--help"]).stdout
    let parts = help.components(separatedBy: "SUBCOMMANDS:\n")
    guard parts.count == 2 else { return [] }
    let section = parts[1].components(separatedBy: "\n\n")[0]
    return Set(section.split(separator: "\n").compactMap { line -> String? in
        guard line.hasPrefix("  "), !line.hasPrefix("   ") else { return nil }
        return line.split(separator: " ").first.map(String.init)
    })
}

/// Every command this file tests; a command added to the tool must be added here with a test.
private let testedCommands: Set<String> = [
    "train", "compare", "inspect", "cka", "bench train", "bench init", "schemes", "init",
    "theory map", "theory simulate", "theory eoc", "theory gain", "theory sparse", "theory maxout", "theory phase",
    "prune", "lottery", "supermask", "proxies", "butterfly",
    "dse", "mi", "interpolate", "theory pseudo-iid",
    // generate's stdout and JSON: CheckpointCommandTests.generateSamplesFromATrainedGPT.
    "generate",
    // TransformerCommandTests.
    "coord-check", "embed",
    // GraphEmbeddingCommandTests.
    "embed-graph",
    // FitCommandTests.
    "fit image", "fit audio", "bench fit",
    // MetaInitCommandTests.
    "meta-init",
]

@Test func everyCommandIsCoveredByAStdoutTest() throws {
    var listed = Set<String>()
    for command in try subcommands(of: []) {
        let nested = try subcommands(of: [command])
        if nested.isEmpty { listed.insert(command) } else { listed.formUnion(nested.map { "\(command) \($0)" }) }
    }
    #expect(listed.count >= 19, "help lists \(listed.sorted())")
    #expect(listed == testedCommands, "untested: \(listed.subtracting(testedCommands).sorted()); gone: \(testedCommands.subtracting(listed).sorted())")
}

@Test func schemesPrintsTheCatalogOnStdout() throws {
    let json = try answer(["schemes"], shows: ["he-normal", "orthogonal", "glorot-uniform"])
    let names = (json["schemes"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
    #expect(names.count >= 20)
    #expect(names.contains("he-normal") && names.contains("lsuv") && names.contains("eoc"))
}

@Test func trainPrintsEpochsOnStdout() throws {
    let json = try answer(
        ["train", "--model", "mlp:2-8-3", "--data", blobs, "--epochs", "2", "--batch", "16"],
        shows: ["epoch 1: train loss", "epoch 2: train loss", "steps/s"])
    #expect(json["epochs"] as? Int == 2)
    #expect((json["per_epoch"] as? [Any])?.count == 2)
    #expect(isNumber(json["test_accuracy"], in: 0...1))
    #expect(isNumber(json["train_loss"], in: 1e-6...10))
    #expect(isNumber(json["steps_per_second"], in: 1e-3...1e9))
}

@Test func comparePrintsItsTableOnStdout() throws {
    let json = try answer(
        ["compare", "--model", "mlp:2-8x2-3", "--inits", "glorot-normal,he-normal", "--data", blobs, "--batch", "16"],
        shows: ["seed  train loss  test acc  diverged  seconds  verdict"])
    let rows = json["results"] as? [[String: Any]] ?? []
    #expect(rows.compactMap { $0["init"] as? String } == ["glorot-normal", "he-normal"])
    for row in rows {
        #expect(isNumber(row["test_accuracy"], in: 0...1))
        #expect(["learned", "did not learn", "diverged"].contains(row["verdict"] as? String ?? ""))
    }
}

@Test func inspectPrintsPerLayerStatisticsOnStdout() throws {
    let json = try answer(
        ["inspect", "--model", "mlp:2-16x3-3", "--act", "tanh", "--data", blobs, "--batch", "64"],
        shows: ["pre_var", "layers.0", "layers.6"])
    let layers = json["layers"] as? [[String: Any]] ?? []
    #expect(layers.compactMap { $0["name"] as? String } == ["layers.0", "layers.2", "layers.4", "layers.6"])
    for layer in layers {
        #expect(isNumber(layer["pre_var"], in: 1e-9...1e3))
        #expect(isNumber(layer["dead_fraction"], in: 0...1))
    }
}

@Test func ckaPrintsSimilaritiesOnStdout() throws {
    let json = try answer(
        ["cka", "--model", "mlp:2-16x2-3", "--data", blobs, "--batch", "64"],
        shows: ["CKA between torch-default and orthogonal", "layers.0", "linear"])
    let layers = json["layers"] as? [[String: Any]] ?? []
    #expect(layers.count == 3)
    for layer in layers {
        // CKA is a normalized alignment in [0, 1]; allow Float rounding above 1.
        #expect(isNumber(layer["linear"], in: 0...(1 + 1e-6)))
        #expect(isNumber(layer["rbf"], in: 0...(1 + 1e-6)))
    }
}

@Test func benchTrainPrintsThroughputOnStdout() throws {
    let json = try answer(
        ["bench", "train", "--model", "mlp:784-16-10", "--batch", "16", "--steps", "3", "--warmup", "1"],
        shows: ["mlp:784-16-10 batch 16 threads 1", "steps/s"])
    #expect(json["model"] as? String == "mlp:784-16-10")
    #expect(json["batch"] as? Int == 16)
    #expect(isNumber(json["steps_per_second"], in: 1e-3...1e9))
    #expect(number(json["samples_per_second"]).map { abs($0 / 16 / number(json["steps_per_second"])! - 1) < 1e-9 } == true)
}

@Test func benchInitPrintsThroughputOnStdout() throws {
    let json = try answer(["bench", "init", "--scheme", "normal", "--shape", "64,64", "--repeats", "1"], shows: ["normal 64,64 threads 1", "values/s"])
    let seconds = try #require(number(json["seconds"]))
    #expect(seconds > 0)
    #expect(number(json["values_per_second"]).map { abs($0 * seconds / 4096 - 1) < 1e-6 } == true)
}

@Test func initPrintsTheTensorsStatisticsOnStdout() throws {
    let json = try answer(["init", "--scheme", "he-normal", "--shape", "64,32,3,3"], shows: ["fan_in=288 fan_out=576", "std"])
    #expect(json["fan_in"] as? Int == 288 && json["fan_out"] as? Int == 576)
    #expect(json["shape"] as? [Int] == [64, 32, 3, 3])
    // He normal: std √(2/288). The sample std of n = 18432 normals has relative standard error
    // 1/√(2n) ≈ 0.5%; allow 5%.
    let std = try #require(number(json["std"]))
    #expect(abs(std / (2.0 / 288).squareRoot() - 1) < 0.05)
    #expect(isNumber(json["mean"], in: -0.01...0.01))
}

@Test func initModelPrintsTheLogOnStdout() throws {
    let json = try answer(
        ["init", "--scheme", "lsuv", "--model", "mlp:2-16x3-3", "--data", blobs],
        shows: ["layers.0.weight: lsuv", "layers.6.weight: lsuv", "entries in"])
    #expect(json["model"] as? String == "mlp:2-16x3-3" && json["activation"] as? String == "relu")
    let layers = json["layers"] as? [[String: Any]] ?? []
    #expect(layers.count == 4)
    for layer in layers {
        // LSUV rescales each layer's output variance to 1 within its tolerance 0.1.
        let variance = number((layer["values"] as? [String: Any])?["variance"])
        #expect(variance.map { abs($0 - 1) <= 0.1 } == true, "\(layer)")
    }
}

@Test func theoryMapPrintsItsValuesOnStdout() throws {
    let json = try answer(["theory", "map", "--act", "tanh", "--sigma-w2", "1.5", "--sigma-b2", "0.05"], shows: ["q* =", "chi1 =", "ordered"])
    #expect(json["phase"] as? String == "ordered")
    #expect(isNumber(json["chi1"], in: 0...0.999))
    #expect(isNumber(json["q_star"], in: 1e-3...10))
}

@Test func theoryEdgeOfChaosPrintsItsValuesOnStdout() throws {
    let json = try answer(["theory", "eoc", "--act", "tanh", "--sigma-b2", "0.05"], shows: ["edge of chaos at sigma_w2 = 1.76"])
    // Schoenholz et al. (ICLR 2017), Fig. 1: tanh with sigma_b^2 = 0.05 is critical at sigma_w^2 ≈ 1.76.
    #expect(isNumber(json["sigma_w2"], in: 1.75...1.77))
    #expect(isNumber(json["q_star"], in: 0.01...10))
}

@Test func theoryGainPrintsItsValuesOnStdout() throws {
    let json = try answer(["theory", "gain", "--act", "relu"], shows: ["forward 1.41421"])
    // ReLU: E[relu(z)²] = E[relu'(z)²] = 1/2 for z ~ N(0, 1), so both gains are √2.
    #expect(isNumber(json["forward"], in: (2.0.squareRoot() - 1e-9)...(2.0.squareRoot() + 1e-9)))
    #expect(isNumber(json["backward"], in: (2.0.squareRoot() - 1e-9)...(2.0.squareRoot() + 1e-9)))
}

@Test func theorySparsePrintsItsRecipeOnStdout() throws {
    let json = try answer(["theory", "sparse", "--sparsity", "0.85", "--clip", "1"], shows: ["tau =", "sigma_w2 ="])
    #expect(number(json["sparsity"]) == 0.85 && number(json["clip"]) == 1)
    #expect(isNumber(json["tau"], in: 1e-3...10))
    #expect(isNumber(json["sigma_w2"], in: 1e-3...1e3))
}

@Test func theoryMaxoutPrintsItsConstantOnStdout() throws {
    let json = try answer(["theory", "maxout", "--k", "2"], shows: ["maxout with k = 2", "c = 1"])
    // The max of two independent standard normals has E[max²] = 1 exactly.
    #expect(isNumber(json["second_moment"], in: (1 - 1e-9)...(1 + 1e-9)))
    #expect(isNumber(json["c"], in: (1 - 1e-9)...(1 + 1e-9)))
}

@Test func theoryPhasePrintsItsSummaryOnStdout() throws {
    let json = try answer(["theory", "phase", "--resolution", "8"], shows: ["8x8 phase diagram", "edge-of-chaos points"])
    #expect(json["resolution"] as? Int == 8)
    #expect((json["points"] as? [Any])?.count == 64)
    let curve = json["eoc"] as? [[String: Any]] ?? []
    #expect(!curve.isEmpty && curve.allSatisfy { number($0["chi1"]) == 1 })
}

@Test func theorySimulatePrintsItsTableOnStdout() throws {
    let json = try answer(
        ["theory", "simulate", "--sigma-w2", "1.76", "--sigma-b2", "0.05", "--width", "100", "--depth", "5",
         "--networks", "2", "--pairs", "2"],
        shows: ["predicted q  measured q", "largest relative error"])
    #expect((json["layers"] as? [Any])?.count == 6)
    // Width 100 and two networks: finite-width fluctuations of a few percent, far below 100%.
    #expect(isNumber(json["max_relative_error"], in: 0...0.5))
}

@Test func prunePrintsItsMetricsOnStdout() throws {
    let json = try answer(
        ["prune", "--model", "mlp:2-16-16-3", "--data", blobs, "--method", "magnitude", "--density", "0.5", "--batch", "16"],
        shows: ["layers.0.weight:", "test accuracy"])
    #expect(json["method"] as? String == "magnitude" && json["rounds"] as? Int == 1)
    #expect(isNumber(json["density"], in: 0.49...0.51))
    #expect(isNumber(json["test_accuracy"], in: 0...1))
    #expect(isNumber(json["compression_ratio"], in: 1...10))
}

@Test func lotteryPrintsItsLevelsOnStdout() throws {
    let json = try answer(
        ["lottery", "--model", "mlp:2-16-16-3", "--data", blobs, "--levels", "1", "--no-controls", "--batch", "16"],
        shows: ["level  density", "    0  1.00000", "    1  0.79"])
    let levels = json["levels"] as? [[String: Any]] ?? []
    #expect(levels.count == 2)
    #expect(levels.first.map { number($0["density"]) == 1 } == true)
    // One level at rate 0.2 keeps 80% of the prunable weights, rounded per layer.
    #expect(levels.last.map { isNumber($0["density"], in: 0.78...0.82) } == true)
}

@Test func pruneSketchAndGraNetPrintTheirMetricsOnStdout() throws {
    let sketch = try answer(
        ["prune", "--model", "mlp:2-16-16-3", "--data", blobs, "--method", "sketch", "--density", "0.2", "--rounds", "5", "--batch", "16"],
        shows: ["layers.0.weight:", "test accuracy"])
    #expect(sketch["method"] as? String == "sketch" && sketch["rounds"] as? Int == 5)
    #expect(isNumber(sketch["density"], in: 0.19...0.21))
    // 120 examples at batch 16: 8 steps; updates after steps 2, 4, 6, 8; d_f reached at step 4.
    let granet = try answer(
        ["prune", "--model", "mlp:2-16-16-3", "--data", blobs, "--method", "granet", "--final-density", "0.3", "--end", "0.5",
         "--frequency", "2", "--batch", "16"],
        shows: ["layers.0.weight:", "mask updates", "test accuracy"])
    #expect(granet["method"] as? String == "granet")
    #expect(isNumber(granet["density"], in: 0.29...0.31))
    let updates = granet["updates"] as? [[String: Any]] ?? []
    #expect(updates.map { $0["step"] as? Int } == [2, 4, 6, 8])
}

@Test func layerLotteryPrintsItsLevelsOnStdout() throws {
    let json = try answer(
        ["lottery", "--granularity", "layer", "--layer-score", "snip", "--model", "mlp:2-16-16-16-3", "--data", blobs, "--batch", "16"],
        shows: ["removed  layers", "removable layers (score): layers.2"])
    let levels = json["levels"] as? [[String: Any]] ?? []
    #expect(levels.map { $0["removed"] as? Int } == [0, 1, 2])
    #expect(levels.map { $0["layers_kept"] as? Int } == [4, 3, 2])
    #expect(levels.dropFirst().allSatisfy { isNumber($0["random_removal_accuracy"], in: 0...1) })
    #expect((json["units"] as? [[String: Any]])?.count == 4)
}

@Test func butterflyPrintsItsDivergenceOnStdout() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let json = try answer(
        ["butterfly", "--model", "mlp:2-16-16-3", "--data", blobs, "--epochs", "2", "--batch", "16", "--epsilon", "1e-3",
         "--parameter", "layers.0.weight", "--index", "1", "--report", directory.path],
        shows: ["perturbed layers.0.weight[1]", "disagreement", "final disagreement"])
    #expect(isNumber(json["disagreement"], in: 0...1) && json["identical"] as? Bool == false)
    #expect((json["weight_distance_curve"] as? [Any])?.count == 2 * 8 + 1)
    #expect((json["epochs"] as? [Any])?.count == 3)
    let svg = try String(contentsOf: directory.appendingPathComponent("butterfly.svg"), encoding: .utf8)
    #expect(svg.contains("<svg") && svg.contains("Weight divergence"))
    let saved = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("butterfly.json"))) as? [String: Any]
    #expect((saved?["weight_distance_curve"] as? [Any])?.count == 17)
    let identical = try #require(try CLI.run(
        ["butterfly", "--model", "mlp:2-16-16-3", "--data", blobs, "--epochs", "1", "--batch", "16", "--epsilon", "1e-30", "--json"]).json)
    #expect(identical["identical"] as? Bool == true && number(identical["disagreement"]) == 0)
}

@Test func supermaskPrintsItsMetricsOnStdout() throws {
    let json = try answer(
        ["supermask", "--model", "mlp:2-16-16-3", "--data", blobs, "--density", "0.5", "--batch", "16"],
        shows: ["layers.0.weight: density", "test accuracy"])
    #expect(json["method"] as? String == "edge-popup")
    #expect(isNumber(json["density"], in: 0.49...0.51))
    #expect(isNumber(json["test_accuracy"], in: 0...1))
}

@Test func proxiesPrintTheirScoresOnStdout() throws {
    let json = try answer(["proxies", "--model", "mlp:2-16-3", "--data", blobs, "--batch", "8"], shows: ["synflow", "jacob_cov", "gradsign_sum"])
    for key in ["synflow", "snip", "grasp", "fisher", "grad_norm", "jacob_cov", "gradsign_sum", "gradsign_mean"] {
        #expect(number(json[key]).map(\.isFinite) == true, "\(key)")
    }
    // SynFlow sums |θ ⊙ ∂R/∂θ| and snip |g ⊙ θ|: both positive for a network with nonzero weights.
    #expect(isNumber(json["synflow"], in: 1e-9...1e12))
    #expect(isNumber(json["snip"], in: 1e-12...1e12))
}

/// Writes `values` as a float32 .npy of `shape` into `directory`.
private func writeArray(_ values: [Float], shape: [Int], named name: String, in directory: URL) throws -> String {
    let path = directory.appendingPathComponent(name).path
    try NumPyFile.write(try Tensor(shape: shape, scalars: values), to: path)
    return path
}

@Test func dsePrintsTheEntropyOnStdout() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let cloud = try Tensor.normal([60, 3], key: RandomKey(seed: 1)).scalars
    let points = try writeArray(cloud, shape: [60, 3], named: "points.npy", in: directory)
    let labels = try writeArray((0..<60).map { Float($0 % 3) }, shape: [60], named: "labels.npy", in: directory)
    let json = try answer(["dse", "--points", points, "--labels", labels, "--sigma", "1"], shows: ["DSE", "bits"])
    // 60 eigenvalues: the entropy lies between 0 and log2(60) ≈ 5.9 bits
    #expect(isNumber(json["dse"], in: 0...5.91))
    #expect(number(json["dsmi"])?.isFinite == true)
    let model = try answer(["dse", "--model", "mlp:2-16-16-3", "--data", blobs, "--layer", "layers.1", "--samples", "40"],
                           shows: ["DSE of layers.1"])
    // the first 40 test examples, or the whole (smaller) test split
    #expect(model["layer"] as? String == "layers.1" && (2...40).contains(model["samples"] as? Int ?? 0))
    #expect(isNumber(model["dse"], in: 0...5.33))
}

@Test func miPrintsTheInformationOnStdout() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let z = try Tensor.normal([400, 2], key: RandomKey(seed: 2)).scalars
    let x = try writeArray((0..<400).map { z[2 * $0] }, shape: [400, 1], named: "x.npy", in: directory)
    let y = try writeArray((0..<400).map { 0.8 * z[2 * $0] + 0.6 * z[2 * $0 + 1] }, shape: [400, 1], named: "y.npy", in: directory)
    for estimator in ["binning", "kernel"] {
        let json = try answer(["mi", "--x", x, "--y", y, "--estimator", estimator], shows: ["I(X; Y) ="])
        // ρ = 0.8: I = −½ ln(1 − 0.64) ≈ 0.51 nats; 400 samples estimate it to within ~0.1
        #expect(isNumber(json["mi_nats"], in: 0.35...0.7), "\(estimator): \(json)")
        #expect(json["estimator"] as? String == estimator)
    }
}

@Test func interpolatePrintsThePathOnStdout() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let checkpoint = directory.appendingPathComponent("b.safetensors").path
    let trained = try CLI.run(["train", "--model", "mlp:2-16-3", "--data", blobs, "--epochs", "3", "--batch", "16", "--save", checkpoint])
    #expect(trained.status == 0, "\(trained.stderr)")
    let report = directory.appendingPathComponent("report").path
    let json = try answer(
        ["interpolate", "--from-init", "torch-default", "--to", checkpoint, "--data", blobs, "--alphas", "-0.5:1.5:9", "--examples", "60",
         "--report", report],
        shows: ["alpha  train_loss", "barrier (train loss)"])
    let rows = json["rows"] as? [[String: Any]] ?? []
    #expect(rows.count == 9)
    #expect(rows.map { number($0["alpha"]) ?? .nan } == [-0.5, -0.25, 0, 0.25, 0.5, 0.75, 1, 1.25, 1.5])
    #expect(number(json["barrier"])?.isFinite == true && json["monotone"] is Bool)
    #expect(FileManager.default.fileExists(atPath: report + "/interpolation.svg"))
}

@Test func theoryPseudoIIDPrintsErrorsAndSlopesOnStdout() throws {
    let json = try answer(["theory", "pseudo-iid", "--widths", "16,64", "--networks", "2", "--depth", "2"], shows: ["family", "slope"])
    let families = json["families"] as? [[String: Any]] ?? []
    #expect(families.compactMap { $0["family"] as? String } == ["iid", "orthogonal", "low-rank", "sparse"])
    for f in families { #expect(number(f["slope"])?.isFinite == true) }
}

@Test func trainTracksDSEAndTheInformationPlane() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let report = directory.appendingPathComponent("report").path
    let result = try CLI.run(["train", "--model", "mlp:2-16-16-3", "--data", blobs, "--epochs", "2", "--batch", "16",
                              "--track", "dse(sigma=1)", "--track", "mi:layers.0,layers.1", "--track-samples", "40", "--report", report, "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let tracked = try #require(result.json?["tracked"] as? [String: Any])
    let dse = try #require(tracked["dse"] as? [String: Any])
    #expect((dse["dse"] as? [Any])?.count == 3 && (dse["dsmi"] as? [Any])?.count == 3)
    let plane = (tracked["information_plane"] as? [String: Any])?["layers"] as? [[String: Any]] ?? []
    #expect(plane.compactMap { $0["layer"] as? String } == ["layers.0", "layers.1"])
    #expect(plane.allSatisfy { ($0["i_x_t_nats"] as? [Any])?.count == 3 })
    for file in ["README.md", "dse.svg", "information-plane.svg"] {
        #expect(FileManager.default.fileExists(atPath: report + "/" + file), "\(file)")
    }
}
