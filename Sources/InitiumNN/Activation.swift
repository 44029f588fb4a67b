import InitiumCore
import InitiumSpec

/// An activation function by the name users type: `relu leaky-relu tanh sigmoid gelu gelu-tanh silu elu
/// selu softplus sine gaussian sinc shifted-relu soft-threshold clipped-relu clipped-soft-threshold
/// maxout identity`, with parameters as `name(k=v,...)` (e.g. `sine(omega=30)`,
/// `clipped-relu(tau=1.04,m=1)`).
///
/// Names, aliases, parameters, defaults and allowed values are the table of
/// ``InitiumSpec/ActivationFamily``, read by the one parser ``InitiumSpec/ActivationSpec``; the
/// mean-field theory builds its `MeanFieldActivation` from the same spec value. `maxout(k=2)`
/// takes the max over groups of k consecutive features, so a layer's output width is divided by
/// k. The string form round-trips: parsing ``description`` gives the same value.
public struct Activation: Sendable, Hashable, CustomStringConvertible, Codable {
    /// The validated spec: family and parameter values.
    public let spec: ActivationSpec

    /// The activation a validated spec describes.
    public init(_ spec: ActivationSpec) {
        self.spec = spec
    }

    /// Parses an activation spec such as `tanh` or `clipped-relu(tau=1.04,m=1)`; throws
    /// ``InitiumCore/InitiumError/spec(_:)`` naming the problem.
    public init(_ text: String) throws {
        spec = try InitiumError.reportingSpecErrors { try ActivationSpec(parsing: text) }
    }

    /// ReLU.
    public static let relu = Activation(ActivationSpec(.relu))
    /// tanh.
    public static let tanh = Activation(ActivationSpec(.tanh))
    /// Exact (erf) GELU, the transformers' activation.
    public static let gelu = Activation(ActivationSpec(.gelu))
    /// The identity.
    public static let identity = Activation(ActivationSpec(.identity))

    /// The elementwise kernel, or `nil` for maxout.
    public var function: PointwiseFunction? { PointwiseFunction(spec) }

    /// The maxout group size k (1 unless this is maxout).
    public var maxoutGroup: Int { spec.family == .maxout ? Int(spec.values[0]) : 1 }

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
