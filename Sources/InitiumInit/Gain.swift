import Foundation
import InitiumCore
import InitiumNN
import InitiumSpec

/// The gain g of a variance-scaling scheme (σ² = g²/fan): a number, an activation looked up in
/// PyTorch's `calculate_gain` table (`gain=tanh`), or `gain=exact`.
///
/// PyTorch's table: identity/linear/sigmoid 1, tanh 5/3, relu √2, leaky-relu √(2/(1+a²)),
/// selu 3/4. The table's tanh, sigmoid and selu values differ from the second-moment gains
/// 1/√E[φ(z)²] (1.5925, 1.8462, 1.0).
///
/// `gain=exact` is that forward second-moment gain g = 1/√E[φ(Z)²], Z ~ N(0, 1), computed by
/// quadrature (InitiumTheory's `Gains`) for the network's activation from the
/// ``InitializationContext`` — any activation and parameters, including GELU, SiLU, sine and
/// maxout (where it is 1/√E[max of k normals²]). It keeps E[x²] of unit-variance pre-activations
/// through a layer (He et al., ICCV 2015, generalised; the forward rule of VI3NR, Koneputugodage
/// et al., CVPR 2025, at σ_p = 1).
public enum Gain: Sendable, Hashable, CustomStringConvertible {
    /// A fixed number.
    case value(Double)
    /// PyTorch's tabulated gain for an activation.
    case table(Activation)
    /// 1/√E[φ(Z)²] for the network's activation, computed numerically.
    case exact

    /// √2, He et al.'s gain for ReLU.
    public static let relu = Gain.table(.relu)

    /// Parses `2`, `1.5`, `exact`, or an activation spec such as `tanh` or `leaky-relu(slope=0.2)`.
    public init(_ text: String) throws {
        if let v = Double(text) {
            guard v.isFinite, v > 0 else { throw InitiumError.invalidArgument("gain must be a positive number, got \(text)") }
            self = .value(v)
            return
        }
        if text == "exact" {
            self = .exact
            return
        }
        let activation = try Activation(text)
        self = .table(activation)
        _ = try resolved()
    }

    /// The numeric gain; `exact` needs the network's activation.
    public func resolved(activation: Activation? = nil) throws -> Double {
        switch self {
        case let .value(v): return v
        case .exact:
            guard let activation else {
                throw InitiumError.invalidArgument(
                    "gain=exact is computed for the network's activation; none was given (`activation`)")
            }
            return try TheoryBridge.forwardGain(activation)
        case let .table(activation):
            switch activation.function {
            case .identity?, .sigmoid?: return 1
            case .tanh?: return 5.0 / 3.0
            case .relu?: return 2.0.squareRoot()
            case let .leakyReLU(slope)?: return (2 / (1 + Double(slope) * Double(slope))).squareRoot()
            case .selu?: return 0.75
            default:
                throw InitiumError.invalidArgument(
                    "PyTorch's gain table has no entry for \(activation); give a number or use gain=exact")
            }
        }
    }

    /// The gain as typed.
    public var description: String {
        switch self {
        case let .value(v): return SpecSyntax.format(v)
        case let .table(activation): return activation.description
        case .exact: return "exact"
        }
    }
}
