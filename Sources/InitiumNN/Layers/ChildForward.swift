import InitiumCore

/// Running sub-modules: the one path through which a container runs a child, reports the child's
/// output to the context's observer and interceptor, and names the child in errors.
///
/// A layer does not know its own path; its parents do. A container runs each child through
/// ``Module/forward(child:_:context:)``, which reports the output when the child's
/// ``Module/kind`` says so (``LayerKind/reportsOutput``), then turns an error thrown inside into
/// ``InitiumError/layer(path:problem:)`` and prefixes the child's name (from ``Module/children``)
/// on the way out, so a wrong channel count deep in a ResNet reads
/// `layer stages.1.blocks.0.conv1: conv2d: shape [2, 8, 14, 14] is not valid: expected 16 input channels …`.
extension Module {
    /// Runs `module`, one of this module's ``children``, on `input`: its output is reported to
    /// the context when its kind reports outputs, and errors are attributed to the child's name.
    public func forward(child module: any Module, _ input: Tensor, context: ForwardContext) throws -> Tensor {
        try forward(child: module, named: nil, input, context: context)
    }

    /// The shared path; `name` is looked up in ``children`` only when an error needs it.
    fileprivate func forward(child module: any Module, named name: String?, _ input: Tensor, context: ForwardContext) throws -> Tensor {
        do {
            let output = try module.forward(input, context: context)
            return module.kind.reportsOutput ? try context.observe(module, output) : output
        } catch let error as InitiumError {
            throw error.inLayer(name ?? children.first { $0.module === module }?.name ?? "?")
        }
    }
}

extension InitiumError {
    /// This error as seen from the parent of the module named `name`: a layer error gets the name
    /// prefixed to its path, any other user error becomes a layer error at `name`; internal
    /// failures are left alone.
    public func inLayer(_ name: String) -> InitiumError {
        switch self {
        case let .layer(path, problem):
            return .layer(path: path.isEmpty ? name : name + "." + path, problem: problem)
        case .internalFailure:
            return self
        default:
            return .layer(path: name, problem: description)
        }
    }
}

/// A module whose forward pass runs its ``Module/children`` in order, like PyTorch's
/// `nn.Sequential` but with named children (`conv1`, `pool1`, `fc1`, …). Conforming models only
/// list their children; they are containers (``LayerKind/container``) unless they say otherwise.
public protocol SequentialModule: Module {}

extension SequentialModule {
    /// A container: its output is its last child's.
    public var kind: LayerKind { .container }

    /// Runs the children in order, each output feeding the next.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        var x = input
        for (name, child) in children { x = try forward(child: child, named: name, x, context: context) }
        return x
    }
}
