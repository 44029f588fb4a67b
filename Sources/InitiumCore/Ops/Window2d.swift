/// A pair of sizes for the two spatial axes (height, width) of an image tensor `[n, c, h, w]`.
/// An integer literal means the same size on both axes, as PyTorch's `kernel_size=3`.
public struct Size2d: Sendable, Hashable, Codable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The size along the height axis.
    public var height: Int
    /// The size along the width axis.
    public var width: Int

    /// A pair of sizes.
    public init(_ height: Int, _ width: Int) {
        self.height = height
        self.width = width
    }

    /// The same size on both axes.
    public init(integerLiteral value: Int) { self.init(value, value) }

    /// `h×w`.
    public var description: String { "\(height)×\(width)" }
}

/// The sliding window of a 2-D convolution or pooling: kernel size, stride, zero padding (added on
/// both sides of each axis) and dilation (spacing between kernel taps), as in PyTorch's `Conv2d`.
///
/// The output size along an axis is ⌊(in + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1
/// (PyTorch's formula, `ceil_mode=False`).
public struct Window2d: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The kernel's extent in taps.
    public var kernel: Size2d
    /// The step between window positions.
    public var stride: Size2d
    /// Zeros (or −∞ for max pooling) added before and after each spatial axis.
    public var padding: Size2d
    /// The spacing between neighbouring kernel taps (1 = contiguous).
    public var dilation: Size2d

    /// A window; every size must be positive except padding, which must be non-negative.
    public init(kernel: Size2d, stride: Size2d = 1, padding: Size2d = 0, dilation: Size2d = 1) throws {
        let positive = [kernel.height, kernel.width, stride.height, stride.width, dilation.height, dilation.width]
        guard positive.allSatisfy({ $0 > 0 }), padding.height >= 0, padding.width >= 0 else {
            throw InitiumError.invalidArgument(
                "window: kernel \(kernel), stride \(stride) and dilation \(dilation) must be positive and padding \(padding) non-negative")
        }
        self.kernel = kernel
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
    }

    /// The span of the dilated kernel: dilation·(kernel − 1) + 1 on each axis.
    public var span: Size2d {
        Size2d(dilation.height * (kernel.height - 1) + 1, dilation.width * (kernel.width - 1) + 1)
    }

    /// The output size for an input of spatial size `input`; throws when the dilated kernel does
    /// not fit the padded input (the message names all sizes).
    public func outputSize(for input: Size2d, operation: String) throws -> Size2d {
        let padded = Size2d(input.height + 2 * padding.height, input.width + 2 * padding.width)
        guard padded.height >= span.height, padded.width >= span.width else {
            throw InitiumError.invalidShape(
                operation: operation, shape: [input.height, input.width],
                reason: "kernel \(kernel)\(dilation == 1 ? "" : " with dilation \(dilation)") spans \(span), "
                    + "larger than the padded input \(padded) (input \(input), padding \(padding))")
        }
        return Size2d(
            (padded.height - span.height) / stride.height + 1,
            (padded.width - span.width) / stride.width + 1)
    }

    /// `kernel 3×3, stride 2×2, padding 1×1` (dilation shown only when not 1).
    public var description: String {
        "kernel \(kernel), stride \(stride), padding \(padding)" + (dilation == 1 ? "" : ", dilation \(dilation)")
    }
}
