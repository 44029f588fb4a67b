/// Running sub-modules so that errors name the layer by its path.
///
/// A layer does not know its own path; its parents do. Each container runs a child through
/// ``Module/forward(child:_:_:context:)``, which turns an error thrown inside into
/// ``InitiumError/layer(path:problem:)`` and prefixes the child's name on the way out, so a wrong
/// channel count deep in a ResNet reads
/// `layer stages.1.blocks.0.conv1: conv2d: shape [2, 8, 14, 14] is not valid: expected 16 input channels …`.
extension Module {
    /// `module.forward(input, context:)`, with errors attributed to the child named `name`.
    public func forward(child name: String, _ module: any Module, _ input: Tensor, context: ForwardContext) throws -> Tensor {
        do {
            return try module.forward(input, context: context)
        } catch let error as InitiumError {
            throw error.inLayer(name)
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
/// list their children.
public protocol SequentialModule: Module {}

extension SequentialModule {
    /// Runs the children in order, each output feeding the next.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        var x = input
        for (name, child) in children { x = try forward(child: name, child, x, context: context) }
        return x
    }
}
