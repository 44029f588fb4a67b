/// The activations of the Initium engine, by the names users type (design.md, "Names users type").
///
/// Each family declares its parameters with defaults, so `tanh`, `sine(omega=30)` and
/// `clipped-relu(tau=1.04,m=1)` are all complete specifications. Names, parameters and defaults
/// match `InitiumNN.Activation`, so one string describes the same function to the engine and here.
public enum ActivationFamily: String, CaseIterable, Sendable {
    /// max(0, x).
    case relu
    /// x for x > 0, slope·x otherwise (default slope 0.01, PyTorch's).
    case leakyReLU = "leaky-relu"
    /// tanh x.
    case tanh
    /// 1/(1 + e^{−x}).
    case sigmoid
    /// Exact GELU, x Φ(x) (the erf form, not the tanh approximation).
    case gelu
    /// SiLU (swish), x/(1 + e^{−x}).
    case silu
    /// x for x > 0, alpha·(eˣ − 1) otherwise (default alpha 1).
    case elu
    /// λ·elu_α(x) with Klambauer et al.'s (NeurIPS 2017) fixed constants λ ≈ 1.0507, α ≈ 1.6733.
    case selu
    /// log(1 + e^{beta·x})/beta (default beta 1).
    case softplus
    /// sin(omega·x) (default omega 1; SIREN uses omega 30).
    case sine
    /// exp(−x²/(2s²)) (default s 1), the Gaussian activation of implicit neural representations.
    case gaussian
    /// ReLU_τ(x) = max(0, x − tau) (Price et al., ICLR 2024); default tau 0.
    case shiftedReLU = "shifted-relu"
    /// ST_τ(x) = 0 for |x| ≤ tau, x − sign(x)·tau otherwise; default tau 0.
    case softThreshold = "soft-threshold"
    /// CReLU_{τ,m}(x) = min(max(x − tau, 0), m); defaults tau 0, m 1.
    case clippedReLU = "clipped-relu"
    /// CST_{τ,m}(x) = sign(x)·min(max(|x| − tau, 0), m); defaults tau 0, m 1.
    case clippedSoftThreshold = "clipped-soft-threshold"
    /// max over k affine pieces (Goodfellow et al. 2013), default k 2; not a pointwise function.
    case maxout
    /// x.
    case identity

    /// The parameters this family takes, in the order they print.
    public var parameters: [ActivationParameter] {
        switch self {
        case .relu, .tanh, .sigmoid, .gelu, .silu, .selu, .identity:
            return []
        case .leakyReLU:
            return [.init(name: "slope", defaultValue: 0.01, domain: .finite)]
        case .elu:
            return [.init(name: "alpha", defaultValue: 1, domain: .nonNegative)]
        case .softplus:
            return [.init(name: "beta", defaultValue: 1, domain: .positive)]
        case .sine:
            return [.init(name: "omega", defaultValue: 1, domain: .positive)]
        case .gaussian:
            return [.init(name: "s", defaultValue: 1, domain: .positive)]
        case .shiftedReLU:
            return [.init(name: "tau", defaultValue: 0, domain: .finite)]
        case .softThreshold:
            return [.init(name: "tau", defaultValue: 0, domain: .nonNegative)]
        case .clippedReLU:
            return [
                .init(name: "tau", defaultValue: 0, domain: .finite),
                .init(name: "m", defaultValue: 1, domain: .positive),
            ]
        case .clippedSoftThreshold:
            return [
                .init(name: "tau", defaultValue: 0, domain: .nonNegative),
                .init(name: "m", defaultValue: 1, domain: .positive),
            ]
        case .maxout:
            return [.init(name: "k", defaultValue: 2, domain: .positiveInteger)]
        }
    }
}

/// One parameter of an activation family: its name, default and allowed values.
public struct ActivationParameter: Sendable, Equatable {
    /// The allowed values of a parameter.
    public enum Domain: Sendable, Equatable {
        /// Any finite number.
        case finite
        /// Finite and ≥ 0.
        case nonNegative
        /// Finite and > 0.
        case positive
        /// An integer ≥ 1.
        case positiveInteger

        /// Whether `value` lies in the domain.
        public func contains(_ value: Double) -> Bool {
            guard value.isFinite else { return false }
            switch self {
            case .finite: return true
            case .nonNegative: return value >= 0
            case .positive: return value > 0
            case .positiveInteger: return value >= 1 && value == value.rounded()
            }
        }

        /// The requirement as words, for error messages.
        public var requirement: String {
            switch self {
            case .finite: return "a finite number"
            case .nonNegative: return "finite and non-negative"
            case .positive: return "finite and positive"
            case .positiveInteger: return "an integer of at least 1"
            }
        }
    }

    /// The name as typed in a specification (`tau`, `m`, `omega`…).
    public let name: String
    /// The value used when the specification omits the parameter.
    public let defaultValue: Double
    /// The allowed values.
    public let domain: Domain
}
