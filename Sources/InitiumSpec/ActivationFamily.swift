/// The activation families of Initium by the names users type (docs: "Names users type"), with
/// their aliases and parameters: the one table that the engine's kernels (`PointwiseFunction`),
/// its layers (`Activation`) and the mean-field theory (`MeanFieldActivation`) all read.
///
/// Each family declares its parameters with defaults and allowed values, so `tanh`,
/// `sine(omega=30)` and `clipped-relu(tau=1.04,m=1)` are all complete specifications; see
/// ``ActivationSpec`` for the parser.
public enum ActivationFamily: String, CaseIterable, Sendable {
    /// max(0, x).
    case relu
    /// x for x > 0, slope·x otherwise (default slope 0.01, PyTorch's).
    case leakyReLU = "leaky-relu"
    /// tanh x.
    case tanh
    /// 1/(1 + e^{−x}).
    case sigmoid
    /// Exact GELU, x Φ(x) (the erf form, not the tanh approximation); Hendrycks & Gimpel 2016.
    case gelu
    /// GELU's tanh approximation, ½x(1 + tanh(√(2/π)(x + 0.044715x³))), GPT-2's and BERT's
    /// `gelu_new` (Hendrycks & Gimpel 2016; PyTorch `gelu(approximate="tanh")`).
    case geluTanh = "gelu-tanh"
    /// SiLU (alias swish), x/(1 + e^{−x}); Elfwing et al. 2018, Ramachandran et al. 2017.
    case silu
    /// x for x > 0, alpha·(eˣ − 1) otherwise (default alpha 1); Clevert et al., ICLR 2016.
    case elu
    /// λ·elu_α(x) with Klambauer et al.'s (NeurIPS 2017) fixed constants λ ≈ 1.0507, α ≈ 1.6733.
    case selu
    /// log(1 + e^{beta·x})/beta (default beta 1).
    case softplus
    /// sin(omega·x) (default omega 1; SIREN, Sitzmann et al. 2020, uses omega 30).
    case sine
    /// exp(−x²/(2s²)) (default s 1), the Gaussian activation of implicit neural representations
    /// (Ramasinghe & Lucey, "Beyond Periodicity", ECCV 2022).
    case gaussian
    /// sinc(ωx) = sin(ωx)/(ωx), 1 at x = 0, the activation of Saratchandran, Ramasinghe,
    /// Shevchenko, Long & Lucey, "A Sampling Theory Perspective on Activations for Implicit Neural
    /// Representations" (ECCV 2024). The default omega = π gives the normalized (Shannon) sinc
    /// sin(πx)/(πx), whose integer translates are the Riesz basis of their sampling argument;
    /// omega sets the bandwidth, as SIREN's ω₀ does for the sine.
    case sinc
    /// ReLU_τ(x) = max(0, x − tau) (Price et al., ICLR 2024); default tau 0.
    case shiftedReLU = "shifted-relu"
    /// ST_τ(x) = 0 for |x| ≤ tau, x − sign(x)·tau otherwise; default tau 0.
    case softThreshold = "soft-threshold"
    /// CReLU_{τ,m}(x) = min(max(x − tau, 0), m); defaults tau 0, m 1.
    case clippedReLU = "clipped-relu"
    /// CST_{τ,m}(x) = sign(x)·min(max(|x| − tau, 0), m); defaults tau 0, m 1.
    case clippedSoftThreshold = "clipped-soft-threshold"
    /// max over groups of k consecutive features (Goodfellow et al., "Maxout Networks", ICML 2013),
    /// default k 2; not a pointwise function (a layer's output width is divided by k).
    case maxout
    /// x (alias linear).
    case identity
    /// The rational function of the Kolmogorov–Arnold Transformer's group-rational KAN (Yang &
    /// Wang, ICLR 2025): F(x) = (a0 + a1·x + … + a5·x⁵)/(1 + |b1·x + b2·x² + b3·x³ + b4·x⁴|), the
    /// paper's form. Its defaults are the paper's least-squares fit of GELU on [−3, 3]
    /// (Adamdad/rational_kat_cu `init.json`), which fit GELU to 3·10⁻³ and give KAT's gain² ≈ 2.357
    /// in this form (the kernels' variant 1 + Σ|bᵢ||x|ⁱ does not: 1.46 off GELU at x = −3);
    /// a0…a5 = 0, 1, 0, 0, 0, 0 with b = 0 is the identity.
    case rational

    /// One row of the table: the other names a user may type, and the parameters in the order
    /// they print.
    public var definition: (aliases: [String], parameters: [ActivationParameter]) {
        switch self {
        case .relu, .tanh, .sigmoid, .gelu, .geluTanh, .selu: return ([], [])
        case .silu: return (["swish"], [])
        case .identity: return (["linear"], [])
        case .leakyReLU: return ([], [.init("slope", default: 0.01, .finite)])
        case .elu: return ([], [.init("alpha", default: 1, .nonNegative)])
        case .softplus: return ([], [.init("beta", default: 1, .positive)])
        case .sine: return ([], [.init("omega", default: 1, .positive)])
        case .gaussian: return ([], [.init("s", default: 1, .positive)])
        case .sinc: return ([], [.init("omega", default: Double.pi, .positive)])
        case .shiftedReLU: return ([], [.init("tau", default: 0, .finite)])
        case .softThreshold: return ([], [.init("tau", default: 0, .nonNegative)])
        case .clippedReLU: return ([], [.init("tau", default: 0, .finite), .init("m", default: 1, .positive)])
        case .clippedSoftThreshold: return ([], [.init("tau", default: 0, .nonNegative), .init("m", default: 1, .positive)])
        case .maxout: return ([], [.init("k", default: 2, .positiveInteger)])
        case .rational:
            return ([], zip(Self.rationalParameterNames, Self.rationalGELUFit).map { .init($0, default: $1, .finite) })
        }
    }

    /// The rational family's parameters: numerator a0…a5, then denominator b1…b4.
    public static let rationalParameterNames = ["a0", "a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4"]

    /// KAT's fit of GELU (rational_kat_cu `init.json`, mode `gelu`): a0…a5 then b1…b4.
    public static let rationalGELUFit = [
        -0.00153969, 0.51692871, 0.44075827, 0.0972553, -0.00884418, -0.00378675,
        -0.14171056, -0.06481231, -0.0444695, 0.01283776,
    ]

    /// The parameters this family takes, in the order they print.
    public var parameters: [ActivationParameter] { definition.parameters }

    /// The other names that select this family (`swish` for `silu`, `linear` for `identity`).
    public var aliases: [String] { definition.aliases }

    /// The family a user's name selects, canonical name or alias, in any letter case.
    public init?(named name: String) {
        let name = name.lowercased()
        guard let family = Self.allCases.first(where: { $0.rawValue == name || $0.aliases.contains(name) }) else {
            return nil
        }
        self = family
    }
}

/// One parameter of an activation family: its name, default and allowed values.
public struct ActivationParameter: Sendable, Hashable {
    /// The allowed values of a parameter.
    public enum Domain: Sendable, Hashable {
        /// Any finite number.
        case finite
        /// Finite and ≥ 0.
        case nonNegative
        /// Finite and > 0.
        case positive
        /// An integer from 1 to 2³¹ − 1 (a count, such as maxout's k).
        case positiveInteger

        /// Whether `value` lies in the domain.
        public func contains(_ value: Double) -> Bool {
            guard value.isFinite else { return false }
            switch self {
            case .finite: return true
            case .nonNegative: return value >= 0
            case .positive: return value > 0
            case .positiveInteger: return value >= 1 && value < 2_147_483_648 && value == value.rounded()
            }
        }

        /// The requirement as words, for error messages.
        public var requirement: String {
            switch self {
            case .finite: return "a finite number"
            case .nonNegative: return "finite and non-negative"
            case .positive: return "finite and positive"
            case .positiveInteger: return "an integer of at least 1 (and below 2^31)"
            }
        }
    }

    /// The name as typed in a specification (`tau`, `m`, `omega`…).
    public let name: String
    /// The value used when the specification omits the parameter.
    public let defaultValue: Double
    /// The allowed values.
    public let domain: Domain

    /// A parameter `name` with its default and domain.
    public init(_ name: String, default defaultValue: Double, _ domain: Domain) {
        self.name = name
        self.defaultValue = defaultValue
        self.domain = domain
    }
}
