import InitiumCore
import InitiumNN
import InitiumSpec

/// IDInit (Pan et al., "IDInit: A Universal and Stable Initialization Method for Neural Network
/// Training", ICLR 2025): identity-preserving IDI_τ for the main layers and zero-preserving
/// IDIZ_ε for the last layer of each residual branch ("τ and ε are usually set to 1 and 1e-6 to
/// maintain identity and transit zero"). Deterministic.
///
/// No official code was found for the paper's index formulas, so this is a reading of its text,
/// stated exactly:
/// - IDI_τ, the "padded identity-like matrix" for a P × Q weight (P = out, Q = in):
///   W[i, j] = τ if i ≡ j (mod min(P, Q)), else 0 — identity blocks tiled along the longer side
///   instead of zero padding, so no row or column is dead and rank = min(P, Q) (Keras's
///   `Identity` tiles the same way when one side is a multiple of the other).
/// - IDIC_τ, the "patch-maintain" convolution: the [c_out, c_in, k…] kernel is flattened to the
///   [c_out, c_in·k…] matrix (PyTorch's row-major order), IDI_τ applied, and reshaped back; the
///   flattening order is our reading.
/// - IDIZ_ε, the "subtraction construction" for a branch's last layer: W[i, j] = ε if
///   j ≡ i (mod min(P, Q)), −ε if j ≡ i + 1 (mod Q) (and not the first case), else 0, so the
///   branch output is ε·(x_i − x_{i+1}) ≈ 0 at initialization while every weight gets a gradient.
/// Biases are 0. On a single tensor IDI_τ applies; over a model, IDIZ_ε goes to layers with role
/// `.residualBranchOutput` and IDI_τ to every other layer.
struct IDInitInitializer: TensorInitializer {
    let tau: Double
    let epsilon: Double
    let zeroPreserving: Bool

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        let (p, q) = layout.flattenedMatrix
        guard layout.shape.count >= 2 else {
            throw InitiumError.invalidArgument("idinit needs a matrix or a convolution kernel, got \(layout.shape)")
        }
        let period = min(p, q)
        var w = Tensor.zeros(layout.shape)
        w.withUnsafeMutableBufferPointer { m in
            for i in 0..<p {
                for j in 0..<q {
                    let onDiagonal = (i - j) % period == 0
                    if zeroPreserving {
                        if onDiagonal {
                            m[i * q + j] = Float(epsilon)
                        } else if j == (i + 1) % q {
                            m[i * q + j] = Float(-epsilon)
                        }
                    } else if onDiagonal {
                        m[i * q + j] = Float(tau)
                    }
                }
            }
        }
        return w
    }
}

/// IDInit over a model: IDIZ_ε for residual branches' last layers, IDI_τ elsewhere.
func idinitRecipe(tau: Double, epsilon: Double) -> LayerwiseInitializer {
    LayerwiseInitializer { _ in
        { site in
            let zero = site.roles.contains(.residualBranchOutput)
            return (IDInitInitializer(tau: tau, epsilon: epsilon, zeroPreserving: zero),
                    zero ? "idinit IDIZ(eps=\(SpecSyntax.format(epsilon)))" : "idinit IDI(tau=\(SpecSyntax.format(tau)))", [:])
        }
    }
}

extension SchemeCatalog {
    static let idinitEntry = Entry(
        name: "idinit",
        parameters: [ParameterInfo(name: "tau", defaultValue: "1", summary: "value of the identity-like entries"),
                     ParameterInfo(name: "eps", defaultValue: "1e-06", summary: "ε of the zero-preserving branch-output layers")],
        summary: "W[i,j] = τ if i ≡ j mod min(out, in) (convs flattened); branch outputs ε(I − shift)",
        reference: "Pan et al., ICLR 2025 (index rules: documented reading)", level: .tensorAndModel
    ) { spec in
        let tau = try spec.number("tau", default: 1, kind: kind)
        let eps = try nonNegative(spec, "eps", default: 1e-6)
        return .both(IDInitInitializer(tau: tau, epsilon: eps, zeroPreserving: false), idinitRecipe(tau: tau, epsilon: eps))
    }
}
