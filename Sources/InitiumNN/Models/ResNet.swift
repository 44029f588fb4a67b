/// The CIFAR-style ResNet-(6n+2) of He et al., "Deep Residual Learning for Image Recognition",
/// CVPR 2016, §4.2, identical to `torch_train_bench.py`'s `resnet(depth)`: a 3×3 stem convolution
/// to 16 channels, three stages of n ``BasicBlock``s with 16, 32 and 64 channels (the first block
/// of stages 2 and 3 halves the resolution with stride 2 and a projection shortcut), global
/// average pooling and a linear classifier. ResNet-20 has n = 3.
///
/// Paths: `stem.conv.weight`, `stem.norm.*`, `stages.{s}.blocks.{b}.conv1.weight`, `….norm1.*`,
/// `….conv2.weight`, `….norm2.*`, `….shortcut.conv.weight`, `….shortcut.norm.*`,
/// `classifier.weight`, `classifier.bias`. Convolutions have no bias (batch norm follows them).
/// Roles: the stem convolution is `.input`, the classifier `.classifier`, and blocks mark their
/// branch and shortcut layers (see ``BasicBlock``).
///
/// Without normalization (`-nonorm`), every batch norm is removed and Fixup's scalars are added
/// (Zhang, Dauphin & Ma, ICLR 2019): per block `bias1a, bias1b, bias2a, scale, bias2b`, plus
/// `stem.bias` (after the stem convolution, before its activation) and `classifier_input_bias`
/// (added to the pooled features before the classifier), all `[1]`, at 0 (biases) and 1 (scale).
/// φ replaces every ReLU of the paper's network, including the one after each residual addition.
public final class ResNet: Module {
    /// The stem: convolution, normalization (or Fixup bias), activation.
    public let stem: ResNetStem
    /// The three stages, children `0`, `1`, `2`.
    public let stages: Sequential
    /// Global average pooling.
    public let pool: GlobalAveragePool2d
    /// The final linear layer.
    public let classifier: Linear
    /// Fixup's scalar bias before the classifier, `[1]`, in the no-normalization variant only.
    public let classifierInputBias: Parameter?
    /// 6n + 2.
    public let depth: Int
    /// Whether the network has batch normalization.
    public let isNormalized: Bool
    /// Every residual block in forward order.
    public let blocks: [BasicBlock]

    /// A ResNet of the given depth (8, 14, 20, 32, 44, 56, 110, …) for images with `inputChannels`
    /// channels, PyTorch-default initialized from `key` (each layer folds its path; `nil`: zeros).
    public init(
        depth: Int, normalized: Bool = true, inputChannels: Int = 1, classCount: Int = 10, activation: Activation = .relu,
        key: RandomKey?
    ) throws {
        guard depth >= 8, (depth - 2) % 6 == 0 else {
            throw InitiumError.invalidArgument("ResNet depth must be 6n + 2 with n ≥ 1 (8, 14, 20, 32, 44, 56, 110, …), got \(depth)")
        }
        guard activation.maxoutGroup == 1 else {
            throw InitiumError.invalidArgument("resnet\(depth): maxout is only available for MLPs; choose an elementwise activation")
        }
        guard inputChannels > 0, classCount > 0 else {
            throw InitiumError.invalidArgument("resnet\(depth) needs at least one input channel and one class")
        }
        let blocksPerStage = (depth - 2) / 6
        stem = try ResNetStem(inputChannels, 16, normalized: normalized, activation: activation, key: key?.fold("stem"))
        var stageModules: [any Module] = []
        var allBlocks: [BasicBlock] = []
        var channels = 16
        for (s, width) in [16, 32, 64].enumerated() {
            var blocks: [BasicBlock] = []
            for b in 0..<blocksPerStage {
                let stride = s > 0 && b == 0 ? 2 : 1
                blocks.append(try BasicBlock(
                    inChannels: channels, outChannels: width, stride: stride, normalized: normalized, activation: activation,
                    key: key?.fold("stages.\(s).blocks.\(b)")))
                channels = width
            }
            stageModules.append(ResNetStage(blocks: blocks))
            allBlocks += blocks
        }
        blocks = allBlocks
        stages = Sequential(stageModules)
        pool = GlobalAveragePool2d()
        classifier = Linear(channels, classCount, key: key?.fold("classifier"))
        classifier.roles = [.classifier]
        classifierInputBias = normalized ? nil : Parameter(Tensor.zeros([1]))
        self.depth = depth
        isNormalized = normalized
    }

    public var children: [(name: String, module: any Module)] {
        [("stem", stem), ("stages", stages), ("pool", pool), ("classifier", classifier)]
    }

    public var localParameters: [(name: String, parameter: Parameter)] {
        classifierInputBias.map { [("classifier_input_bias", $0)] } ?? []
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        var x = try forward(child: "stem", stem, input, context: context)
        x = try forward(child: "stages", stages, x, context: context)
        x = try forward(child: "pool", pool, x, context: context)
        if let classifierInputBias { x = try x + context.read(classifierInputBias) }
        return try forward(child: "classifier", classifier, x, context: context)
    }
}

/// A ResNet's stem: 3×3 convolution (stride 1, padding 1, no bias, role `.input`), batch norm —
/// or, without normalization, Fixup's scalar `bias` (`[1]`, initialized to 0) — then φ.
public final class ResNetStem: Module {
    /// The first convolution.
    public let conv: Conv2d
    /// Batch norm after the convolution, or `nil`.
    public let norm: BatchNorm?
    /// Fixup's scalar bias before the activation, in the no-normalization variant only.
    public let bias: Parameter?
    /// The activation.
    public let activation: Activation

    /// A stem from `inChannels` to `outChannels`.
    public init(_ inChannels: Int, _ outChannels: Int, normalized: Bool, activation: Activation, key: RandomKey?) throws {
        conv = try Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1, bias: false, key: key?.fold("conv"))
        conv.roles = [.input]
        norm = normalized ? try BatchNorm(outChannels) : nil
        norm?.roles = [.input]
        bias = normalized ? nil : Parameter(Tensor.zeros([1]))
        self.activation = activation
    }

    public var children: [(name: String, module: any Module)] {
        [("conv", conv)] + (norm.map { [("norm", $0)] } ?? [])
    }

    public var localParameters: [(name: String, parameter: Parameter)] {
        bias.map { [("bias", $0)] } ?? []
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        var y = try forward(child: "conv", conv, input, context: context)
        if let norm { y = try forward(child: "norm", norm, y, context: context) }
        if let bias { y = try y + context.read(bias) }
        return try context.observe(self, activation.apply(y))
    }
}

/// One stage of a ResNet: its blocks, children `blocks.0`, `blocks.1`, ….
public final class ResNetStage: SequentialModule {
    /// The blocks in order.
    public let blocks: Sequential

    /// A stage of `blocks`.
    public init(blocks: [BasicBlock]) { self.blocks = Sequential(blocks) }

    public var children: [(name: String, module: any Module)] { [("blocks", blocks)] }
}
