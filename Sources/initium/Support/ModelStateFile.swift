import InitiumCore
import InitiumNN

/// Writes a model's whole state — PyTorch's `state_dict` — for `init --model … --out F`, so the
/// initialized weights can be taken to PyTorch: `module.load_state_dict(load_file(F), strict=True)`
/// (scripts/check_torch_state_dict.py shows it for lenet300, lenet5 and resnet20).
///
/// The entries are ``Module/namedState`` (parameters, then buffers, under Initium's paths, which
/// are PyTorch's names for the equivalent module) plus, for every batch-norm layer,
/// `num_batches_tracked` as a rank-0 int64: PyTorch's `BatchNorm` keeps that buffer and
/// `state_dict()` lists it, so a file without it would not be a complete state dict.
enum ModelStateFile {
    /// The file formats by extension.
    static let extensions = [".safetensors", ".npz"]

    /// Throws a user error unless `path` ends in one of ``extensions``; called before any work.
    static func validate(_ path: String) throws {
        guard extensions.contains(where: path.hasSuffix) else {
            throw InitiumError.invalidArgument("--out with --model must end in .safetensors or .npz, got '\(path)'")
        }
    }

    /// The state entries in order: ``Module/namedState`` as Float32, then the batch counters.
    static func entries(of model: any Module) -> [(name: String, array: StoredArray)] {
        let counters = model.namedModules.compactMap { path, module -> (name: String, array: StoredArray)? in
            guard let norm = module as? BatchNorm else { return nil }
            let name = path.isEmpty ? "num_batches_tracked" : path + ".num_batches_tracked"
            return (name, StoredArray(Tensor(Float(norm.batchesTracked)), as: .int64))
        }
        return model.stateDictionary + counters
    }

    /// Writes the state to `path` (`.safetensors` or `.npz`, by extension).
    static func write(_ model: any Module, to path: String) throws {
        try validate(path)
        if path.hasSuffix(".npz") {
            try NumPyArchive.write(entries(of: model), to: path)
        } else {
            try SafeTensorsFile.write(entries(of: model), to: path)
        }
    }
}
