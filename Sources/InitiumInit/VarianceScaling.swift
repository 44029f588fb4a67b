import InitiumCore
import InitiumNN

/// The variance-scaling rule every classic scheme is a preset of (Glorot & Bengio 2010; He et al.
/// 2015; LeCun et al. 1998; JAX's `variance_scaling`): weights with mean 0 and variance
/// σ² = scale/n, where n is fan_in, fan_out or (fan_in + fan_out)/2, drawn from
/// - `normal`: N(0, σ²);
/// - `uniform`: U(−√(3σ²), √(3σ²));
/// - `truncated-normal`: N(0, 1) truncated to (−2, 2), times σ/0.87962566103423978 so the variance
///   is exactly σ² (the correction TF and Keras once missed; 0.8796… = √(1 − 4φ(2)/(2Φ(2)−1))).
public struct VarianceScaling: Sendable, Hashable {
    /// Which fan normalizes the variance.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        case fanIn = "fan-in", fanOut = "fan-out", fanAverage = "fan-avg"
    }

    /// The family of the distribution drawn from (users type it as `distribution=…`).
    public enum DistributionFamily: String, Sendable, Hashable, CaseIterable {
        case normal, uniform
        case truncatedNormal = "truncated-normal"
    }

    /// The standard deviation of N(0, 1) truncated to (−2, 2).
    public static let truncatedStandardDeviation = 0.879_625_661_034_239_78

    /// The numerator of σ² = scale/n.
    public var scale: Double
    /// The fan n.
    public var mode: Mode
    /// The distribution.
    public var family: DistributionFamily

    /// A rule; throws if the scale is not positive.
    public init(scale: Double, mode: Mode, family: DistributionFamily) throws {
        guard scale > 0, scale.isFinite else {
            throw InitiumError.invalidArgument("variance-scaling scale must be a positive number, got \(scale)")
        }
        self.scale = scale
        self.mode = mode
        self.family = family
    }

    /// σ² for a layout.
    public func variance(for layout: WeightLayout) -> Double {
        let n: Double
        switch mode {
        case .fanIn: n = Double(layout.fanIn)
        case .fanOut: n = Double(layout.fanOut)
        case .fanAverage: n = Double(layout.fanIn + layout.fanOut) / 2
        }
        return scale / max(n, 1)
    }

    /// The distribution that has σ² for a layout.
    public func distribution(for layout: WeightLayout) -> Distribution {
        let std = variance(for: layout).squareRoot()
        switch family {
        case .normal:
            return .normal(mean: 0, std: Float(std))
        case .uniform:
            let bound = Float((3 * variance(for: layout)).squareRoot())
            return .uniform(low: -bound, high: bound)
        case .truncatedNormal:
            let s = Float(std / Self.truncatedStandardDeviation)
            return .truncatedNormal(mean: 0, std: s, lower: -2 * s, upper: 2 * s)
        }
    }

    /// Draws a weight for `layout`.
    public func sample(_ layout: WeightLayout, key: RandomKey) throws -> Tensor {
        try Tensor.random(layout.shape, distribution(for: layout), key: key)
    }
}

extension VarianceScaling: TensorInitializer {
    public func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try sample(layout, key: key)
    }

    public func fill(_ tensor: inout Tensor, layout: WeightLayout, key: RandomKey, context: InitializationContext) throws {
        tensor.fillRandom(distribution(for: layout), key: key)
    }
}

/// A variance-scaling preset whose scale is gain², with the gain resolved when the rule is
/// applied (so `gain=exact` can use the network's activation): the rule behind `lecun-*`,
/// `glorot-*`/`xavier-*` and `he-*`/`kaiming-*`.
struct GainedVarianceScaling: TensorInitializer {
    let gain: Gain
    let mode: VarianceScaling.Mode
    let family: VarianceScaling.DistributionFamily

    func rule(_ context: InitializationContext) throws -> VarianceScaling {
        let g = try gain.resolved(activation: context.activation)
        return try VarianceScaling(scale: g * g, mode: mode, family: family)
    }

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try rule(context).sample(layout, key: key)
    }

    func fill(_ tensor: inout Tensor, layout: WeightLayout, key: RandomKey, context: InitializationContext) throws {
        try rule(context).fill(&tensor, layout: layout, key: key, context: context)
    }
}
