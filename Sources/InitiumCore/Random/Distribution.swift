import Foundation

/// A probability distribution for filling tensors, sampled by ``Tensor/random(_:_:key:)``.
///
/// Element *i* of a draw uses Philox block `8⌊i/32⌋ + (i mod 8)` and word `(i mod 32)/8` of that
/// block, so any chunking or thread count gives the same bits.
public enum Distribution: Sendable, Equatable, Codable {
    /// Uniform on [low, high).
    case uniform(low: Float, high: Float)
    /// Normal with the given mean and standard deviation (Box–Muller, both outputs used: words 0–1
    /// of a block give the cosine and sine outputs of one pair, words 2–3 of another).
    case normal(mean: Float, std: Float)
    /// Normal(mean, std²) conditioned on [lower, upper] (absolute bounds, as PyTorch's
    /// `trunc_normal_(mean, std, a, b)`), by inverse CDF: x = μ + σ√2·erfinv(2u − 1) with
    /// u uniform on [Φ((a−μ)/σ), Φ((b−μ)/σ)].
    case truncatedNormal(mean: Float, std: Float, lower: Float, upper: Float)
    /// 1 with probability p, else 0.
    case bernoulli(probability: Float)

    /// Throws if the parameters do not describe a distribution.
    public func validate() throws {
        switch self {
        case let .uniform(low, high):
            guard low.isFinite, high.isFinite, low <= high else {
                throw InitiumError.invalidArgument("uniform distribution needs finite low ≤ high, got [\(low), \(high))")
            }
        case let .normal(mean, std):
            guard mean.isFinite, std.isFinite, std >= 0 else {
                throw InitiumError.invalidArgument("normal distribution needs a finite mean and std ≥ 0, got std \(std)")
            }
        case let .truncatedNormal(mean, std, lower, upper):
            guard mean.isFinite, std.isFinite, std > 0, lower < upper else {
                throw InitiumError.invalidArgument("truncated normal needs std > 0 and lower < upper, got std \(std), [\(lower), \(upper)]")
            }
            guard let bounds = standardizedBounds, bounds.mass > 1e-6 else {
                throw InitiumError.invalidArgument("truncated normal: [\(lower), \(upper)] holds almost no mass of N(\(mean), \(std)²)")
            }
        case let .bernoulli(p):
            guard p >= 0, p <= 1 else {
                throw InitiumError.invalidArgument("bernoulli probability must be in [0, 1], got \(p)")
            }
        }
    }

    /// A truncated normal's bounds in standard units, a = (lower − mean)/std and b = (upper −
    /// mean)/std, and the mass Φ(b) − Φ(a) between them; `nil` for the other distributions.
    var standardizedBounds: (a: Double, b: Double, mass: Double)? {
        guard case let .truncatedNormal(mean, std, lower, upper) = self else { return nil }
        let (a, b) = (Double((lower - mean) / std), Double((upper - mean) / std))
        return (a, b, Gaussian.cdf(b) - Gaussian.cdf(a))
    }

    /// The distribution's mean.
    public var mean: Double {
        switch self {
        case let .uniform(low, high): return (Double(low) + Double(high)) / 2
        case let .normal(mean, _): return Double(mean)
        case let .truncatedNormal(mean, std, _, _):
            let (a, b, z) = standardizedBounds!
            return Double(mean) + Double(std) * (Gaussian.pdf(a) - Gaussian.pdf(b)) / z
        case let .bernoulli(p): return Double(p)
        }
    }

    /// The distribution's variance.
    public var variance: Double {
        switch self {
        case let .uniform(low, high): return pow(Double(high) - Double(low), 2) / 12
        case let .normal(_, std): return Double(std) * Double(std)
        case let .truncatedNormal(_, std, _, _):
            let (a, b, z) = standardizedBounds!
            let (pa, pb) = (Gaussian.pdf(a), Gaussian.pdf(b))
            let term = (a * pa - b * pb) / z - pow((pa - pb) / z, 2)
            return Double(std) * Double(std) * (1 + term)
        case let .bernoulli(p): return Double(p) * (1 - Double(p))
        }
    }
}

/// The standard normal density and distribution function, in Double.
public enum Gaussian {
    /// φ(x) = exp(−x²/2)/√(2π).
    public static func pdf(_ x: Double) -> Double { Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot() }
    /// Φ(x) = ½ erfc(−x/√2).
    public static func cdf(_ x: Double) -> Double { 0.5 * erfc(-x / 2.0.squareRoot()) }
}
