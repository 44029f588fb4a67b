import InitiumCore

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

    /// The children: `stem`, `stages`, `pool`, `classifier`.
    public let children: [(name: String, module: any Module)]

    /// A ResNet of the given depth (8, 14, 20, 32, 44, 56, 110, …) for images with `inputChannels`
    /// channels, PyTorch-default initialized from the scope's key (each layer folds its path; no key: zeros).
    public init(
        depth: Int, normalized: Bool = true, inputChannels: Int = 1, classCount: Int = 10, activation: Activation = .relu,
        scope: Scope
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
        var list = ChildList(scope)
        stem = try list.add("stem") { try ResNetStem(inputChannels, 16, normalized: normalized, activation: activation, scope: $0) }
        var allBlocks: [BasicBlock] = []
        var channels = 16
        stages = try list.addGroup("stages") { scope in
            var stages = ChildList(scope)
            for (s, width) in [16, 32, 64].enumerated() {
                try stages.appendGroup { scope in
                    try ResNetStage(scope: scope) { blocks in
                        for b in 0..<blocksPerStage {
                            let stride = s > 0 && b == 0 ? 2 : 1
                            allBlocks.append(try blocks.append {
                                try BasicBlock(
                                    inChannels: channels, outChannels: width, stride: stride, normalized: normalized,
                                    activation: activation, scope: $0)
                            })
                            channels = width
                        }
                    }
                }
            }
            return Sequential(stages)
        }
        blocks = allBlocks
        pool = try list.add("pool") { _ in GlobalAveragePool2d() }
        classifier = try list.add("classifier") { Linear(channels, classCount, scope: $0) }
        children = list.entries
        classifier.roles = [.classifier]
        classifierInputBias = normalized ? nil : Parameter(Tensor.zeros([1]))
        self.depth = depth
        isNormalized = normalized
    }

    /// A container: its output is the classifier's.
    public var kind: LayerKind { .container }

    public var localParameters: [(name: String, parameter: Parameter)] {
        classifierInputBias.map { [("classifier_input_bias", $0)] } ?? []
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        var x = try forward(child: stem, input, context: context)
        x = try forward(child: stages, x, context: context)
        x = try forward(child: pool, x, context: context)
        if let classifierInputBias { x = try x + context.read(classifierInputBias) }
        return try forward(child: classifier, x, context: context)
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

    /// The children: `conv`, then `norm`.
    public let children: [(name: String, module: any Module)]

    /// A stem from `inChannels` to `outChannels`.
    public init(_ inChannels: Int, _ outChannels: Int, normalized: Bool, activation: Activation, scope: Scope) throws {
        var list = ChildList(scope)
        conv = try list.add("conv") { try Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1, bias: false, scope: $0) }
        conv.roles = [.input]
        norm = normalized ? try list.add("norm") { _ in try BatchNorm(outChannels) } : nil
        norm?.roles = [.input]
        children = list.entries
        bias = normalized ? nil : Parameter(Tensor.zeros([1]))
        self.activation = activation
    }

    /// A block: it applies φ and reports that output.
    public var kind: LayerKind { .block }

    public var localParameters: [(name: String, parameter: Parameter)] {
        bias.map { [("bias", $0)] } ?? []
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        var y = try forward(child: conv, input, context: context)
        if let norm { y = try forward(child: norm, y, context: context) }
        if let bias { y = try y + context.read(bias) }
        return try activation.apply(y)
    }
}

/// One stage of a ResNet: its blocks, children `blocks.0`, `blocks.1`, ….
public final class ResNetStage: SequentialModule {
    /// The blocks in order.
    public let blocks: Sequential
    /// The one child, `blocks`.
    public let children: [(name: String, module: any Module)]

    /// A stage built in `scope` (a group: the stage folds no key of its own); `makeBlocks`
    /// appends the blocks to the list it is given, in `blocks`' scope.
    public init(scope: Scope, _ makeBlocks: (_ blocks: inout ChildList) throws -> Void) throws {
        var list = ChildList(scope)
        blocks = try list.addGroup("blocks") { scope in
            var blocks = ChildList(scope)
            try makeBlocks(&blocks)
            return Sequential(blocks)
        }
        children = list.entries
    }
}

extension ResNet {
    /// A ResNet spec's depth and normalization.
    public struct Configuration: ModelConfiguration, Hashable {
        /// 6n + 2.
        public let depth: Int
        /// Whether the network has batch normalization (`false` for `-nonorm`).
        public let normalized: Bool

        /// A configuration.
        public init(depth: Int, normalized: Bool) {
            self.depth = depth
            self.normalized = normalized
        }

        /// An upper bound: each block of a stage of width c holds two 3×3 convolutions, ≤ 18c²
        /// weights, so n·18·(16² + 32² + 64²) bounds the three stages (`nil` on overflow).
        public var parameterCount: Int? {
            let (count, overflow) = ((depth - 2) / 6).multipliedReportingOverflow(by: 18 * (16 * 16 + 32 * 32 + 64 * 64))
            return overflow ? nil : count
        }

        /// The ResNet for image examples of shape `inputShape`.
        public func build(spec: String, activation: Activation, inputShape: [Int], classCount: Int, scope: Scope) throws -> any Module {
            try ResNet(
                depth: depth, normalized: normalized, inputChannels: inputShape[0], classCount: classCount,
                activation: activation, scope: scope)
        }
    }
}

extension ModelFamily {
    /// `resnet{6n+2}` with an optional `-nonorm` suffix.
    public static let resnet = ModelFamily(
        name: "resnet", syntax: "resnet{6n+2}[-nonorm]", example: "resnet20, resnet56-nonorm",
        summary: "CIFAR-style ResNet (He et al. 2016); -nonorm drops batch norm and carries Fixup's scalars", input: .image
    ) { lowercased, typed in
        guard lowercased.hasPrefix("resnet") else { return nil }
        let body = lowercased.dropFirst(6)
        let normalized = !body.hasSuffix("-nonorm")
        let digits = normalized ? body : body.dropLast("-nonorm".count)
        guard let depth = Int(digits), depth >= 8, (depth - 2) % 6 == 0 else {
            throw InitiumError.invalidSpec(
                kind: "model", spec: typed, reason: "ResNet depth must be 6n + 2 with n ≥ 1 (8, 14, 20, 32, 44, 56, 110, …)")
        }
        return ResNet.Configuration(depth: depth, normalized: normalized)
    }
}
