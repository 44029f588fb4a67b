import InitiumCore

/// A 2-D convolution layer, PyTorch's `nn.Conv2d`: weight `[out, in/groups, kh, kw]`, bias `[out]`,
/// with stride, zero padding, dilation and channel groups (`groups == in == out` is depthwise).
///
/// y[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, group(o)·in/groups + c] (cross-correlation; see
/// ``Tensor/conv2d(_:weight:bias:stride:padding:dilation:groups:)``).
///
/// A new layer is initialized like PyTorch's (the `torch-default` scheme): W, b ~ U(−1/√fan_in,
/// 1/√fan_in) with fan_in = (in/groups)·kh·kw, from `kaiming_uniform_(a=√5)` (PyTorch issue 57109); see
/// ``WeightLayout/torchDefaultParameters(biasCount:key:)``.
public final class Conv2d: Module {
    /// The weight, `[outChannels, inChannels/groups, kh, kw]`.
    public let weight: Parameter
    /// The bias, `[outChannels]`, or `nil`.
    public let bias: Parameter?
    /// The sliding window: kernel size, stride, zero padding and dilation.
    public let window: Window2d
    /// Channel groups: each output channel sees `inChannels/groups` input channels.
    public let groups: Int
    /// What this layer is in its model.
    public var roles: Set<LayerRole> = []

    /// A convolution with PyTorch's default initialization drawn from its scope's key (folded with
    /// `weight`/`bias`; no key leaves both at zero, for weights loaded or set right after). Throws
    /// when a size is not positive or the channels are not divisible by `groups`.
    public init(
        _ inChannels: Int, _ outChannels: Int, kernelSize: Size2d, stride: Size2d = 1, padding: Size2d = 0,
        dilation: Size2d = 1, groups: Int = 1, bias: Bool = true, scope: Scope
    ) throws {
        let key = scope.key
        guard inChannels > 0, outChannels > 0, groups > 0, inChannels % groups == 0, outChannels % groups == 0 else {
            throw InitiumError.invalidArgument(
                "Conv2d(\(inChannels)→\(outChannels), groups \(groups)): channels must be positive and divisible by groups")
        }
        window = try Window2d(kernel: kernelSize, stride: stride, padding: padding, dilation: dilation)
        let shape = [outChannels, inChannels / groups, kernelSize.height, kernelSize.width]
        let layout = try WeightLayout(shape, kind: .convolution(groups: groups))
        let initial = layout.torchDefaultParameters(biasCount: bias ? outChannels : nil, key: key)
        weight = initial.weight
        self.bias = initial.bias
        self.groups = groups
    }

    /// An affine map of its weight.
    public var kind: LayerKind { .weighted }

    /// The number of input channels.
    public var inChannels: Int { weight.shape[1] * groups }
    /// The number of output channels.
    public var outChannels: Int { weight.shape[0] }
    /// The kernel's height and width.
    public var kernelSize: Size2d { window.kernel }
    /// Step between output positions.
    public var stride: Size2d { window.stride }
    /// Zeros added on both sides of each spatial axis.
    public var padding: Size2d { window.padding }
    /// Spacing between kernel taps.
    public var dilation: Size2d { window.dilation }

    /// The output's spatial size for an input of spatial size `input`; throws when the kernel does
    /// not fit the padded input.
    public func outputSize(for input: Size2d) throws -> Size2d {
        try window.outputSize(for: input, operation: "conv2d")
    }

    public var localParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try Tensor.conv2d(
            input, weight: context.read(weight), bias: bias.map(context.read), stride: stride, padding: padding,
            dilation: dilation, groups: groups)
    }
}
