import InitiumCore
import InitiumNN
import InitiumSpec
import InitiumTheory
import Testing

/// The engine (Float32 kernels of `PointwiseFunction`, through the layer's `Activation`) and the
/// mean-field theory (Double closed forms and closures of `MeanFieldActivation`) are built from
/// the same `ActivationSpec`; here they must compute the same φ.
@Suite("Engine and theory agree on every activation")
struct ActivationAgreementTests {
    /// Every pointwise family at its defaults, and with non-default parameters, and both aliases.
    static let specs = ActivationFamily.allCases.filter { $0 != .maxout }.map(\.rawValue) + [
        "leaky-relu(slope=0.2)", "elu(alpha=0.5)", "softplus(beta=2)", "sine(omega=30)", "gaussian(s=0.5)",
        "shifted-relu(tau=1.04)", "shifted-relu(tau=-0.7)", "soft-threshold(tau=0.3)", "clipped-relu(tau=-0.5,m=2)",
        "clipped-soft-threshold(tau=1,m=0.5)", "swish", "linear",
    ]

    /// Multiples of 1/16 in [−6, 6] (exact in Float32 and Double, so both see the same inputs) plus
    /// points just beside the kinks of the parameterized families.
    static let grid = stride(from: -6.0, through: 6.0, by: 0.0625).map { $0 } + [-1.5, -1.0001, -0.3001, 0.2999, 1.0399, 1.0401]

    @Test func everyFamilyIsCovered() throws {
        let covered = Set(try Self.specs.map { try ActivationSpec(parsing: $0).family })
        #expect(covered == Set(ActivationFamily.allCases).subtracting([.maxout]))
    }

    @Test(arguments: specs)
    func engineAndTheoryComputeTheSameFunction(text: String) throws {
        let spec = try ActivationSpec(parsing: text)
        let engine = Activation(spec)
        let theory = MeanFieldActivation(spec)
        let inputs = Self.grid.map { Float($0) }
        let outputs = try engine.apply(Tensor(shape: [inputs.count], scalars: inputs)).scalars
        // The scale of the argument the engine rounds: ω·x for the sine, β·x for softplus, x otherwise.
        let frequency = spec["omega"] ?? spec["beta"] ?? 1
        for (x, y) in zip(inputs, outputs) {
            let exact = try theory.value(at: Double(x))
            // Float32 rounds each operation to half an ulp (ε/2, ε = 2⁻²³); the engine's vectorised
            // exp/tanh polynomials add ≲ 2e-7 ≈ 1.7ε relative (VectorTranscendentals), a parameter
            // such as 1.04 rounds to Float with relative error ≤ ε/2, and the sine's argument ωx
            // (up to 180 here) carries an absolute rounding error of ε|ωx|/2. 4ε times the larger
            // of 1, |φ| and the argument's size bounds their sum (the worst seen is about 0.9ε);
            // a wrong formula, parameter or default is off by orders of magnitude more.
            let tolerance = 4 * Double(Float.ulpOfOne) * max(1, abs(exact), abs(frequency * Double(x)))
            #expect(abs(Double(y) - exact) <= tolerance, "\(text) at x = \(x): engine \(y), theory \(exact)")
        }
    }

    @Test func maxoutIsTheSameGroupingInBoth() throws {
        for text in ["maxout", "maxout(k=3)"] {
            let spec = try ActivationSpec(parsing: text)
            let engine = Activation(spec)
            #expect(engine.function == nil && !MeanFieldActivation(spec).isPointwise)
            #expect(Double(engine.maxoutGroup) == spec["k"])
            let k = engine.maxoutGroup
            let x = try Tensor(shape: [1, 2 * k], scalars: (0..<(2 * k)).map { Float(($0 * 7) % (2 * k)) - 2 })
            let expected = (0..<2).map { g in (0..<k).map { x.scalars[g * k + $0] }.max()! }
            #expect(try engine.apply(x).scalars == expected)
        }
    }
}
