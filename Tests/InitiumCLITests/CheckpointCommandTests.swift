import Foundation
import InitiumCore
import InitiumNN
import Testing

// `train --save`, `train --init-from` and `generate --checkpoint` (issue 11): what the files hold,
// that a run starts from them, and the one-line errors for files that do not fit.

private let blobs = "blobs(n=120,classes=3)"
private let small = ["train", "--model", "mlp:2-8-3", "--data", blobs, "--batch", "16"]

/// Whether this build has the byte-level GPT family and the fortunes-bytes data (issue 11's other
/// parts); the generate round trip needs both.
private let hasLanguageModels = (try? ModelSpec("gpt:layers=1,width=16,heads=2,context=16")) != nil
    && (try? DatasetSpec("fortunes-bytes")) != nil

@Test func trainSaveWritesTheModelWithWhatRebuildsIt() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("model.safetensors").path
    let trained = try CLI.run(small + ["--save", path, "--json"])
    #expect(trained.status == 0, "\(trained.stderr)")
    let (checkpoint, model) = try ModelCheckpoint.load(from: path)
    #expect(checkpoint.model == "mlp:2-8-3" && checkpoint.dataset == blobs && checkpoint.inputShape == [2] && checkpoint.classCount == 3)
    #expect(model.namedParameters.map(\.path) == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"])

    // A run of another initialization started from these weights, with a step too small to move
    // them, evaluates to the saved model's test loss; its own initialization would not.
    let resumed = try CLI.run(small + ["--init", "orthogonal", "--init-from", path, "--steps", "1", "--lr", "1e-30", "--json"])
    let fresh = try CLI.run(small + ["--init", "orthogonal", "--steps", "1", "--lr", "1e-30", "--json"])
    let loss = { (result: CLIResult) in (result.json?["test_loss"] as? NSNumber)?.doubleValue ?? .nan }
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(abs(loss(resumed) - loss(trained)) < 1e-6 * loss(trained))
    #expect(abs(loss(fresh) - loss(trained)) > 1e-3)
}

@Test func initFromAnotherModelsWeightsIsAUserErrorAndNothingIsWritten() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let other = directory.appendingPathComponent("other.safetensors").path
    let saved = directory.appendingPathComponent("never.safetensors").path
    #expect(try CLI.run(["train", "--model", "mlp:2-5-3", "--data", blobs, "--save", other]).status == 0)
    let result = try CLI.run(small + ["--init-from", other, "--save", saved])
    #expect(result.status == 1)
    #expect(result.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }.count == 1)
    #expect(result.stderr.contains("layers.0.weight") && result.stderr.contains(other), "\(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: saved))
}

@Test func epochsAndStepsTogetherAreAUserError() throws {
    let result = try CLI.run(small + ["--epochs", "2", "--steps", "3"])
    #expect(result.status == 1 && result.stderr.contains("--steps"), "\(result.stderr)")
    let decay = try CLI.run(small + ["--decay-all"])
    #expect(decay.status == 1 && decay.stderr.contains("--weight-decay"), "\(decay.stderr)")
}

@Test func generateRefusesCheckpointsThatAreNotLanguageModels() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let plain = directory.appendingPathComponent("plain.safetensors").path
    #expect(try CLI.run(["init", "--model", "mlp:2-8-3", "--scheme", "he-normal", "--data", blobs, "--out", plain]).status == 0)
    let noMetadata = try CLI.run(["generate", "--checkpoint", plain, "--prompt", "Hello"])
    #expect(noMetadata.status == 1 && noMetadata.stderr.contains("metadata") && noMetadata.stderr.contains(plain), "\(noMetadata.stderr)")
    let classifier = directory.appendingPathComponent("mlp.safetensors").path
    #expect(try CLI.run(small + ["--save", classifier]).status == 0)
    let notLanguage = try CLI.run(["generate", "--checkpoint", classifier, "--prompt", "Hello"])
    #expect(notLanguage.status == 1 && notLanguage.stderr.contains("not a language model"), "\(notLanguage.stderr)")
}

/// A tiny GPT trained for two steps, saved, and sampled: stdout holds the prompt and 20 more
/// bytes; `--json` reports them; a prompt longer than the context is refused.
@Test(.enabled(if: hasLanguageModels, "needs the gpt: family and fortunes-bytes"))
func generateSamplesFromATrainedGPT() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("gpt.safetensors").path
    let trained = try CLI.run([
        "train", "--model", "gpt:layers=1,width=16,heads=2,context=16", "--data", "fortunes-bytes(context=16)", "--limit-train", "64",
        "--steps", "2", "--batch", "8", "--optimizer", "adamw", "--lr", "0.003", "--save", path, "--json",
    ])
    #expect(trained.status == 0, "\(trained.stderr)")
    let loss = (trained.json?["validation_loss"] as? NSNumber)?.doubleValue ?? .nan
    let bits = (trained.json?["validation_bits_per_byte"] as? NSNumber)?.doubleValue ?? .nan
    #expect(loss > 0 && loss < 10 && abs(bits - loss / log(2)) < 1e-9 * bits)
    let human = try CLI.run(["generate", "--checkpoint", path, "--prompt", "The ", "--tokens", "20"])
    #expect(human.status == 0 && human.stdout.hasPrefix("The "), "\(human.stderr)")
    let machine = try CLI.run(["generate", "--checkpoint", path, "--prompt", "The ", "--tokens", "20", "--json"])
    #expect(machine.json?["prompt"] as? String == "The " && machine.json?["tokens"] as? Int == 20)
    let long = try CLI.run(["generate", "--checkpoint", path, "--prompt", String(repeating: "a", count: 17)])
    #expect(long.status == 1 && long.stderr.contains("--prompt"), "\(long.stderr)")
}
