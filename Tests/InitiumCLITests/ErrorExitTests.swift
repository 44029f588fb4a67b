import Foundation
import Testing

/// Bad input gives exit status 1 and a one-line message naming the problem (docs/ARCHITECTURE.md).
private func expectUserError(_ result: CLIResult, mentioning needle: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 1, "status \(result.status), stderr: \(result.stderr)", sourceLocation: sourceLocation)
    let lines = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
    #expect(lines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(needle), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
}

@Test func unknownActivationIsAUserError() throws {
    expectUserError(try CLI.run(["train", "--act", "swishy", "--data", "blobs(n=50)", "--model", "mlp:2-4-3"]), mentioning: "swishy")
}

@Test func malformedModelSpecIsAUserError() throws {
    expectUserError(try CLI.run(["train", "--model", "mlp:784-abc-10", "--data", "blobs(n=50)"]), mentioning: "abc")
}

/// Coordinate networks: a bad activation or encoding inside the spec, and WINNER without a target
/// signal (inspect has none), are one-line user errors.
@Test func badCoordinateNetworkSpecsAndTargetlessWinnerAreUserErrors() throws {
    expectUserError(try CLI.run(["inspect", "--data", "blobs(n=50,dim=2)", "--model", "inr:in=2,out=3,layers=3,width=8,act=sin"]), mentioning: "sin")
    expectUserError(
        try CLI.run(["inspect", "--data", "blobs(n=50,dim=2)", "--model", "inr:in=2,out=3,layers=3,width=8,encoding=fourier(sigma=0)"]),
        mentioning: "sigma")
    expectUserError(
        try CLI.run(["inspect", "--data", "blobs(n=50,dim=2)", "--model", "inr:in=2,out=3,layers=3,width=8,act=sine(omega=30)", "--init", "winner"]),
        mentioning: "target")
}

@Test func missingDatasetNamesTheDebianPackage() throws {
    expectUserError(try CLI.run(["train", "--data-dir", "/nonexistent/fmnist", "--limit-train", "10"]), mentioning: "dataset-fashion-mnist")
}

@Test func missingFortunesNameTheDebianPackageAndMissingModelsTheScript() throws {
    for data in ["fortunes-bytes", "fortunes-topics"] {
        expectUserError(
            try CLI.run(["train", "--data", data, "--data-dir", "/nonexistent/fortunes", "--limit-train", "10"]),
            mentioning: "install Debian's fortunes package (scripts/install-system-deps)")
    }
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try "a fortune\n%\nanother\n".write(to: directory.appendingPathComponent("cookie"), atomically: true, encoding: .utf8)
    let result = try CLI.run(
        ["train", "--data", "fortunes-topics", "--data-dir", directory.path, "--limit-train", "10"],
        environment: ["INITIUM_MODELS": directory.appendingPathComponent("models").path])
    expectUserError(result, mentioning: "run scripts/install-models")
}

@Test func corruptIDXFileIsAUserError() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // A header promising 60000 images of 28x28 followed by only 100 bytes.
    var truncated: [UInt8] = [0, 0, 8, 3, 0, 0, 0xEA, 0x60, 0, 0, 0, 28, 0, 0, 0, 28]
    truncated += [UInt8](repeating: 7, count: 100)
    for name in ["train-images-idx3-ubyte", "t10k-images-idx3-ubyte"] {
        try Data(truncated).write(to: directory.appendingPathComponent(name))
    }
    for name in ["train-labels-idx1-ubyte", "t10k-labels-idx1-ubyte"] {
        try Data([0, 0, 8, 1, 0, 0, 0, 1, 3]).write(to: directory.appendingPathComponent(name))
    }
    let result = try CLI.run(["train", "--data-dir", directory.path])
    expectUserError(result, mentioning: "truncated")
    #expect(result.stderr.contains("train-images-idx3-ubyte"))
}

@Test func badOptionValuesAreUserErrors() throws {
    expectUserError(try CLI.run(["train", "--data", "blobs(n=50)", "--model", "mlp:2-4-3", "--lr=-1"]), mentioning: "learning rate")
    expectUserError(try CLI.run(["train", "--data", "blobs(n=50)", "--model", "mlp:2-4-3", "--init", "he-normal(gian=2)"]), mentioning: "gian")
    #expect(try CLI.run(["train", "--no-such-flag"]).status == 1)
}

@Test func trainEndsWithOneJSONLine() throws {
    let result = try CLI.run(["train", "--model", "mlp:2-8-3", "--data", "blobs(n=120,classes=3,spread=0.5)", "--epochs", "2",
                              "--batch", "16", "--lr", "0.05", "--json"])
    #expect(result.status == 0, "\(result.stderr)")
    let json = try #require(result.json)
    for key in ["test_accuracy", "test_loss", "train_loss", "epochs", "seconds", "steps_per_second", "samples_per_second"] {
        #expect(json[key] != nil, "missing \(key)")
    }
    #expect(json["epochs"] as? Int == 2)
}

@Test func libraryErrorsNameTheFlagsTheUserTyped() throws {
    // Library messages name properties (`levels`, `batchSize`, `activation`); the tool prints the flags.
    let lottery = try CLI.run(["lottery", "--levels=-1", "--data", "blobs(n=50)", "--model", "mlp:2-4-3"])
    expectUserError(lottery, mentioning: "--levels must be at least 0, got -1")
    let inspect = try CLI.run(["inspect", "--batch", "1", "--data", "blobs(n=50)", "--model", "mlp:2-4-3"])
    expectUserError(inspect, mentioning: "--batch must be at least 2")
    let initialize = try CLI.run(["init", "--scheme", "eoc", "--shape", "4,4"])
    expectUserError(initialize, mentioning: "none was given (--act, e.g. tanh)")
    for result in [lottery, inspect, initialize] {
        #expect(!result.stderr.contains("`"), "stderr: \(result.stderr)")
    }
}

@Test func embedGraphRefusesBadSettingsAndNonGraphData() throws {
    let out = "/nonexistent/e.npy"
    expectUserError(try CLI.run(["embed-graph", "--data", "karate", "--dim", "0", "--out", out]), mentioning: "--dim must be at least 1, got 0")
    expectUserError(try CLI.run(["embed-graph", "--data", "karate", "--negatives", "0", "--out", out]), mentioning: "--negatives must be at least 1")
    expectUserError(
        try CLI.run(["embed-graph", "--data", "karate", "--init", "partition(k=35)", "--out", out]),
        mentioning: "the number of parts k (35) must not exceed the number of nodes (34)")
    expectUserError(try CLI.run(["embed-graph", "--data", "karate", "--init", "lsuv", "--out", out]), mentioning: "choose random or partition")
    expectUserError(try CLI.run(["embed-graph", "--data", "karate", "--held-out", "1", "--out", out]), mentioning: "held-out edge fraction must be in [0, 1)")
    expectUserError(
        try CLI.run(["embed-graph", "--data", "blobs(n=50)", "--out", out]), mentioning: "needs a node-classification graph dataset")
    expectUserError(try CLI.run(["embed-graph", "--data", "karate", "--out", "/tmp/e.txt"]), mentioning: "--out must name a .npy file")
}

@Test func diagnosticCommandsRefuseBadInput() throws {
    let blobs = "blobs(n=60,classes=3)"
    expectUserError(try CLI.run(["dse", "--model", "mlp:2-8-3", "--data", blobs, "--layer", "nope"]), mentioning: "valid layers: layers.0")
    expectUserError(try CLI.run(["train", "--model", "mlp:2-8-3", "--data", blobs, "--track", "dse:nope"]), mentioning: "valid layers")
    expectUserError(try CLI.run(["train", "--model", "mlp:2-8-3", "--data", blobs, "--track", "entropy"]), mentioning: "valid: rotation, dse")
    expectUserError(try CLI.run(["mi", "--x", "a.npy", "--y", "b.npy", "--estimator", "histogram"]), mentioning: "valid: binning")
    expectUserError(try CLI.run(["dse", "--points", "/nonexistent/p.npy"]), mentioning: "/nonexistent/p.npy")
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let a = directory.appendingPathComponent("a.safetensors").path, b = directory.appendingPathComponent("b.safetensors").path
    #expect(try CLI.run(["train", "--model", "mlp:2-8-3", "--data", blobs, "--epochs", "1", "--save", a]).status == 0)
    #expect(try CLI.run(["train", "--model", "mlp:2-4-3", "--data", blobs, "--epochs", "1", "--save", b]).status == 0)
    expectUserError(try CLI.run(["interpolate", "--from", a, "--to", b, "--data", blobs]), mentioning: "different architectures")
    expectUserError(try CLI.run(["interpolate", "--from", a, "--to", a, "--data", blobs, "--alphas", "1.5:-0.5:41"]), mentioning: "reversed")
}

@Test func probe2PruningBadInputsAreUserErrors() throws {
    let data = ["--data", "blobs(n=60,classes=3)", "--model", "mlp:2-8-8-3", "--batch", "16"]
    expectUserError(try CLI.run(["butterfly", "--epsilon", "0"] + data), mentioning: "--epsilon must be a nonzero finite number")
    expectUserError(try CLI.run(["butterfly", "--parameter", "fc9.weight"] + data), mentioning: "layers.0.weight, layers.0.bias")
    expectUserError(try CLI.run(["butterfly", "--parameter", "layers.0.weight", "--index", "16"] + data), mentioning: "has 16 entries")
    expectUserError(try CLI.run(["prune", "--method", "granet"] + data), mentioning: "--final-density")
    expectUserError(try CLI.run(["prune", "--method", "granet", "--final-density", "0.1", "--density", "0.1"] + data), mentioning: "--density does not apply")
    expectUserError(try CLI.run(["prune", "--method", "snip", "--final-density", "0.1"] + data), mentioning: "--final-density applies only to --method granet")
    expectUserError(try CLI.run(["prune", "--method", "pruny"] + data), mentioning: "sketch, granet")
    expectUserError(try CLI.run(["lottery", "--granularity", "block"] + data), mentioning: "choose weight or layer")
    expectUserError(try CLI.run(["lottery", "--granularity", "layer", "--rate", "0.5"] + data), mentioning: "--rate does not apply")
    expectUserError(try CLI.run(["lottery", "--granularity", "layer", "--layer-score", "best"] + data), mentioning: "unknown pruning method 'best'")
}

@Test func signalsThatCannotBeFittedAreUserErrors() throws {
    let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path
    // a WAV that is not 16-bit PCM says what it is; an image size above the image names both
    expectUserError(try CLI.run(["fit", "audio", "--audio", fixtures + "/float-32bit.wav"]), mentioning: "32-bit IEEE float")
    expectUserError(try CLI.run(["fit", "image", "--image", fixtures + "/grey-7x5.png", "--size", "9"]), mentioning: "above the image's 7×5 pixels")
    expectUserError(try CLI.run(["compare", "--task", "fit(image=camera,audio=Front_Center)", "--model", "mlp:2-8-1"]), mentioning: "exactly one of image=NAME or audio=NAME")
}
