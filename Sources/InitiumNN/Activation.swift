/// An activation function by the name users type (design.md): `relu leaky-relu tanh sigmoid gelu
/// silu elu selu softplus sine gaussian shifted-relu soft-threshold clipped-relu
/// clipped-soft-threshold maxout identity`, with parameters as `name(k=v,...)`.
///
/// Parameters and defaults: `leaky-relu(slope=0.01)`, `elu(alpha=1)`, `softplus(beta=1)`,
/// `sine(omega=1)` (SIREN uses 30), `gaussian(s=1)` for exp(−x²/2s²), `shifted-relu(tau=0)`,
/// `soft-threshold(tau=0)`, `clipped-relu(tau=0,m=1)`, `clipped-soft-threshold(tau=0,m=1)`,
/// `maxout(k=2)` (max over groups of k consecutive features; the layer's output width is
/// divided by k). The string form round-trips: parsing ``description`` gives the same value.
public struct Activation: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The elementwise function, or `nil` for maxout.
    public let function: PointwiseFunction?
    /// The maxout group size (1 unless this is maxout).
    public let maxoutGroup: Int
    /// The spec as typed (normalized).
    public let spec: SpecSyntax

    /// Every activation name.
    public static let names = [
        "relu", "leaky-relu", "tanh", "sigmoid", "gelu", "silu", "elu", "selu", "softplus", "sine",
        "gaussian", "shifted-relu", "soft-threshold", "clipped-relu", "clipped-soft-threshold", "maxout", "identity",
    ]

    /// Parses an activation spec such as `tanh` or `clipped-relu(tau=1.04,m=1)`.
    public init(_ text: String) throws {
        let spec = try SpecSyntax(parsing: text, kind: "activation")
        func number(_ key: String, _ fallback: Double) throws -> Float {
            Float(try spec.number(key, default: fallback, kind: "activation"))
        }
        var group = 1
        let function: PointwiseFunction?
        switch spec.name {
        case "relu": try spec.requireOnly([], kind: "activation"); function = .relu
        case "tanh": try spec.requireOnly([], kind: "activation"); function = .tanh
        case "sigmoid": try spec.requireOnly([], kind: "activation"); function = .sigmoid
        case "gelu": try spec.requireOnly([], kind: "activation"); function = .gelu
        case "silu", "swish": try spec.requireOnly([], kind: "activation"); function = .silu
        case "selu": try spec.requireOnly([], kind: "activation"); function = .selu
        case "identity", "linear": try spec.requireOnly([], kind: "activation"); function = .identity
        case "leaky-relu":
            try spec.requireOnly(["slope"], kind: "activation")
            function = .leakyReLU(slope: try number("slope", 0.01))
        case "elu":
            try spec.requireOnly(["alpha"], kind: "activation")
            function = .elu(alpha: try number("alpha", 1))
        case "softplus":
            try spec.requireOnly(["beta"], kind: "activation")
            let beta = try number("beta", 1)
            guard beta > 0 else { throw InitiumError.invalidSpec(kind: "activation", spec: text, reason: "beta must be > 0") }
            function = .softplus(beta: beta)
        case "sine":
            try spec.requireOnly(["omega"], kind: "activation")
            function = .sine(omega: try number("omega", 1))
        case "gaussian":
            try spec.requireOnly(["s"], kind: "activation")
            let s = try number("s", 1)
            guard s > 0 else { throw InitiumError.invalidSpec(kind: "activation", spec: text, reason: "s must be > 0") }
            function = .gaussian(width: s)
        case "shifted-relu":
            try spec.requireOnly(["tau"], kind: "activation")
            function = .shiftedReLU(tau: try number("tau", 0))
        case "soft-threshold":
            try spec.requireOnly(["tau"], kind: "activation")
            let tau = try number("tau", 0)
            guard tau >= 0 else { throw InitiumError.invalidSpec(kind: "activation", spec: text, reason: "tau must be ≥ 0") }
            function = .softThreshold(tau: tau)
        case "clipped-relu", "clipped-soft-threshold":
            try spec.requireOnly(["tau", "m"], kind: "activation")
            let (tau, m) = (try number("tau", 0), try number("m", 1))
            guard m > 0, tau >= 0 || spec.name == "clipped-relu" else {
                throw InitiumError.invalidSpec(kind: "activation", spec: text, reason: "needs m > 0 (and tau ≥ 0 for soft thresholding)")
            }
            function = spec.name == "clipped-relu" ? .clippedReLU(tau: tau, clip: m) : .clippedSoftThreshold(tau: tau, clip: m)
        case "maxout":
            try spec.requireOnly(["k"], kind: "activation")
            group = try spec.integer("k", default: 2, kind: "activation")
            guard group >= 1 else { throw InitiumError.invalidSpec(kind: "activation", spec: text, reason: "k must be ≥ 1") }
            function = nil
        default:
            throw InitiumError.invalidSpec(
                kind: "activation", spec: text, reason: "unknown name; choose one of " + Self.names.joined(separator: ", "))
        }
        self.function = function
        self.maxoutGroup = group
        self.spec = spec
    }

    /// ReLU.
    public static let relu = try! Activation("relu")
    /// tanh.
    public static let tanh = try! Activation("tanh")
    /// The identity.
    public static let identity = try! Activation("identity")

    /// The name without parameters.
    public var name: String { spec.name }

    /// The spec string; parses back to an equal activation.
    public var description: String { spec.description }

    /// Applies the activation to pre-activations `[n, features, …]` (maxout groups axis 1).
    public func apply(_ x: Tensor) throws -> Tensor {
        if let function { return function.apply(x) }
        return try Self.maxout(x, group: maxoutGroup)
    }

    /// Maxout over groups of `group` consecutive channels of axis 1: `[n, c·k, …] → [n, c, …]`.
    /// Goodfellow et al., "Maxout Networks", ICML 2013.
    static func maxout(_ x: Tensor, group: Int) throws -> Tensor {
        guard x.rank >= 2, x.shape[1] % group == 0 else {
            throw InitiumError.invalidShape(operation: "maxout(k=\(group))", shape: x.shape, reason: "axis 1 must be a multiple of k")
        }
        var grouped = x.shape
        grouped[1] /= group
        grouped.insert(group, at: 2)
        return try x.reshaped(grouped).max(axis: 2)
    }

    /// Decodes from the spec string.
    public init(from decoder: any Decoder) throws {
        try self.init(try decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes as the spec string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
