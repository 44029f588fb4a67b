import InitiumCore

/// The basic residual block of CIFAR-style ResNets (He et al., "Deep Residual Learning for Image
/// Recognition", CVPR 2016, §4.2): two 3×3 convolutions on the branch and an identity shortcut,
/// or a projection (1×1 convolution with the block's stride, then batch norm) when the shape
/// changes. With normalization, as `torch_train_bench.py`'s `Block`:
///
///     out = φ( norm2(conv2(φ(norm1(conv1(x))))) + shortcut(x) )
///
/// Without normalization the block carries Fixup's scalar parameters (Zhang, Dauphin & Ma,
/// "Fixup Initialization: Residual Learning Without Normalization", ICLR 2019, §3 and their
/// reference code): a scalar bias before each convolution and each activation of the branch and
/// one multiplier after the last convolution,
///
///     x' = x + bias1a
///     out = φ( (conv2(φ(conv1(x') + bias1b) + bias2a))·scale + bias2b + shortcut(x') )
///
/// (the identity shortcut adds x itself). They start at 0 (biases) and 1 (scale), so the plain
/// network is unchanged until a recipe such as Fixup sets them.
///
/// Roles, for model-level recipes (Fixup, ZerO, IDInit, zero-γ): `conv1` and `norm1` are
/// `.residualBranch`, `conv2` and `norm2` are `.residualBranchOutput` (the last layer of the
/// branch), the projection's `conv` and `norm` are `.shortcut`. ``branchLayers`` lists the
/// branch's convolutions in order.
public final class BasicBlock: Module {
    /// The first 3×3 convolution (carries the block's stride), no bias.
    public let conv1: Conv2d
    /// Batch norm after `conv1`, or `nil` in the no-normalization variant.
    public let norm1: BatchNorm?
    /// The second 3×3 convolution, the branch's last layer, no bias.
    public let conv2: Conv2d
    /// Batch norm after `conv2`, or `nil` in the no-normalization variant.
    public let norm2: BatchNorm?
    /// The projection shortcut, or `nil` for the identity.
    public let shortcut: ProjectionShortcut?
    /// The activation φ (ReLU in the paper).
    public let activation: Activation
    /// Fixup's scalar biases and multiplier, present exactly when the block has no normalization.
    public let fixup: FixupScalars?

    /// The children, named as they were built: `conv1`, `norm1`, `conv2`, `norm2`, `shortcut`.
    public let children: [(name: String, module: any Module)]

    /// A block from `inChannels` to `outChannels` channels whose first convolution has `stride`;
    /// layers are PyTorch-default initialized from the scope's key folded with their names (no key: zeros).
    public init(inChannels: Int, outChannels: Int, stride: Int, normalized: Bool, activation: Activation, scope: Scope) throws {
        var list = ChildList(scope)
        conv1 = try list.add("conv1") {
            try Conv2d(inChannels, outChannels, kernelSize: 3, stride: Size2d(stride, stride), padding: 1, bias: false, scope: $0)
        }
        norm1 = normalized ? try list.add("norm1") { _ in try BatchNorm(outChannels) } : nil
        conv2 = try list.add("conv2") { try Conv2d(outChannels, outChannels, kernelSize: 3, padding: 1, bias: false, scope: $0) }
        norm2 = normalized ? try list.add("norm2") { _ in try BatchNorm(outChannels) } : nil
        shortcut = stride != 1 || inChannels != outChannels
            ? try list.add("shortcut") { try ProjectionShortcut(inChannels, outChannels, stride: stride, normalized: normalized, scope: $0) }
            : nil
        children = list.entries
        self.activation = activation
        fixup = normalized ? nil : FixupScalars()
        conv1.roles = [.residualBranch]
        norm1?.roles = [.residualBranch]
        conv2.roles = [.residualBranchOutput]
        norm2?.roles = [.residualBranchOutput]
    }

    /// The branch's convolutions in order; the last is the branch output.
    public var branchLayers: [Conv2d] { [conv1, conv2] }

    /// A block: it adds the shortcut and applies φ, and reports that output.
    public var kind: LayerKind { .block }

    public var localParameters: [(name: String, parameter: Parameter)] { fixup?.named ?? [] }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let fixup = fixup.map { $0.read(context) }
        let x = try fixup.map { try input + $0.bias1a } ?? input
        var y = try forward(child: conv1, x, context: context)
        if let norm1 { y = try forward(child: norm1, y, context: context) }
        if let fixup { y = try y + fixup.bias1b }
        y = try activation.apply(y)
        if let fixup { y = try y + fixup.bias2a }
        y = try forward(child: conv2, y, context: context)
        if let norm2 { y = try forward(child: norm2, y, context: context) }
        if let fixup { y = try y * fixup.scale + fixup.bias2b }
        let residual = try shortcut.map { try forward(child: $0, x, context: context) } ?? input
        return try activation.apply(y + residual)
    }
}

/// The projection on a residual shortcut when the block changes shape: a 1×1 convolution with the
/// block's stride (no bias), then batch norm unless the network has no normalization (option B
/// of He et al. 2016). Both layers have role `.shortcut`.
public final class ProjectionShortcut: SequentialModule {
    /// The 1×1 projection.
    public let conv: Conv2d
    /// Batch norm after the projection, or `nil`.
    public let norm: BatchNorm?

    /// The children: `conv`, then `norm`.
    public let children: [(name: String, module: any Module)]

    /// A projection from `inChannels` to `outChannels` with `stride`.
    public init(_ inChannels: Int, _ outChannels: Int, stride: Int, normalized: Bool, scope: Scope) throws {
        var list = ChildList(scope)
        conv = try list.add("conv") { try Conv2d(inChannels, outChannels, kernelSize: 1, stride: Size2d(stride, stride), bias: false, scope: $0) }
        norm = normalized ? try list.add("norm") { _ in try BatchNorm(outChannels) } : nil
        children = list.entries
        conv.roles = [.shortcut]
        norm?.roles = [.shortcut]
    }
}

/// Fixup's scalar parameters of one residual block (Zhang et al., ICLR 2019): biases `bias1a`,
/// `bias1b`, `bias2a`, `bias2b` (shape `[1]`, initialized to 0) and the multiplier `scale`
/// (shape `[1]`, initialized to 1). See ``BasicBlock`` for where each one acts.
public struct FixupScalars: Sendable {
    /// Added to the block input, before `conv1` and the projection shortcut.
    public let bias1a = Parameter(Tensor.zeros([1]))
    /// Added after `conv1`, before the activation.
    public let bias1b = Parameter(Tensor.zeros([1]))
    /// Added before `conv2`.
    public let bias2a = Parameter(Tensor.zeros([1]))
    /// Multiplies the output of `conv2`.
    public let scale = Parameter(Tensor.ones([1]))
    /// Added after the multiplier, before the residual addition.
    public let bias2b = Parameter(Tensor.zeros([1]))

    /// The parameters with their names, in the order they act.
    public var named: [(name: String, parameter: Parameter)] {
        [("bias1a", bias1a), ("bias1b", bias1b), ("bias2a", bias2a), ("scale", scale), ("bias2b", bias2b)]
    }

    /// The values as a forward pass sees them.
    func read(_ context: ForwardContext) -> (bias1a: Tensor, bias1b: Tensor, bias2a: Tensor, scale: Tensor, bias2b: Tensor) {
        (context.read(bias1a), context.read(bias1b), context.read(bias2a), context.read(scale), context.read(bias2b))
    }
}
