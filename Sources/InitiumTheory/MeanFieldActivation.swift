import Foundation
import InitiumSpec

/// An activation function φ as the mean-field theory sees it: a function of one real
/// pre-activation, in Double, with φ′, its kinks, and closed forms for its Gaussian expectations
/// where they exist (piecewise-linear activations and the sine). A catalog activation is built
/// from the ``InitiumSpec/ActivationSpec`` the engine's layers are built from, so one string
/// (`sine(omega=30)`) describes the same function to both; a user-supplied closure is also accepted.
///
/// Named apart from the engine's `Activation` (the layer that applies φ to tensors, which users
/// meet most): this type is the mathematical description that the theory integrates against
/// Gaussians, hence "mean-field". It prints as its spec (`clipped-relu(tau=1.04,m=1)`).
public struct MeanFieldActivation: Sendable, CustomStringConvertible {
    /// How the activation is evaluated and integrated.
    enum Form: Sendable {
        /// Exact Gaussian expectations by truncated moments.
        case piecewiseLinear(PiecewiseLinear)
        /// sin(ωx): exact Gaussian expectations of trigonometric polynomials.
        case sinusoid(Sinusoid)
        /// Evaluated pointwise and integrated by quadrature, split at the kinks. `both` returns
        /// (φ(x), φ′(x)) together, sharing work where the formulas allow (one exponential for tanh).
        case general(
            value: @Sendable (Double) -> Double, derivative: @Sendable (Double) -> Double,
            both: @Sendable (Double) -> (Double, Double), kinks: [Double])
        /// The maximum of `pieces` independent pre-activations; not a pointwise function.
        case maxout(pieces: Int)
    }

    /// The catalog spec, or nil for a user closure.
    public let spec: ActivationSpec?
    /// The family's canonical name (`clipped-relu`) or the custom name.
    public let name: String
    let form: Form

    /// The activation a catalog spec describes.
    public init(_ spec: ActivationSpec) {
        self.spec = spec
        name = spec.family.rawValue
        form = Self.form(of: spec.family, values: spec.values)
    }

    /// The activation of `family` with all parameters at their defaults.
    public init(_ family: ActivationFamily) {
        self.init(ActivationSpec(family))
    }

    /// The activation of `family` with the given parameters (others at their defaults).
    ///
    /// Throws ``TheoryError/spec(_:)`` for a name the family does not take or a value outside its
    /// domain (e.g. a non-positive clip level m).
    public init(_ family: ActivationFamily, parameters: [String: Double]) throws {
        self.init(try TheoryError.wrapping { () throws(SpecError) in try ActivationSpec(family, parameters: parameters) })
    }

    /// Parses a specification such as `tanh`, `sine(omega=30)` or `clipped-relu(tau=1.04,m=1)` with
    /// the shared parser (``InitiumSpec/ActivationSpec/init(parsing:)``); throws ``TheoryError/spec(_:)``.
    public init(parsing specification: String) throws {
        self.init(try TheoryError.wrapping { () throws(SpecError) in try ActivationSpec(parsing: specification) })
    }

    private init(customName: String, form: Form) {
        spec = nil
        name = customName
        self.form = form
    }

    /// A user-supplied activation φ with optional derivative φ′.
    ///
    /// Without `derivative`, φ′ is the five-point central difference
    /// [φ(x−2h) − 8φ(x−h) + 8φ(x+h) − φ(x+2h)]/(12h) with h = 10⁻³·max(1, |x|), whose truncation
    /// (≈ h⁴φ⁽⁵⁾/30) and rounding (≈ ε|φ|/h) errors are both near 1e-13 for smooth φ.
    /// List the points where φ or φ′ jumps in `kinks` so quadrature splits there.
    public static func custom(
        name: String, kinks: [Double] = [], _ function: @escaping @Sendable (Double) -> Double,
        derivative: (@Sendable (Double) -> Double)? = nil
    ) -> MeanFieldActivation {
        let slope = derivative ?? { x in
            let h = 1e-3 * max(1, abs(x))
            return (function(x - 2 * h) - 8 * function(x - h) + 8 * function(x + h) - function(x + 2 * h)) / (12 * h)
        }
        return MeanFieldActivation(
            customName: name,
            form: .general(value: function, derivative: slope, both: { x in (function(x), slope(x)) }, kinks: kinks.sorted()))
    }

    /// The catalog family, or nil for a user closure.
    public var family: ActivationFamily? { spec?.family }

    /// The resolved value of a parameter (`activation["tau"]`), or nil if the activation has none by that name.
    public subscript(parameter: String) -> Double? { spec?[parameter] }

    /// The specification string (``InitiumSpec/ActivationSpec/description``), or the custom name.
    public var description: String { spec?.description ?? name }

    /// The same activation with some parameters replaced (and marked explicit).
    public func with(_ replacements: [String: Double]) throws -> MeanFieldActivation {
        guard let spec else {
            throw TheoryError.unsupported("custom activation '\(name)' has no parameters to replace")
        }
        return MeanFieldActivation(try TheoryError.wrapping { () throws(SpecError) in try spec.with(replacements) })
    }

    /// Symmetry of φ under x ↦ −x.
    public enum Parity: Sendable {
        /// φ(−x) = φ(x) (the Gaussian activation).
        case even
        /// φ(−x) = −φ(x) (tanh, sine, soft thresholding, the identity).
        case odd
        /// Neither (or unknown, as for custom closures).
        case none
    }

    /// The parity of φ, which lets quadrature evaluate only z ≥ 0: an integrand φ(X)ᵖ φ′(X)ʳ He_k(Z)
    /// of definite parity is either 0 or twice its half-line integral.
    public var parity: Parity {
        switch family {
        case .tanh, .sine, .softThreshold, .clippedSoftThreshold, .identity: return .odd
        case .gaussian, .sinc: return .even
        default: return .none
        }
    }

    /// Whether φ acts elementwise (everything but maxout).
    public var isPointwise: Bool {
        if case .maxout = form { return false }
        return true
    }

    /// The points where φ or φ′ is not smooth, in increasing order.
    public var kinks: [Double] {
        switch form {
        case let .piecewiseLinear(form): return Array(Set(form.breakpoints)).sorted()
        case let .general(_, _, _, kinks): return kinks
        case .sinusoid, .maxout: return []
        }
    }

    /// Whether φ(λx) = λφ(x) for λ > 0 (ReLU, leaky ReLU, identity, maxout): then the variance map is
    /// linear in q and the edge of chaos is the single point σ_b² = 0.
    public var isPositivelyHomogeneous: Bool {
        switch form {
        case let .piecewiseLinear(form): return form.isPositivelyHomogeneous
        case .general, .sinusoid: return false
        case .maxout: return true
        }
    }

    /// φ(x). Throws `unsupported` for maxout, which is not a function of one pre-activation.
    public func value(at x: Double) throws -> Double {
        switch form {
        case let .piecewiseLinear(form): return form.value(at: x)
        case let .sinusoid(form): return sin(form.frequency * x)
        case let .general(value, _, _, _): return value(x)
        case .maxout: throw TheoryError.unsupported("maxout is not a pointwise function of one pre-activation")
        }
    }

    /// φ′(x) (the right derivative at a kink). Throws `unsupported` for maxout.
    public func derivative(at x: Double) throws -> Double {
        switch form {
        case let .piecewiseLinear(form): return form.derivative(at: x)
        case let .sinusoid(form): return form.frequency * cos(form.frequency * x)
        case let .general(_, derivative, _, _): return derivative(x)
        case .maxout: throw TheoryError.unsupported("maxout is not a pointwise function of one pre-activation")
        }
    }

    private static func form(of family: ActivationFamily, values p: [Double]) -> Form {
        switch family {
        case .relu:
            return .piecewiseLinear(PiecewiseLinear(breakpoints: [0], slopes: [0, 1], intercepts: [0, 0]))
        case .leakyReLU:
            return .piecewiseLinear(PiecewiseLinear(breakpoints: [0], slopes: [p[0], 1], intercepts: [0, 0]))
        case .identity:
            return .piecewiseLinear(PiecewiseLinear(breakpoints: [], slopes: [1], intercepts: [0]))
        case .shiftedReLU:
            let tau = p[0]
            return .piecewiseLinear(PiecewiseLinear(breakpoints: [tau], slopes: [0, 1], intercepts: [0, -tau]))
        case .softThreshold:
            let tau = p[0]
            return .piecewiseLinear(
                PiecewiseLinear(breakpoints: [-tau, tau], slopes: [1, 0, 1], intercepts: [tau, 0, -tau]))
        case .clippedReLU:
            let (tau, m) = (p[0], p[1])
            return .piecewiseLinear(
                PiecewiseLinear(breakpoints: [tau, tau + m], slopes: [0, 1, 0], intercepts: [0, -tau, m]))
        case .clippedSoftThreshold:
            let (tau, m) = (p[0], p[1])
            return .piecewiseLinear(
                PiecewiseLinear(
                    breakpoints: [-tau - m, -tau, tau, tau + m], slopes: [0, 1, 0, 1, 0],
                    intercepts: [-m, tau, 0, -tau, m]))
        case .maxout:
            return .maxout(pieces: Int(p[0]))
        case .tanh:
            // One exponential gives both; sech²x = 4e^{−2|x|}/(1 + e^{−2|x|})² does not cancel to
            // multiples of 2⁻⁵² for |x| ≳ 19 the way 1 − tanh²x does.
            return .general(value: { Foundation.tanh($0) }, derivative: { tanhAndSlope($0).1 }, both: tanhAndSlope, kinks: [])
        case .sigmoid:
            return .general(value: logistic, derivative: { logisticAndSlope($0).1 }, both: logisticAndSlope, kinks: [])
        case .gelu:
            return general(
                value: { x in x * StandardNormal.cdf(x) },
                derivative: { x in StandardNormal.cdf(x) + x * StandardNormal.density(x) }, kinks: [])
        case .geluTanh:
            let (c, a) = ((2 / Double.pi).squareRoot(), 0.044715)
            return .general(
                value: { x in 0.5 * x * (1 + Foundation.tanh(c * (x + a * x * x * x))) },
                derivative: { x in geluTanhAndSlope(x, c: c, a: a).1 },
                both: { x in geluTanhAndSlope(x, c: c, a: a) }, kinks: [])
        case .silu:
            return .general(value: { x in x * logistic(x) }, derivative: { siluAndSlope($0).1 }, both: siluAndSlope, kinks: [])
        case .elu:
            let alpha = p[0]
            return general(
                value: { x in x > 0 ? x : alpha * expm1(x) },
                derivative: { x in x > 0 ? 1 : alpha * exp(x) }, kinks: [0])
        case .selu:
            let (lambda, alpha) = (1.050_700_987_355_480_5, 1.673_263_242_354_377_3)
            return general(
                value: { x in lambda * (x > 0 ? x : alpha * expm1(x)) },
                derivative: { x in lambda * (x > 0 ? 1 : alpha * exp(x)) }, kinks: [0])
        case .softplus:
            let beta = p[0]
            return general(
                value: { x in (max(beta * x, 0) + log1p(exp(-abs(beta * x)))) / beta },
                derivative: { x in logistic(beta * x) }, kinks: [])
        case .sine:
            return .sinusoid(Sinusoid(frequency: p[0]))
        case .gaussian:
            let width2 = p[0] * p[0]
            return .general(
                value: { x in exp(-x * x / (2 * width2)) },
                derivative: { x in -x / width2 * exp(-x * x / (2 * width2)) },
                both: { x in
                    let value = exp(-x * x / (2 * width2))
                    return (value, -x / width2 * value)
                }, kinks: [])
        case .sinc:
            let omega = p[0]
            return .general(
                value: { sincAndSlope(omega * $0).0 }, derivative: { omega * sincAndSlope(omega * $0).1 },
                both: { x in
                    let (value, slope) = sincAndSlope(omega * x)
                    return (value, omega * slope)
                }, kinks: [])
        case .rational:
            let (a, b) = (Array(p[0..<6]), Array(p[6..<10]))
            return .general(value: { rational(a, b, $0).0 }, derivative: { rational(a, b, $0).1 }, both: { rational(a, b, $0) }, kinks: rationalKinks(b))
        }
    }

    /// A general form whose `both` simply calls the two closures.
    private static func general(
        value: @escaping @Sendable (Double) -> Double, derivative: @escaping @Sendable (Double) -> Double, kinks: [Double]
    ) -> Form {
        .general(value: value, derivative: derivative, both: { x in (value(x), derivative(x)) }, kinks: kinks)
    }
}

/// sin u/u and its derivative (u cos u − sin u)/u², by their Taylor series for |u| < 10⁻² (where
/// the quotients lose digits to cancellation; truncation below 10⁻¹⁷) and the quotients elsewhere.
@Sendable func sincAndSlope(_ u: Double) -> (Double, Double) {
    guard abs(u) >= 1e-2 else {
        let u2 = u * u
        return (1 - u2 / 6 * (1 - u2 / 20 * (1 - u2 / 42)), -u / 3 * (1 - u2 / 10 * (1 - u2 / 28)))
    }
    let value = sin(u) / u
    return (value, (cos(u) - value) / u)
}

/// The real roots of B(x) = Σ bᵢxⁱ, where the rational function's derivative jumps.
func rationalKinks(_ b: [Double]) -> [Double] {
    // x·(b1 + b2 x + b3 x² + b4 x³): 0 and the real roots of the cubic, by bisection on a grid
    var roots = [0.0]
    let cubic = { (x: Double) in b[0] + x * (b[1] + x * (b[2] + x * b[3])) }
    var previous = -50.0
    for step in 1...2000 {
        let x = -50 + Double(step) * 0.05
        if cubic(previous) == 0 { roots.append(previous) } else if cubic(previous) * cubic(x) < 0 {
            var (lo, hi) = (previous, x)
            for _ in 0..<80 {
                let mid = (lo + hi) / 2
                if cubic(lo) * cubic(mid) <= 0 { hi = mid } else { lo = mid }
            }
            roots.append((lo + hi) / 2)
        }
        previous = x
    }
    return roots.sorted()
}

/// KAT's rational function P(x)/(1 + |Σ bᵢxⁱ|) and its derivative, in Double (see
/// ``InitiumSpec/ActivationFamily/rational``).
@Sendable func rational(_ a: [Double], _ b: [Double], _ x: Double) -> (Double, Double) {
    var p = 0.0, dp = 0.0
    for c in a.reversed() {
        dp = dp * x + p
        p = p * x + c
    }
    var r = 0.0, dr = 0.0
    for c in b.reversed() {
        dr = dr * x + r
        r = r * x + c
    }
    let big = x * r
    let denominator = 1 + abs(big)
    let slope = (r + x * dr) * (big < 0 ? -1 : 1)
    return (p / denominator, (dp * denominator - p * slope) / (denominator * denominator))
}

/// 1/(1 + e^{−x}) without overflow for large |x|.
@Sendable func logistic(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + exp(-x)) }
    let e = exp(x)
    return e / (1 + e)
}

/// (tanh x, sech²x) from one exponential e = e^{−2|x|}: tanh|x| = (1 − e)/(1 + e), sech²x = 4e/(1 + e)².
/// Below |x| = 1/2, 1 − e is taken from `expm1` so tanh keeps its relative accuracy as x → 0;
/// above, e itself is exact, so sech² keeps its relative accuracy as |x| → ∞.
@Sendable func tanhAndSlope(_ x: Double) -> (Double, Double) {
    let a = abs(x)
    let e: Double
    let oneMinusE: Double
    if a < 0.5 {
        let m = expm1(-2 * a)
        (e, oneMinusE) = (1 + m, -m)
    } else {
        e = exp(-2 * a)
        oneMinusE = 1 - e
    }
    let t = oneMinusE / (1 + e)
    return (x < 0 ? -t : t, 4 * e / ((1 + e) * (1 + e)))
}

/// (σ(x), σ′(x)) from one exponential e = e^{−|x|}: σ′ = e/(1 + e)², free of the cancellation in σ(1 − σ).
@Sendable func logisticAndSlope(_ x: Double) -> (Double, Double) {
    let e = exp(-abs(x))
    let small = e / (1 + e)
    return (x < 0 ? small : 1 - small, e / ((1 + e) * (1 + e)))
}

/// (½x(1 + tanh u), ½(1 + tanh u) + ½x·sech²u·u′) for GELU's tanh form, u = c(x + a·x³).
@Sendable func geluTanhAndSlope(_ x: Double, c: Double, a: Double) -> (Double, Double) {
    let (t, sech2) = tanhAndSlope(c * (x + a * x * x * x))
    return (0.5 * x * (1 + t), 0.5 * (1 + t) + 0.5 * x * sech2 * c * (1 + 3 * a * x * x))
}

/// (x σ(x), σ(x)(1 + x(1 − σ(x)))) for SiLU from one exponential.
@Sendable func siluAndSlope(_ x: Double) -> (Double, Double) {
    let e = exp(-abs(x))
    let small = e / (1 + e)
    let (sigma, complement) = x < 0 ? (small, 1 - small) : (1 - small, small)
    return (x * sigma, sigma * (1 + x * complement))
}

extension MeanFieldActivation: Equatable {
    /// Catalog activations are equal when their specs are (same family and resolved parameters:
    /// `leaky-relu` == `leaky-relu(slope=0.01)`); custom activations compare by name.
    public static func == (lhs: MeanFieldActivation, rhs: MeanFieldActivation) -> Bool {
        lhs.spec == rhs.spec && lhs.name == rhs.name
    }
}
