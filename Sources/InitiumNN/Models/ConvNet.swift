import InitiumCore

/// A plain convolutional network: a stack of convolutions (each followed by the activation) and
/// max-pools, then a fully connected head. LeNet-5, the lottery-ticket Conv-2/4/6 and VGG-11 are
/// instances (``lenet5(inputShape:classCount:activation:scope:)``,
/// ``lotteryTicket(depth:inputShape:classCount:activation:scope:)``,
/// ``vgg11(inputShape:classCount:activation:scope:)``).
///
/// Children are named `conv1, act1, conv2, act2, pool1, …, flatten, fc1, act…, fcK` in forward
/// order, so parameters read `conv1.weight`, `fc3.bias`. Roles: the first convolution is `.input`,
/// the last linear layer `.classifier`, every other weighted layer `.hidden`.
public final class ConvNet: SequentialModule {
    /// One step of the convolutional part.
    public enum Stage: Sendable, Hashable {
        /// A convolution to `channels` channels with a square kernel, stride 1 and zero padding,
        /// followed by the activation.
        case conv(channels: Int, kernel: Int, padding: Int)
        /// Max pooling with a square window and stride equal to the window.
        case maxPool(Int)
    }

    /// The architecture's name (`lenet5`, `conv4`, `vgg11`).
    public let name: String
    /// The layers in forward order with their names.
    public let children: [(name: String, module: any Module)]
    /// The convolutions in order.
    public let convolutions: [Conv2d]
    /// The fully connected layers in order; the last is the classifier.
    public let fullyConnected: [Linear]
    /// The activation after every convolution and hidden linear layer.
    public let activation: Activation

    /// Builds the network for examples of shape `[channels, height, width]`, PyTorch-default
    /// initialized from the scope's key (each layer folds its name; no key: zeros). Throws when the input is not an image,
    /// when a kernel or pool does not fit (naming the layer), or for maxout, whose channel
    /// grouping the convolution widths do not provide for.
    public init(
        name: String, stages: [Stage], hiddenWidths: [Int], inputShape: [Int], classCount: Int,
        activation: Activation, scope: Scope
    ) throws {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw InitiumError.invalidArgument("\(name) needs image examples [channels, height, width], got \(inputShape)")
        }
        guard activation.maxoutGroup == 1 else {
            throw InitiumError.invalidArgument("\(name): maxout is only available for MLPs; choose an elementwise activation")
        }
        guard classCount > 0 else { throw InitiumError.invalidArgument("\(name) needs at least one class") }
        var layers = ChildList(scope)
        var convolutions: [Conv2d] = []
        var fullyConnected: [Linear] = []
        var (channels, size) = (inputShape[0], Size2d(inputShape[1], inputShape[2]))
        var activations = 0
        func addActivation() throws {
            activations += 1
            try layers.add("act\(activations)") { _ in ActivationLayer(activation) }
        }
        var pools = 0
        for stage in stages {
            switch stage {
            case let .conv(outChannels, kernel, padding):
                let conv = try layers.add("conv\(convolutions.count + 1)") {
                    let conv = try Conv2d(
                        channels, outChannels, kernelSize: Size2d(kernel, kernel), padding: Size2d(padding, padding), scope: $0)
                    size = try conv.outputSize(for: size)
                    return conv
                }
                conv.roles = convolutions.isEmpty ? [.input] : [.hidden]
                convolutions.append(conv)
                try addActivation()
                channels = outChannels
            case let .maxPool(window):
                pools += 1
                try layers.add("pool\(pools)") { _ in
                    let pool = try MaxPool2d(kernelSize: Size2d(window, window))
                    size = try pool.outputSize(for: size)
                    return pool
                }
            }
        }
        try layers.add("flatten") { _ in Flatten() }
        let widths = [channels * size.height * size.width] + hiddenWidths + [classCount]
        for (i, (fanIn, fanOut)) in zip(widths, widths.dropFirst()).enumerated() {
            let linear = try layers.add("fc\(i + 1)") { Linear(fanIn, fanOut, scope: $0) }
            linear.roles = i == widths.count - 2 ? [.classifier] : [.hidden]
            fullyConnected.append(linear)
            if i < widths.count - 2 { try addActivation() }
        }
        self.name = name
        children = layers.entries
        self.convolutions = convolutions
        self.fullyConnected = fullyConnected
        self.activation = activation
    }
}

extension ConvNet {
    /// The convnets a spec names: `lenet5`, `conv2`/`conv4`/`conv6`, `vgg11`.
    public enum Preset: ModelConfiguration, Hashable {
        /// ``lenet5(inputShape:classCount:activation:scope:)``.
        case lenet5
        /// ``lotteryTicket(depth:inputShape:classCount:activation:scope:)``.
        case lotteryTicket(depth: Int)
        /// ``vgg11(inputShape:classCount:activation:scope:)``.
        case vgg11

        /// 0: a preset's layer sizes are fixed by its paper (at most VGG-11's ≈ 9.2 M convolution
        /// weights); only the first fully connected layer grows with the input, which the data bounds.
        public var parameterCount: Int? { 0 }

        /// The network for image examples of shape `inputShape`.
        public func build(spec: String, activation: Activation, inputShape: [Int], classCount: Int, scope: Scope) throws -> any Module {
            switch self {
            case .lenet5:
                return try ConvNet.lenet5(inputShape: inputShape, classCount: classCount, activation: activation, scope: scope)
            case let .lotteryTicket(depth):
                return try ConvNet.lotteryTicket(
                    depth: depth, inputShape: inputShape, classCount: classCount, activation: activation, scope: scope)
            case .vgg11:
                return try ConvNet.vgg11(inputShape: inputShape, classCount: classCount, activation: activation, scope: scope)
            }
        }
    }
}
