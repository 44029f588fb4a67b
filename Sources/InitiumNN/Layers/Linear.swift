import Foundation
import InitiumCore

/// A fully connected layer, y = x·Wᵀ + b, with weight `[out, in]` and bias `[out]` (PyTorch's layout).
///
/// A new layer is initialized like PyTorch's `nn.Linear` (the `torch-default` scheme):
/// W, b ~ U(−1/√fan_in, 1/√fan_in), from `kaiming_uniform_(a=√5)` (PyTorch issue 57109); see
/// ``WeightLayout/torchDefaultParameters(biasCount:key:)``.
public final class Linear: Module {
    /// The weight, `[outFeatures, inFeatures]`.
    public let weight: Parameter
    /// The bias, `[outFeatures]`, or `nil`.
    public let bias: Parameter?
    /// What this layer is in its model.
    public var roles: Set<LayerRole> = []
    /// Fans that override `[out, in]`'s for initializers, when the weight stacks several maps
    /// (a fused query–key–value projection `[3d, d]` has fan_in = fan_out = d); `nil` otherwise.
    public var fans: WeightLayout.Fans?

    /// A layer with PyTorch's default initialization drawn from its scope's key (folded with
    /// `weight`/`bias`); with no key weight and bias start at zero, for weights that are loaded or
    /// set right after construction (skipping the draw matters for large models in debug builds).
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, scope: Scope) {
        precondition(inFeatures > 0 && outFeatures > 0, "Linear needs positive sizes")
        let key = scope.key
        let layout = try! WeightLayout([outFeatures, inFeatures], kind: .linear)  // sizes checked positive above
        let initial = layout.torchDefaultParameters(biasCount: bias ? outFeatures : nil, key: key)
        weight = initial.weight
        self.bias = initial.bias
    }

    /// An affine map of its weight.
    public var kind: LayerKind { .weighted }

    /// The number of input features.
    public var inFeatures: Int { weight.shape[1] }
    /// The number of output features.
    public var outFeatures: Int { weight.shape[0] }

    public var localParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let x = input.rank == 2 ? input : try input.flattened()
        guard x.shape[1] == inFeatures else {
            throw InitiumError.shapeMismatch(operation: "Linear(\(inFeatures)→\(outFeatures))", lhs: input.shape, rhs: weight.shape)
        }
        return try Tensor.affine(x, weight: context.read(weight), bias: bias.map(context.read))
    }
}

/// Applies an ``Activation`` elementwise (or maxout over channel groups).
public final class ActivationLayer: Module {
    /// The activation.
    public let activation: Activation

    /// A layer applying `activation`.
    public init(_ activation: Activation) { self.activation = activation }

    /// An activation, with its function.
    public var kind: LayerKind { .activation(activation) }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try activation.apply(input)
    }
}

/// Flattens `[n, …]` to `[n, features]`.
public final class Flatten: Module {
    /// A flattening layer.
    public init() {}

    /// A reshape: its output is not reported.
    public var kind: LayerKind { .reshape }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try input.flattened()
    }
}
