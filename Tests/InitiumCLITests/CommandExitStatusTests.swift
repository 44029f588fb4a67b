import Foundation
import Testing

// The exit statuses of the command-line contract (design.md; Sources/initium/Initium.swift
// `report`): 1 with a one-line message for bad input, 2 for an internal failure. Every command
// has one bad-input case here (issue 19, item 6); `everyCommandHasABadInputCase` keeps the table
// in step with the tool's command list.

private let blobs = "blobs(n=60,classes=3)"

/// Each command with input it must refuse and a word the message must contain (what was wrong).
private let badInputs: [String: (arguments: [String], needle: String)] = [
    "train": (["train", "--model", "mlp:2-8-3", "--data", "blobs(n=abc)"], "'abc' is not an integer for n"),
    "compare": (["compare", "--model", "mlp:2-8-3", "--data", blobs, "--inits", "he-normal,nonsense"], "invalid initialization scheme 'nonsense'"),
    "inspect": (["inspect", "--model", "mlp:2-8-3", "--data", blobs, "--batch", "1"], "--batch must be at least 2"),
    "cka": (["cka", "--model", "mlp:2-8-3", "--data", blobs, "--init-b", "orthogonal(gian=1)"], "no parameter 'gian'"),
    "bench train": (["bench", "train", "--model", "mlp:2-x-3", "--steps", "1", "--warmup", "0"], "'x' is not a width"),
    "bench init": (["bench", "init", "--scheme", "nonsense", "--shape", "4,4", "--repeats", "1"], "invalid initialization scheme 'nonsense'"),
    // `schemes` takes no input but its flags: the only bad input is an argument parse error.
    "schemes": (["schemes", "extra"], "Unexpected argument 'extra'"),
    "init": (["init", "--scheme", "he-normal", "--shape", "4,x"], "got '4,x'"),
    "theory map": (["theory", "map", "--act", "swishy", "--sigma-w2", "1"], "unknown activation 'swishy'"),
    "theory simulate": (["theory", "simulate", "--sigma-w2", "1", "--width", "0"], "width ≥ 2"),
    "theory eoc": (["theory", "eoc", "--act", "swishy"], "unknown activation 'swishy'"),
    "theory gain": (["theory", "gain", "--act", "swishy"], "unknown activation 'swishy'"),
    "theory sparse": (["theory", "sparse", "--sparsity", "1.5"], "sparsity must be strictly between 0 and 1"),
    "theory maxout": (["theory", "maxout", "--k", "0"], "k must be an integer of at least 1"),
    "theory phase": (["theory", "phase", "--resolution", "0"], "resolution must be at least 2"),
    "prune": (["prune", "--model", "mlp:2-8-3", "--data", blobs, "--method", "nonsense", "--density", "0.5"], "unknown pruning method 'nonsense'"),
    "lottery": (["lottery", "--model", "mlp:2-8-3", "--data", blobs, "--levels=-1"], "--levels must be at least 0, got -1"),
    "supermask": (["supermask", "--model", "mlp:2-8-3", "--data", blobs, "--density", "2"], "density must be in (0, 1]"),
    "proxies": (["proxies", "--model", "mlp:2-8-3", "--data", blobs, "--batch", "0"], "--batch must be at least 2"),
    "generate": (["generate", "--checkpoint", "/nonexistent/gpt.safetensors", "--prompt", "Hi"], "/nonexistent/gpt.safetensors"),
    "coord-check": (["coord-check", "--widths", "64,abc"], "--widths: 'abc' is not a positive integer"),
    "butterfly": (["butterfly", "--model", "mlp:2-8-3", "--data", blobs, "--epsilon", "0"], "--epsilon must be a nonzero finite number"),
    "embed": (["embed", "--model", "mlp:2-8-3", "--input", "/nonexistent/lines.txt", "--out", "/nonexistent/e.npy"], "--model must be bert:pretrained=DIR"),
    "embed-graph": (["embed-graph", "--data", "karate", "--init", "partition(alpha=2)", "--out", "/nonexistent/e.npy"], "alpha must be in [0, 1], got 2"),
    "dse": (["dse", "--model", "mlp:2-8-3", "--data", blobs, "--layer", "nope"], "valid layers: layers.0"),
    "mi": (["mi", "--x", "a.npy", "--y", "b.npy", "--estimator", "histogram"], "unknown estimator 'histogram'"),
    "fit image": (["fit", "image", "--image", "camera", "--size", "0"], "the image size must be positive, got 0"),
    "bench fit": (["bench", "fit", "--size", "0"], "the image size must be positive, got 0"),
    "fit audio": (["fit", "audio", "--audio", "/nonexistent/sound.wav"], "does not exist"),
    "meta-init": (["meta-init", "--method", "maml", "--out", "/nonexistent/init.safetensors"], "unknown --method 'maml'"),
    "interpolate": (["interpolate", "--from-init", "he-normal", "--to", "/nonexistent/b.safetensors", "--alphas", "1:0:5"], "is reversed"),
    "theory pseudo-iid": (["theory", "pseudo-iid", "--widths", "8,x"], "--widths must be comma-separated integers"),
]

/// The leaf commands `initium --experimental-dump-help` lists ("theory map", "bench init", …).
func leafCommands() throws -> [(name: String, info: [String: Any])] {
    let dump = try CLI.run(["--experimental-dump-help"])
    let root = try #require((try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any])?["command"] as? [String: Any])
    var leaves: [(String, [String: Any])] = []
    func walk(_ command: [String: Any], _ prefix: [String]) {
        let name = prefix + [command["commandName"] as? String ?? "?"]
        let subcommands = (command["subcommands"] as? [[String: Any]] ?? []).filter { $0["commandName"] as? String != "help" }
        if subcommands.isEmpty { leaves.append((name.dropFirst().joined(separator: " "), command)) }
        for sub in subcommands { walk(sub, name) }
    }
    walk(root, [])
    return leaves
}

@Test func everyCommandHasABadInputCase() throws {
    let names = Set(try leafCommands().map(\.name))
    #expect(names.count >= 19)
    #expect(names == Set(badInputs.keys), "no case: \(names.subtracting(badInputs.keys).sorted()); gone: \(Set(badInputs.keys).subtracting(names).sorted())")
}

/// Bad input: exit 1, nothing on stdout, and exactly one error line on stderr naming the problem
/// (a progress line before it is allowed; ArgumentParser's own parse errors start with "Error:").
@Test(arguments: badInputs.keys.sorted())
func badInputExitsOneWithOneLine(command: String) throws {
    let (arguments, needle) = try #require(badInputs[command])
    for json in [false, true] {
        let result = try CLI.run(arguments + (json ? ["--json"] : []))
        #expect(result.status == 1, "\(arguments): status \(result.status), stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty, "\(arguments): stdout \(result.stdout)")
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") || $0.hasPrefix("Error:") }
        #expect(errors.count == 1 && errors[0].contains(needle), "\(arguments): stderr \(result.stderr)")
    }
}

/// An internal failure exits 2 with one "internal error" line, for a command of each kind (the
/// engine's internal-failure paths guard invariants no input breaks, so the hidden variable
/// INITIUM_TEST_INTERNAL_FAILURE of Initium.swift raises one once the command is parsed); a
/// parse error still exits 1 with the variable set, as parsing comes first.
@Test func internalFailureExitsTwo() throws {
    let environment = ["INITIUM_TEST_INTERNAL_FAILURE": "1"]
    for arguments in [["theory", "gain"], ["schemes", "--json"], ["init", "--scheme", "he-normal", "--shape", "4,4"]] {
        let result = try CLI.run(arguments, environment: environment)
        #expect(result.status == 2, "\(arguments): status \(result.status), stderr: \(result.stderr)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("error: internal error"), "\(result.stderr)")
    }
    #expect(try CLI.run(["theory", "gain", "--no-such-flag"], environment: environment).status == 1)
    #expect(try CLI.run(["theory", "gain"], environment: ["INITIUM_TEST_INTERNAL_FAILURE": ""]).status == 0)
}
