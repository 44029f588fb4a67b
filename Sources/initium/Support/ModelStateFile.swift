import InitiumCore
import InitiumNN

/// Writes a model's whole state — PyTorch's `state_dict` — for `init --model … --out F`, so the
/// initialized weights can be taken to PyTorch: `module.load_state_dict(load_file(F), strict=True)`
/// (scripts/check_torch_state_dict.py shows it for lenet300, lenet5 and resnet20).
///
/// The entries are ``Module/stateDictionary``: PyTorch's names and tensors, batch-norm counters
/// included.
enum ModelStateFile {
    /// The file formats by extension.
    static let extensions = [".safetensors", ".npz"]

    /// Throws a user error unless `path` ends in one of ``extensions``; called before any work.
    static func validate(_ path: String) throws {
        guard extensions.contains(where: path.hasSuffix) else {
            throw InitiumError.invalidArgument("--out with --model must end in .safetensors or .npz, got '\(path)'")
        }
    }

    /// Writes the state to `path` (`.safetensors` or `.npz`, by extension).
    static func write(_ model: any Module, to path: String) throws {
        try validate(path)
        if path.hasSuffix(".npz") {
            try NumPyArchive.write(model.stateDictionary, to: path)
        } else {
            try SafeTensorsFile.write(model.stateDictionary, to: path)
        }
    }
}
