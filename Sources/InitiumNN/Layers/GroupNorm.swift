import InitiumCore

/// Group normalization, PyTorch's `nn.GroupNorm`: each example's channels are split into groups,
/// each group normalized with its own mean and biased variance over its channels and positions,
/// then y = γ[c]·x̂ + β[c]. Same in training and inference; `groups = 1` is layer normalization
/// over (c, h, w) with per-channel affine, `groups = channels` is instance normalization.
/// Wu & He, "Group Normalization", ECCV 2018.
public final class GroupNorm: Module {
    /// The number of channel groups.
    public let groups: Int
    /// γ, `[channels]` (initialized to 1), or `nil` without an affine map.
    public let weight: Parameter?
    /// β, `[channels]` (initialized to 0), or `nil` without an affine map.
    public let bias: Parameter?
    /// The number of channels.
    public let channels: Int
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// What this layer is in its model.
    public var roles: Set<LayerRole> = []

    /// A group-norm layer; throws unless `channels` is a positive multiple of `groups`.
    public init(groups: Int, channels: Int, epsilon: Float = 1e-5, affine: Bool = true) throws {
        guard groups > 0, channels > 0, channels % groups == 0, epsilon >= 0 else {
            throw InitiumError.invalidArgument("GroupNorm(groups: \(groups), channels: \(channels)): channels must be a positive multiple of groups")
        }
        self.groups = groups
        self.channels = channels
        weight = affine ? Parameter(Tensor.ones([channels])) : nil
        bias = affine ? Parameter(Tensor.zeros([channels])) : nil
        self.epsilon = epsilon
    }

    /// A normalization.
    public var kind: LayerKind { .normalization }

    public var localParameters: [(name: String, parameter: Parameter)] {
        (weight.map { [("weight", $0)] } ?? []) + (bias.map { [("bias", $0)] } ?? [])
    }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        guard input.rank >= 2, input.shape[1] == channels else {
            throw InitiumError.invalidShape(
                operation: "groupNorm", shape: input.shape, reason: "expected [batch, \(channels), …] for \(channels) channels")
        }
        return try input.groupNormalized(
            groups: groups, scale: weight.map(context.read), shift: bias.map(context.read), epsilon: epsilon)
    }
}
