import InitiumCore

/// A module with state that is saved with the model but not trained, PyTorch's "buffers" (e.g. a
/// batch-norm layer's running statistics). Buffers are kept out of ``Module/namedParameters`` so
/// optimizers, initializers and parameter counts see only trainable tensors, as in PyTorch.
public protocol BufferedModule: Module {
    /// Buffers held directly by this module, with their names (`running_mean`, `running_var`).
    var localBuffers: [(name: String, buffer: Parameter)] { get }
}

extension Module {
    /// Every buffer in the tree with its path, e.g. `("stem.norm.running_var", b)` — the names
    /// of PyTorch's `state_dict` entries that are not parameters.
    public var namedBuffers: [(path: String, buffer: Parameter)] {
        namedModules.flatMap { path, module -> [(path: String, buffer: Parameter)] in
            guard let buffered = module as? any BufferedModule else { return [] }
            return buffered.localBuffers.map { (path.isEmpty ? $0.name : path + "." + $0.name, $0.buffer) }
        }
    }
}

extension Module {
    /// Everything a checkpoint holds, PyTorch's `state_dict`: the parameters, then the buffers,
    /// each with its path.
    public var namedState: [(path: String, tensor: Parameter)] {
        namedParameters.map { ($0.path, $0.parameter) } + namedBuffers.map { ($0.path, $0.buffer) }
    }
}
