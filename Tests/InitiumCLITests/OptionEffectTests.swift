import Foundation
import Testing

// Every option of every command either changes the answer or is refused (issue 19, item 9): an
// option that is accepted and silently ignored (as `init --model … --out` once was) fails here.
// For each command the test runs a small baseline with --json, then, for every option the tool's
// own dump (`initium --experimental-dump-help`) lists, the baseline plus that option at a
// non-default value; it requires exit 1 (refused where it does not apply) or exit 0 with a
// different JSON answer (timings removed), or, for options naming an output file, the file. A
// new option without an entry in `changes` fails the test, so it must be given a case.

private let blobs = "blobs(n=60,classes=3)"
private let fileMarker = "<FILE>"

/// A file of this test target's Fixtures folder.
private func fixture(_ name: String) -> String {
    Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")!.path
}

/// Each command's baseline: small inputs, so the whole walk stays well under a minute.
private let baselines: [String: [String]] = [
    "train": ["train", "--model", "mlp:2-8-3", "--data", blobs, "--batch", "16"],
    "compare": ["compare", "--model", "mlp:2-8-3", "--data", blobs, "--inits", "he-normal", "--batch", "16"],
    "inspect": ["inspect", "--model", "mlp:2-8-3", "--data", blobs, "--batch", "32"],
    "cka": ["cka", "--model", "mlp:2-8-3", "--data", blobs, "--batch", "32"],
    "bench train": ["bench", "train", "--model", "mlp:784-8-10", "--batch", "8", "--steps", "2", "--warmup", "0"],
    "bench init": ["bench", "init", "--scheme", "normal", "--shape", "8,8", "--repeats", "1"],
    "schemes": ["schemes"],
    "init": ["init", "--scheme", "he-normal", "--shape", "8,4"],
    "theory map": ["theory", "map", "--sigma-w2", "1.5"],
    "theory simulate": ["theory", "simulate", "--sigma-w2", "1.5", "--width", "20", "--depth", "2", "--networks", "1", "--pairs", "1"],
    "theory eoc": ["theory", "eoc"],
    "theory gain": ["theory", "gain"],
    "theory sparse": ["theory", "sparse", "--sparsity", "0.5"],
    "theory maxout": ["theory", "maxout"],
    "theory phase": ["theory", "phase", "--resolution", "4"],
    "prune": ["prune", "--model", "mlp:2-8-8-3", "--data", blobs, "--method", "magnitude", "--density", "0.5", "--batch", "16"],
    // lottery reports only test accuracies: 300 overlapping blobs (a 60-example test set) so that
    // accuracy moves with the training settings; supermask: lr 5 and 2 epochs so the score
    // updates flip some mask entries.
    "lottery": ["lottery", "--model", "mlp:2-8-8-3", "--data", "blobs(n=300,classes=3,spread=2)", "--levels", "1", "--no-controls",
                "--batch", "32", "--lr", "0.1"],
    "supermask": ["supermask", "--model", "mlp:2-8-8-3", "--data", blobs, "--batch", "16", "--lr", "5", "--epochs", "2"],
    "proxies": ["proxies", "--model", "mlp:2-8-3", "--data", blobs, "--batch", "8"],
    "dse": ["dse", "--model", "mlp:2-8-3", "--data", blobs, "--samples", "20", "--sigma", "1"],
    "mi": ["mi", "--x", fixture("mi_x.npy"), "--y", fixture("mi_y.npy")],
    "interpolate": ["interpolate", "--from-init", "torch-default", "--to", fixture("mlp-2-8-3.safetensors"), "--data", blobs,
                    "--alphas", "-0.5:1.5:5", "--examples", "30"],
    "theory pseudo-iid": ["theory", "pseudo-iid", "--widths", "8,16", "--networks", "1", "--depth", "2", "--inputs", "2"],
    "butterfly": ["butterfly", "--model", "mlp:2-8-3", "--data", blobs, "--batch", "16"],
    "fit image": ["fit", "image", "--image", "camera", "--size", "16", "--model", "mlp:2-8-1", "--act", "relu", "--init", "he-uniform",
                  "--steps", "2", "--every", "1"],
    "bench fit": ["bench", "fit", "--size", "8", "--model", "mlp:2-8-1", "--act", "relu", "--init", "he-uniform", "--steps", "2", "--warmup", "0"],
    "fit audio": ["fit", "audio", "--audio", fixture("stereo-16bit.wav"), "--model", "mlp:1-8-1", "--act", "relu", "--init", "he-uniform",
                  "--steps", "2", "--every", "1"],
    "meta-init": ["meta-init", "--model", "mlp:2-8-1", "--outer-steps", "3", "--inner-steps", "1", "--tasks", "4", "--held-out", "2",
                  "--compare-at", "1", "--baseline-steps", "2", "--out", NSTemporaryDirectory() + "initium-option-effect-meta.safetensors"],
]

/// The arguments that set each option to a non-default value, by option name; `command option`
/// entries override the generic ones. Arguments already in the baseline are replaced (the last
/// occurrence of an option wins in ArgumentParser, so appending is enough).
private let changes: [String: [String]] = [
    "model": ["--model", "mlp:2-5-3"], "act": ["--act", "tanh"], "init": ["--init", "orthogonal"],
    "data": ["--data", "blobs(n=90,classes=3)"], "data-dir": ["--data-dir", "/nonexistent"],
    "no-standardize": ["--no-standardize"], "limit-train": ["--limit-train", "30"], "center-features": ["--center-features"],
    "epochs": ["--epochs", "2"], "batch": ["--batch", "8"], "optimizer": ["--optimizer", "adam"], "lr": ["--lr", "0.3"],
    "momentum": ["--momentum", "0.5"], "nesterov": ["--nesterov"], "weight-decay": ["--weight-decay", "0.1"],
    "schedule": ["--schedule", "constant"], "seed": ["--seed", "5"], "seeds": ["--seeds", "2"],
    "track": ["--track", fileMarker + ".json"], "report": ["--report", fileMarker + ".json"], "output": ["--output", fileMarker + ".json"],
    "out": ["--out", fileMarker + ".svg"], "jacobian": ["--jacobian"], "igb-seeds": ["--igb-seeds", "2"],
    "init-b": ["--init-b", "he-normal"], "inits": ["--inits", "orthogonal"], "steps": ["--steps", "3"], "warmup": ["--warmup", "1"],
    "scheme": ["--scheme", "uniform"], "shape": ["--shape", "8,6"], "layout": ["--layout", "embedding"], "groups": ["--groups", "2"],
    "fan-in": ["--fan-in", "3", "--fan-out", "5"], "fan-out": ["--fan-in", "3", "--fan-out", "5"], "repeats": ["--repeats", "2"],
    "sigma-w2": ["--sigma-w2", "2"], "sigma-b2": ["--sigma-b2", "0.1"], "q0": ["--q0", "2"], "width": ["--width", "30"],
    "depth": ["--depth", "3"], "pairs": ["--pairs", "2"], "networks": ["--networks", "2"], "c0": ["--c0", "0.3"],
    "sigma-p": ["--sigma-p", "2"], "q-star": ["--q-star", "2"], "clip": ["--clip", "1"], "k": ["--k", "3"],
    "resolution": ["--resolution", "5"], "sigma-w2-range": ["--sigma-w2-range", "1,3"], "sigma-b2-range": ["--sigma-b2-range", "0.1,0.3"],
    "method": ["--method", "random"], "density": ["--density", "0.3"], "compression": ["--compression", "3"],
    "rounds": ["--rounds", "2"], "prune-schedule": ["--rounds", "3", "--prune-schedule", "linear"], "scope": ["--scope", "layerwise"],
    "include-classifier": ["--include-classifier"], "prunable": ["--prunable", "layers.0.weight"], "rescale": ["--rescale"],
    "allow-collapse": ["--allow-collapse", "--density", "0.01", "--scope", "layerwise"], "score-samples": ["--method", "snip", "--score-samples", "6"],
    "levels": ["--levels", "2"], "rate": ["--rate", "0.5"], "rewind-step": ["--rewind-step", "1"],
    "classifier-rate": ["--include-classifier", "--classifier-rate", "0.5"], "controls": ["--controls"], "weights": ["--weights", "init"],
    // Overrides where the generic value is the command's default or does not fit.
    "prune schedule": ["--schedule", "cosine"], "lottery schedule": ["--schedule", "cosine"], "supermask schedule": ["--schedule", "cosine"],
    "compare act": ["--act", "relu"], "supermask density": ["--density", "0.3"], "theory gain act": ["--act", "tanh"],
    "theory sparse act": ["--act", "clipped-soft-threshold"], "theory map act": ["--act", "relu"], "theory simulate act": ["--act", "relu"],
    "theory phase act": ["--act", "relu"], "theory eoc act": ["--act", "erf"], "bench train model": ["--model", "mlp:784-5-10"],
    "bench init act": ["--act", "tanh"], "bench init layout": ["--shape", "8,4,3", "--layout", "conv1d"],
    "init model": ["--model", "mlp:2-5-3", "--data", blobs], "init data": ["--data", "blobs(n=90,classes=3)"],
    "prune prunable": ["--prunable", "layers.0.weight"], "sparsity": ["--sparsity", "0.7"],
    "bench train batch": ["--batch", "16"], "proxies batch": ["--batch", "16"], "supermask epochs": ["--epochs", "3"],
    "lottery batch": ["--batch", "16"], "lottery data": ["--data", "blobs(n=200,classes=3,spread=2)"],
    "init act": ["--act", "tanh"], "init with --act and a scheme that reads it": [],
    // Training-length and update options: warm-up 1 is the identity (min(1, (t+1)/1) = 1), so
    // 5 steps; these small models' gradients have norms near 1, so clip well below.
    "train warmup": ["--warmup", "5"], "compare warmup": ["--warmup", "5"], "prune warmup": ["--warmup", "5"],
    "lottery warmup": ["--warmup", "5"], "supermask warmup": ["--warmup", "5"],
    "train clip": ["--clip", "0.01"], "compare clip": ["--clip", "0.01"], "prune clip": ["--clip", "0.01"],
    "lottery clip": ["--clip", "0.01"], "supermask clip": ["--clip", "0.01"],
    "decay-all": ["--decay-all"], "save": ["--save", fileMarker + ".safetensors"],
    "init-from": ["--init-from", "/nonexistent/weights.safetensors"],
    "bench train optimizer": ["--optimizer", "adamw"],
    // dse, mi, interpolate, theory pseudo-iid, train --track-samples
    "track-samples": ["--track-samples", "20"], "points": ["--points", "/nonexistent/points.npy"],
    "labels": ["--labels", "/nonexistent/labels.npy"], "checkpoint": ["--checkpoint", "/nonexistent/model.safetensors"],
    "layer": ["--layer", "layers.0"], "samples": ["--samples", "8"], "sigma": ["--sigma", "3"], "diffusion-steps": ["--diffusion-steps", "2"],
    "x": ["--x", "/nonexistent/x.npy"], "y": ["--y", "/nonexistent/y.npy"], "estimator": ["--estimator", "kernel"],
    "from": ["--from", "/nonexistent/a.safetensors"], "from-init": ["--from-init", "orthogonal"], "to": ["--to", "/nonexistent/b.safetensors"],
    "alphas": ["--alphas", "0:1:3"], "examples": ["--examples", "20"], "widths": ["--widths", "8,32"], "inputs": ["--inputs", "3"],
    "rank": ["--rank", "0.25"], "svg": ["--svg", fileMarker + ".svg"],
    "theory pseudo-iid sigma-w2": ["--sigma-w2", "1.5"], "theory pseudo-iid act": ["--act", "tanh"],
    "interpolate report": ["--report", fileMarker], "interpolate limit-train": ["--limit-train", "10"],
    // prune --method granet's options (refused with the baseline's magnitude), lottery's layer tickets, butterfly.
    "final-density": ["--final-density", "0.3"], "initial-density": ["--initial-density", "0.8"], "start": ["--start", "1"],
    "end": ["--end", "1"], "frequency": ["--frequency", "2"], "regeneration-rate": ["--regeneration-rate", "0.2"],
    "granularity": ["--granularity", "layer"], "layer-score": ["--layer-score", "snip"],
    "epsilon": ["--epsilon", "0.01"], "parameter": ["--parameter", "layers.2.weight"], "index": ["--index", "3"],
    "butterfly warmup": ["--warmup", "5"], "butterfly clip": ["--clip", "0.01"],
    // fit image|audio, compare --task
    "image": ["--image", fixture("grey-7x5.png"), "--size", "5"], "size": ["--size", "8"], "every": ["--every", "2"],
    "audio": ["--audio", "Front_Center"], "task": ["--task", "fit(image=camera,size=8,steps=2)", "--model", "mlp:2-8-1"],
    "meta-init family": ["--family", "celeba"], "meta-init model": ["--model", "mlp:2-6-1"], "meta-init act": ["--act", "tanh"],
    "meta-init init": ["--init", "he-uniform"], "meta-init method": ["--method", "tiny-reptile"], "meta-init outer-steps": ["--outer-steps", "2"],
    "meta-init inner-steps": ["--inner-steps", "2"], "meta-init inner-optimizer": ["--inner-optimizer", "sgd"],
    "meta-init inner-lr": ["--inner-lr", "1e-3"], "meta-init outer-lr": ["--outer-lr", "1e-3"], "meta-init meta-batch": ["--meta-batch", "1"],
    "meta-init tasks": ["--tasks", "5"], "meta-init held-out": ["--held-out", "1"], "meta-init compare-at": ["--compare-at", "2"],
    "meta-init baseline-steps": ["--baseline-steps", "3"], "meta-init eval-lr": ["--eval-lr", "1e-3"], "meta-init every": ["--every", "1"],
    "meta-init data-dir": ["--data-dir", "/nonexistent/fashion-mnist"], "meta-init out": ["--out", fileMarker + ".safetensors"],
    "meta-init report": ["--report", fileMarker],
    "bench fit size": ["--size", "6"], "fit image steps": ["--steps", "3"], "fit audio steps": ["--steps", "3"],
]

/// Options with no value to vary, and why.
private let exempt: [String: String] = [
    "help": "prints the help and exits",
    "json": "the baseline itself (the walk compares JSON answers)",
    "standardize": "the default; --no-standardize is the change",
    "no-controls": "lottery's baseline sets it (controls are slow); --controls is the change",
    "threads": "results are bit-identical across thread counts by design (the determinism tests check it); bench reports echo it",
]

/// `json` without the values that differ between identical runs: wall-clock timings and memory.
private func stable(_ value: Any) -> Any {
    if let object = value as? [String: Any] {
        var kept: [String: Any] = [:]
        for (key, inner) in object where !(key.contains("seconds") || key.contains("per_second") || key == "peak_rss_mb") {
            kept[key] = stable(inner)
        }
        return kept
    }
    if let array = value as? [Any] { return array.map(stable) }
    return value
}

private func canonical(_ json: [String: Any]?) -> String {
    guard let json, let data = try? JSONSerialization.data(withJSONObject: stable(json), options: [.sortedKeys]) else { return "" }
    return String(decoding: data, as: UTF8.self)
}

@Test(arguments: baselines.keys.sorted())
func everyOptionChangesTheAnswerOrIsRefused(command: String) throws {
    let commands = Dictionary(try leafCommands().map { ($0.name, $0.info) }, uniquingKeysWith: { a, _ in a })
    let info = try #require(commands[command], "no command \(command)")
    let baseline = try #require(baselines[command])
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }

    let reference = try CLI.run(baseline + ["--json"])
    #expect(reference.status == 0, "\(baseline): \(reference.stderr)")
    let referenceAnswer = canonical(reference.json)
    #expect(!referenceAnswer.isEmpty && referenceAnswer != "{}", "\(baseline): no stable JSON answer: \(reference.stdout)")

    let options = (info["arguments"] as? [[String: Any]] ?? []).compactMap { argument -> String? in
        ((argument["names"] as? [[String: Any]]) ?? []).first { $0["kind"] as? String == "long" }?["name"] as? String
    }
    #expect(!options.isEmpty)
    for (index, option) in options.enumerated() where exempt[option] == nil {
        guard let change = changes["\(command) \(option)"] ?? changes[option] else {
            Issue.record("\(command) --\(option): no case in `changes`; give it a non-default value")
            continue
        }
        let file = directory.appendingPathComponent("\(index)").path
        let arguments = baseline + change.map { $0.replacingOccurrences(of: fileMarker, with: file) } + ["--json"]
        let result = try CLI.run(arguments)
        switch result.status {
        case 1:
            #expect(result.stderr.split(separator: "\n").contains { $0.hasPrefix("error:") || $0.hasPrefix("Error:") },
                    "\(arguments): exit 1 without an error line: \(result.stderr)")
        case 0:
            if change.contains(where: { $0.hasPrefix(fileMarker) }) {
                let written = change.first { $0.hasPrefix(fileMarker) }!.replacingOccurrences(of: fileMarker, with: file)
                let size = (try? FileManager.default.attributesOfItem(atPath: written)[.size] as? Int) ?? 0
                #expect(size > 0, "\(command) --\(option): exit 0 but \(written) was not written")
            } else {
                #expect(canonical(result.json) != referenceAnswer,
                        "\(command) --\(option): accepted and ignored (\(change.joined(separator: " ")) gives the baseline's answer)")
            }
        default:
            Issue.record("\(arguments): status \(result.status): \(result.stderr)")
        }
    }
}
