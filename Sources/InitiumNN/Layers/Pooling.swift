import InitiumCore

/// Max pooling, PyTorch's `nn.MaxPool2d` (`ceil_mode=False`): the maximum of each window, with
/// padding acting as −∞. `stride` defaults to the kernel size.
public final class MaxPool2d: Module {
    /// The pooling window.
    public let window: Window2d

    /// A max-pooling layer; throws when a size is not positive.
    public init(kernelSize: Size2d, stride: Size2d? = nil, padding: Size2d = 0, dilation: Size2d = 1) throws {
        window = try Window2d(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding, dilation: dilation)
    }

    /// The output's spatial size for an input of spatial size `input`.
    public func outputSize(for input: Size2d) throws -> Size2d {
        try window.outputSize(for: input, operation: "maxPool2d")
    }

    /// Max pooling: a selection of inputs.
    public var kind: LayerKind { .pooling(.max) }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try input.maxPool2d(kernel: window.kernel, stride: window.stride, padding: window.padding, dilation: window.dilation)
    }
}

/// Average pooling, PyTorch's `nn.AvgPool2d` (`ceil_mode=False`, `count_include_pad=True`): the
/// mean of each window, padding counting as zeros. `stride` defaults to the kernel size.
public final class AvgPool2d: Module {
    /// The pooling window (dilation 1).
    public let window: Window2d

    /// An average-pooling layer; throws when a size is not positive.
    public init(kernelSize: Size2d, stride: Size2d? = nil, padding: Size2d = 0) throws {
        window = try Window2d(kernel: kernelSize, stride: stride ?? kernelSize, padding: padding)
    }

    /// The output's spatial size for an input of spatial size `input`.
    public func outputSize(for input: Size2d) throws -> Size2d {
        try window.outputSize(for: input, operation: "avgPool2d")
    }

    /// Average pooling.
    public var kind: LayerKind { .pooling(.average) }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try input.avgPool2d(kernel: window.kernel, stride: window.stride, padding: window.padding)
    }
}

/// Global average pooling `[n, c, h, w] → [n, c]`: each channel's mean over the image, as
/// PyTorch's `nn.AdaptiveAvgPool2d(1)` followed by `nn.Flatten()` (Lin et al., "Network In
/// Network", ICLR 2014).
public final class GlobalAveragePool2d: Module {
    /// A global average-pooling layer.
    public init() {}

    /// Average pooling over the whole image.
    public var kind: LayerKind { .pooling(.average) }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try input.globalAveragePool2d()
    }
}
