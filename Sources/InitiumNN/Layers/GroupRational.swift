import InitiumCore
import InitiumSpec

/// KAT's group-rational activation with learnable coefficients, `KAT_Group` (Yang & Wang,
/// "Kolmogorov–Arnold Transformer", ICLR 2025; Adamdad/rational_kat_cu `kat_1dgroup.py`): the last
/// axis (channels) is split into `groups` contiguous groups, and each value x of group g becomes
///
///   F_g(x) = (a0 + a1·x + … + a5·x⁵) / (1 + |b_g1·x + b_g2·x² + b_g3·x³ + b_g4·x⁴|),
///
/// with the numerator a (`numerator`, `[6]`) shared by every group and the denominator b
/// (`denominator`, `[groups, 4]`) per group, all groups starting from the same values. Built from
/// the fit of `initial` (an ``ActivationSpec`` of the `rational` family: GELU's fit by default, or
/// `rational(a0=0,a1=1,…)` for the identity mode of KAT's first activation). The forward pass is
/// made of differentiable tensor ops, so gradients reach x, a and b.
///
/// Its variance-preserving initialization follows from the mean-field gain of the fixed function:
/// the layer after it gets Var(W) = gain²/fan_in with gain² = 1/E[F(z)²], z ~ N(0, 1) (2.3568 for
/// the GELU fit, `initium theory gain --act rational`).
public final class GroupRational: Module {
    /// a0…a5, shared by all groups.
    public let numerator: Parameter
    /// b1…b4 per group, `[groups, 4]`.
    public let denominator: Parameter
    /// Contiguous channel groups.
    public let groups: Int
    /// What this layer is in its model.
    public var roles: Set<LayerRole> = []

    /// A layer with `groups` groups starting from `initial`'s coefficients; throws unless the
    /// activation is of the `rational` family and `groups` ≥ 1.
    public init(groups: Int = 8, initial: ActivationSpec) throws {
        guard initial.family == .rational else {
            throw InitiumError.invalidArgument("GroupRational starts from a rational activation's coefficients, not \(initial)")
        }
        guard groups >= 1 else { throw InitiumError.invalidArgument("GroupRational: `groups` must be at least 1, got \(groups)") }
        let values = initial.values.map { Float($0) }
        numerator = Parameter(try Tensor(shape: [6], scalars: Array(values[0..<6])))
        denominator = Parameter(try Tensor(shape: [groups, 4], scalars: Array((0..<groups).map { _ in values[6..<10] }.joined())))
        self.groups = groups
    }

    /// An activation (with learnable shape).
    public var kind: LayerKind { .block }

    public var localParameters: [(name: String, parameter: Parameter)] { [("numerator", numerator), ("denominator", denominator)] }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        guard let channels = input.shape.last, channels % groups == 0 else {
            throw InitiumError.invalidShape(
                operation: "GroupRational(groups: \(groups))", shape: input.shape, reason: "the last axis must be divisible by the groups")
        }
        let a = context.read(numerator), b = context.read(denominator)
        // P(x) = Σᵢ aᵢ·xⁱ by Horner's rule, with aᵢ broadcast as [1]
        var p = try a.slice(axis: 0, 5..<6)
        for i in stride(from: 4, through: 0, by: -1) {
            p = try p * input + a.slice(axis: 0, i..<(i + 1))
        }
        // Q(x) = 1 + |x·(b1 + x·(b2 + x·(b3 + x·b4)))| per group: x viewed as [rows, G, C/G]
        let rows = input.count / channels
        let grouped = try input.reshaped([rows, groups, channels / groups])
        let coefficients = try b.reshaped([1, groups, 4])
        var r = try coefficients.slice(axis: 2, 3..<4)
        for i in stride(from: 2, through: 0, by: -1) {
            r = try r * grouped + coefficients.slice(axis: 2, i..<(i + 1))
        }
        let denominator = try ((r * grouped).abs() + 1).reshaped(input.shape)
        return try p / denominator
    }
}
