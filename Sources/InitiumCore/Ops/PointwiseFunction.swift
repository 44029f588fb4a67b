import Foundation
import InitiumSpec

/// A differentiable function applied to every element: the unary math of the engine and the
/// kernel of every pointwise activation of ``InitiumSpec/ActivationFamily`` (see
/// ``init(_:)``). Each case has its forward rule and its derivative side by side.
///
/// Activation definitions (x is the pre-activation):
/// - `relu`: max(0, x), with ReLU′(0) = 1; `leakyReLU(a)`: x if x > 0 else a·x
/// - `tanh`, `sigmoid`: 1/(1+e⁻ˣ); `silu`: x·sigmoid(x); `gelu`: x·Φ(x) (exact, erf form)
/// - `geluTanh`: ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³) (GELU's tanh form, GPT-2's `gelu_new`)
/// - `elu(a)`: x if x > 0 else a(eˣ − 1); `selu`: λ·elu(α) with λ ≈ 1.0507, α ≈ 1.6733
///   (Klambauer et al., "Self-Normalizing Neural Networks", NeurIPS 2017)
/// - `softplus(β)`: log(1 + e^{βx})/β; `sine(ω)`: sin(ωx) (SIREN, Sitzmann et al. 2020)
/// - `gaussian(s)`: exp(−x²/(2s²)) (Ramasinghe & Lucey, "Beyond Periodicity", ECCV 2022)
/// - `sinc(ω)`: sin(ωx)/(ωx), 1 at x = 0 (Saratchandran et al., "A Sampling Theory Perspective on
///   Activations for Implicit Neural Representations", ECCV 2024)
/// - `shiftedReLU(τ)`: max(0, x − τ); `softThreshold(τ)`: sign(x)·max(|x| − τ, 0)
/// - `clippedReLU(τ, m)`: min(max(0, x − τ), m); `clippedSoftThreshold(τ, m)`:
///   sign(x)·min(max(|x| − τ, 0), m) (Price et al., "Deep Neural Network Initialization with
///   Sparsity Inducing Activations", ICLR 2024)
public enum PointwiseFunction: Sendable, Equatable, Hashable {
    case identity, relu, tanh, sigmoid, gelu, geluTanh, silu, selu
    case leakyReLU(slope: Float)
    case elu(alpha: Float)
    case softplus(beta: Float)
    case sine(omega: Float)
    case sinc(omega: Float)
    case gaussian(width: Float)
    case shiftedReLU(tau: Float)
    case softThreshold(tau: Float)
    case clippedReLU(tau: Float, clip: Float)
    case clippedSoftThreshold(tau: Float, clip: Float)
    case exp, log, sqrt, square, abs, sin, cos
    case power(Float)
    /// F(x) = P(x)/Q(x), P = Σᵢ numerator[i]·xⁱ, Q = 1 + |Σᵢ denominator[i−1]·xⁱ| (i ≥ 1): KAT's
    /// rational function (Yang & Wang, ICLR 2025).
    case rational(numerator: [Float], denominator: [Float])

    /// SELU's λ (Klambauer et al. 2017).
    public static let seluLambda: Float = 1.0507009873554805
    /// SELU's α (Klambauer et al. 2017).
    public static let seluAlpha: Float = 1.6732632423543772

    /// Applies the function to a tensor; gradients flow through.
    public func apply(_ x: Tensor) -> Tensor {
        let y = forward(x)
        let (input, output) = (x.detached(), y.detached())
        return y.recording(input: x) { g in self.pullback(g, input: input, output: output) }
    }

    // swiftlint:disable:next cyclomatic_complexity
    func forward(_ x: Tensor) -> Tensor {
        switch self {
        case .identity: return x.mapped { $0 }
        case .relu: return x.mapped { Swift.max($0, 0) }
        case .tanh: return x.mappedVectorized(VectorMath.tanh)
        case .sigmoid: return x.mappedVectorized(VectorMath.logistic)
        case .gelu: return x.mappedVectorized { $0 * VectorMath.normalCDF($0) }
        case .geluTanh:
            return x.mappedVectorized { v in 0.5 * v * (1 + VectorMath.tanh(Self.geluTanhArgument(v))) }
        case .silu: return x.mappedVectorized { $0 * VectorMath.logistic($0) }
        case .selu:
            let (l, a) = (Self.seluLambda, Self.seluAlpha)
            return x.mappedVectorized { v in VectorMath.positivePart(v, else: a * VectorMath.expm1(v)) * l }
        case let .leakyReLU(s): return x.mapped { $0 > 0 ? $0 : s * $0 }
        case let .elu(a):
            return x.mappedVectorized { v in VectorMath.positivePart(v, else: a * VectorMath.expm1(v)) }
        case let .softplus(b):
            return x.mapped { v in
                let t = b * v
                return (t > 20 ? t : log1pf(expf(t))) / b
            }
        case let .sine(w): return x.mappedVectorized { VectorMath.sin(w * $0) }
        case let .sinc(w): return x.mappedVectorized { VectorMath.sincAndSlope(w * $0).value }
        case let .gaussian(s):
            let k = -0.5 / (s * s)
            return x.mappedVectorized { VectorMath.exp(k * $0 * $0) }
        case let .shiftedReLU(t): return x.mapped { Swift.max($0 - t, 0) }
        case let .softThreshold(t):
            return x.mapped { v in v > t ? v - t : (v < -t ? v + t : 0) }
        case let .clippedReLU(t, m): return x.mapped { Swift.min(Swift.max($0 - t, 0), m) }
        case let .clippedSoftThreshold(t, m):
            return x.mapped { v in
                v > t ? Swift.min(v - t, m) : (v < -t ? Swift.max(v + t, -m) : 0)
            }
        case .exp: return x.mappedVectorized(VectorMath.exp)
        case .log: return x.mapped { logf($0) }
        case .sqrt: return x.mapped { sqrtf($0) }
        case .square: return x.mapped { $0 * $0 }
        case .abs: return x.mapped { Swift.abs($0) }
        case .sin: return x.mappedVectorized(VectorMath.sin)
        case .cos: return x.mappedVectorized(VectorMath.cos)
        case let .power(p): return x.mapped { powf($0, p) }
        case let .rational(a, b): return x.mapped { Self.rational(a, b, $0).value }
        }
    }

    /// The gradient with respect to the input: g ⊙ φ′(x), using the saved input or output.
    // swiftlint:disable:next cyclomatic_complexity
    func pullback(_ g: Tensor, input x: Tensor, output y: Tensor) -> Tensor {
        switch self {
        case .identity: return g
        // ReLU′(0) = 1, a valid subgradient (PyTorch uses 0): ZerO's deterministic init has exact
        // zeros and needs gradient to pass them (Zhao et al., TMLR 2022). Random inits never hit 0.
        case .relu: return g.zipped(with: x) { $1 >= 0 ? $0 : 0 }
        case .tanh: return g.zipped(with: y) { $0 * (1 - $1 * $1) }
        case .sigmoid: return g.zipped(with: y) { $0 * $1 * (1 - $1) }
        case .gelu:
            // d/dx x·Φ(x) = Φ(x) + x·φ(x)
            let slope = x.mappedVectorized { v in VectorMath.normalCDF(v) + v * 0.398_942_280_401_432_7 * VectorMath.exp(-0.5 * v * v) }
            return g.zipped(with: slope, *)
        case .geluTanh:
            // d/dx ½x(1 + tanh u) = ½(1 + t) + ½x(1 − t²)·u′, u′ = √(2/π)(1 + 3·0.044715x²)
            let slope = x.mappedVectorized { v in
                let t = VectorMath.tanh(Self.geluTanhArgument(v))
                let du = Self.geluTanhScale * (1 + 3 * Self.geluTanhCubic * v * v)
                return 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du
            }
            return g.zipped(with: slope, *)
        case .silu:
            let s = x.mappedVectorized(VectorMath.logistic)
            return g.zipped(with: x.zipped(with: s) { v, sv in sv * (1 + v * (1 - sv)) }, *)
        case .selu:
            let (l, a) = (Self.seluLambda, Self.seluAlpha)
            return g.zipped(with: y) { gv, yv in yv > 0 ? gv * l : gv * (yv + l * a) }
        case let .leakyReLU(s): return g.zipped(with: x) { $1 > 0 ? $0 : s * $0 }
        case let .elu(a):
            return g.zipped(with: x.mappedVectorized { v in
                VectorMath.select(VectorMath.lessThanMask(SIMD8(repeating: 0), v), SIMD8(repeating: 1), else: a * VectorMath.exp(v))
            }, *)
        case let .softplus(b): return g.zipped(with: x) { gv, v in gv * Self.logistic(b * v) }
        case let .sine(w): return g.zippedVectorized(with: x) { gv, v in gv * w * VectorMath.cos(w * v) }
        case let .sinc(w): return g.zippedVectorized(with: x) { gv, v in gv * w * VectorMath.sincAndSlope(w * v).slope }
        case let .gaussian(s):
            let k = -1 / (s * s)
            return g.zipped(with: x.zipped(with: y) { k * $0 * $1 }, *)
        case let .shiftedReLU(t): return g.zipped(with: x) { $1 > t ? $0 : 0 }
        case let .softThreshold(t): return g.zipped(with: x) { Swift.abs($1) > t ? $0 : 0 }
        case let .clippedReLU(t, m): return g.zipped(with: x) { ($1 > t && $1 - t < m) ? $0 : 0 }
        case let .clippedSoftThreshold(t, m):
            return g.zipped(with: x) { gv, v in
                let a = Swift.abs(v)
                return (a > t && a - t < m) ? gv : 0
            }
        case .exp: return g.zipped(with: y, *)
        case .log: return g.zipped(with: x, /)
        case .sqrt: return g.zipped(with: y) { $0 * 0.5 / $1 }
        case .square: return g.zipped(with: x) { 2 * $0 * $1 }
        case .abs: return g.zipped(with: x) { $1 > 0 ? $0 : ($1 < 0 ? -$0 : 0) }
        case .sin: return g.zippedVectorized(with: x) { $0 * VectorMath.cos($1) }
        case .cos: return g.zippedVectorized(with: x) { 0 - $0 * VectorMath.sin($1) }
        case let .power(p): return g.zipped(with: x) { $0 * p * powf($1, p - 1) }
        case let .rational(a, b): return g.zipped(with: x) { $0 * Self.rational(a, b, $1).slope }
        }
    }

    /// P(x)/Q(x) and its derivative (P′Q − PQ′)/Q² by Horner's rule, with Q = 1 + |B(x)|,
    /// B(x) = Σᵢ bᵢxⁱ (i ≥ 1) and Q′ = sign(B)·B′.
    @inline(__always)
    static func rational(_ a: [Float], _ b: [Float], _ x: Float) -> (value: Float, slope: Float) {
        var p: Float = 0, dp: Float = 0
        for c in a.reversed() {
            dp = dp * x + p
            p = p * x + c
        }
        var r: Float = 0, dr: Float = 0
        for c in b.reversed() {
            dr = dr * x + r
            r = r * x + c
        }
        // r = Σ bᵢ x^{i−1}: B = x·r, B′ = r + x·r′
        let big = x * r
        let denominator = 1 + Swift.abs(big)
        let denominatorSlope = (r + x * dr) * (big < 0 ? -1 : 1)
        return (p / denominator, (dp * denominator - p * denominatorSlope) / (denominator * denominator))
    }

    /// √(2/π), the scale of GELU's tanh form.
    static let geluTanhScale: Float = 0.7978845608028654
    /// The cubic coefficient 0.044715 of GELU's tanh form.
    static let geluTanhCubic: Float = 0.044715

    /// u = √(2/π)(x + 0.044715x³), the tanh argument of GELU's tanh form.
    @inline(__always)
    static func geluTanhArgument(_ v: SIMD8<Float>) -> SIMD8<Float> {
        geluTanhScale * (v + geluTanhCubic * v * v * v)
    }

    @inline(__always)
    static func logistic(_ v: Float) -> Float {
        v >= 0 ? 1 / (1 + expf(-v)) : expf(v) / (1 + expf(v))
    }
}

extension PointwiseFunction {
    /// The kernel of a catalog activation (``InitiumSpec/ActivationFamily``, parameters rounded to
    /// Float32), or nil for maxout, which is not elementwise.
    public init?(_ activation: ActivationSpec) {
        let p = activation.values.map { Float($0) }
        switch activation.family {
        case .relu: self = .relu
        case .leakyReLU: self = .leakyReLU(slope: p[0])
        case .tanh: self = .tanh
        case .sigmoid: self = .sigmoid
        case .gelu: self = .gelu
        case .geluTanh: self = .geluTanh
        case .silu: self = .silu
        case .elu: self = .elu(alpha: p[0])
        case .selu: self = .selu
        case .softplus: self = .softplus(beta: p[0])
        case .sine: self = .sine(omega: p[0])
        case .sinc: self = .sinc(omega: p[0])
        case .gaussian: self = .gaussian(width: p[0])
        case .shiftedReLU: self = .shiftedReLU(tau: p[0])
        case .softThreshold: self = .softThreshold(tau: p[0])
        case .clippedReLU: self = .clippedReLU(tau: p[0], clip: p[1])
        case .clippedSoftThreshold: self = .clippedSoftThreshold(tau: p[0], clip: p[1])
        case .maxout: return nil
        case .identity: self = .identity
        case .rational: self = .rational(numerator: Array(p[0..<6]), denominator: Array(p[6..<10]))
        }
    }
}

extension Tensor {
    /// eˣ elementwise.
    public func exp() -> Tensor { PointwiseFunction.exp.apply(self) }
    /// Natural logarithm elementwise.
    public func log() -> Tensor { PointwiseFunction.log.apply(self) }
    /// Square root elementwise.
    public func sqrt() -> Tensor { PointwiseFunction.sqrt.apply(self) }
    /// x² elementwise.
    public func squared() -> Tensor { PointwiseFunction.square.apply(self) }
    /// |x| elementwise.
    public func abs() -> Tensor { PointwiseFunction.abs.apply(self) }
    /// sin x elementwise.
    public func sin() -> Tensor { PointwiseFunction.sin.apply(self) }
    /// cos x elementwise.
    public func cos() -> Tensor { PointwiseFunction.cos.apply(self) }
    /// tanh x elementwise.
    public func tanh() -> Tensor { PointwiseFunction.tanh.apply(self) }
    /// The logistic sigmoid elementwise.
    public func sigmoid() -> Tensor { PointwiseFunction.sigmoid.apply(self) }
    /// max(0, x) elementwise.
    public func relu() -> Tensor { PointwiseFunction.relu.apply(self) }
    /// xᵖ elementwise.
    public func pow(_ p: Float) -> Tensor { PointwiseFunction.power(p).apply(self) }
}
