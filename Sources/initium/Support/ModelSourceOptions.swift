import ArgumentParser
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN

/// Loads an `.npy` array as a tensor, refusing anything but a file ending in `.npy`.
func readArray(_ path: String, flag: String) throws -> Tensor {
    guard path.hasSuffix(".npy") else { throw InitiumError.invalidArgument("\(flag) must name a .npy file, got '\(path)'") }
    return try NumPyFile.read(from: path).tensor
}

/// Class labels from an `.npy` array of N integers (any numeric dtype holding whole numbers).
func readLabels(_ path: String, flag: String) throws -> [Int32] {
    let t = try readArray(path, flag: flag)
    guard t.count == (t.shape.first ?? 0) else {
        throw InitiumError.file(path: path, problem: "labels must be a 1-D array (or [N, 1]), got shape \(t.shape)")
    }
    return try t.scalars.enumerated().map { i, v in
        guard v.isFinite, v == v.rounded(), abs(v) < 1e9 else {
            throw InitiumError.file(path: path, problem: "label \(i) is \(v), not an integer")
        }
        return Int32(v)
    }
}

/// `--model`, `--act`, `--init` or `--checkpoint`: the model a measuring command reads, either a
/// checkpoint of `train --save` or a fresh initialization (seed `--seed`).
struct ModelSourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(modelSpecHelp)) var model: String?
    @Option(help: "Activation of --model (default relu).") var act: String?
    @Option(name: .customLong("init"), help: "Initialization scheme of --model (default torch-default).") var initialization: String?
    @Option(help: "A checkpoint written by `train --save` (instead of --model/--act/--init).") var checkpoint: String?

    /// Whether any of the options was given.
    var isGiven: Bool { model != nil || act != nil || initialization != nil || checkpoint != nil }

    /// The model source; --checkpoint with --model/--act/--init is refused.
    func source(seed: UInt64, batchSize: Int) throws -> ModelSource {
        if let checkpoint {
            guard model == nil, act == nil, initialization == nil else {
                throw InitiumError.invalidArgument("--checkpoint rebuilds its own model; drop --model, --act and --init")
            }
            guard checkpoint.hasSuffix(".safetensors") else {
                throw InitiumError.invalidArgument("--checkpoint must name a .safetensors file written by `train --save`, got '\(checkpoint)'")
            }
            return .checkpoint(checkpoint)
        }
        guard let model else { throw InitiumError.invalidArgument("give --model (with --init) or --checkpoint") }
        let recipe = ModelRecipe(
            model: try ModelSpec(model), activation: try Activation(act ?? "relu"), scheme: try Scheme(initialization ?? "torch-default"))
        return .initialization(recipe, seed: seed, batchSize: batchSize)
    }
}
