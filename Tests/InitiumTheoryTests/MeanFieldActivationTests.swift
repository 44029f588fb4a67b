import Foundation
import InitiumSpec
import Testing
@testable import InitiumTheory

@Suite("MeanFieldActivation catalog and specification strings")
struct ActivationTests {
    static let canonical = [
        "relu", "leaky-relu", "leaky-relu(slope=0.2)", "tanh", "sigmoid", "gelu", "silu", "elu", "elu(alpha=0.5)",
        "selu", "softplus(beta=2)", "sine", "sine(omega=30)", "gaussian(s=0.5)", "shifted-relu(tau=1.04)",
        "soft-threshold(tau=0.3)", "clipped-relu(tau=1.04,m=1)", "clipped-soft-threshold(tau=1,m=0.5)",
        "maxout(k=5)", "identity",
    ]

    @Test(arguments: canonical)
    func specificationRoundTrips(text: String) throws {
        let activation = try MeanFieldActivation(parsing: text)
        #expect(activation.description == text)
        #expect(try MeanFieldActivation(parsing: activation.description) == activation)
    }

    @Test func everyFamilyParsesByName() throws {
        for family in ActivationFamily.allCases {
            #expect(try MeanFieldActivation(parsing: family.rawValue).family == family)
        }
    }

    @Test func whitespaceIsIgnoredAndDefaultsCompareEqual() throws {
        let spaced = try MeanFieldActivation(parsing: " clipped-relu( tau = 1.04 , m = 1 ) ")
        #expect(spaced.description == "clipped-relu(tau=1.04,m=1)")
        #expect(try MeanFieldActivation(parsing: "leaky-relu") == MeanFieldActivation(parsing: "leaky-relu(slope=0.01)"))
        #expect(try MeanFieldActivation(parsing: "clipped-relu(tau=1.04)")["m"] == 1)
    }

    @Test(arguments: [
        ("swishy", "unknown activation"), ("", "empty"), ("sine(omega=)", "not a finite number"),
        ("sine(omega=30", "must end with ')'"), ("sine(frequency=3)", "no parameter 'frequency'"),
        ("tanh(x=1)", "it takes no parameters"), ("clipped-relu(m=0)", "m must be finite and positive"),
        ("soft-threshold(tau=-1)", "tau must be finite and non-negative"), ("maxout(k=2.5)", "k must be an integer"),
        ("sine(omega=1,omega=2)", "given twice"), ("relu)", "')' without '('"), ("sine(omega=inf)", "not a finite number"),
    ])
    func malformedSpecificationsThrowNamedErrors(text: String, fragment: String) {
        do {
            _ = try MeanFieldActivation(parsing: text)
            Issue.record("expected '\(text)' to be rejected")
        } catch let error as TheoryError {
            #expect(error.description.contains(fragment), "message was: \(error)")
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test(arguments: canonical.filter { $0 != "maxout(k=5)" })
    func derivativeMatchesFiniteDifferences(text: String) throws {
        let activation = try MeanFieldActivation(parsing: text)
        for x in stride(from: -3.05, through: 3.05, by: 0.37) where !activation.kinks.contains(where: { abs($0 - x) < 1e-3 }) {
            let h = 1e-5
            let numeric = (try activation.value(at: x + h) - activation.value(at: x - h)) / (2 * h)
            // Central differences have truncation error h²|φ‴|/6 and rounding error ε|φ|/h; with
            // |φ‴| ≤ 30³ for sine(omega=30), 1e-5·max(1, |φ′|) bounds both comfortably.
            let scale = max(1, abs(numeric), text.contains("omega=30") ? 3e4 : 1)
            #expect(abs(try activation.derivative(at: x) - numeric) < 1e-5 * scale, "\(text) at \(x)")
        }
    }

    @Test func fusedValueAndDerivativeAgreeWithSeparateFormulas() throws {
        for family in [ActivationFamily.tanh, .sigmoid, .silu, .gaussian] {
            let activation = MeanFieldActivation(family)
            guard case let .general(value, derivative, both, _) = activation.form else {
                Issue.record("\(family) should be a general form")
                continue
            }
            for x in [-40.0, -7.3, -1, -1e-8, 0, 0.3, 2.5, 19, 45] {
                let (v, d) = both(x)
                // Same mathematics, different rounding: a few ulps.
                #expect(abs(v - value(x)) <= 4 * Double.ulpOfOne * max(1, abs(v)))
                #expect(abs(d - derivative(x)) <= 4 * Double.ulpOfOne * max(1e-300, abs(d)) + 1e-300)
            }
        }
        // sech² must keep relative accuracy where 1 − tanh² cancels to zero.
        #expect(relativeError(try MeanFieldActivation(.tanh).derivative(at: 25), 4 * exp(-50)) < 1e-12)
    }

    @Test func customClosureUsesNumericalDerivativeWhenNoneIsGiven() throws {
        let cube = MeanFieldActivation.custom(name: "cube") { $0 * $0 * $0 }
        for x in [-2.0, -0.5, 0.1, 1.7] {
            // The five-point stencil's error is h⁴φ⁽⁵⁾/30 = 0 for a cubic; rounding leaves ~1e-12.
            #expect(abs(try cube.derivative(at: x) - 3 * x * x) < 1e-9)
        }
        #expect(cube.description == "cube")
        #expect(throws: TheoryError.self) { try cube.with(["tau": 1]) }
    }

    @Test func maxoutIsNotPointwise() {
        let maxout = MeanFieldActivation(.maxout)
        #expect(!maxout.isPointwise)
        #expect(throws: TheoryError.self) { try maxout.value(at: 1) }
    }

    @Test func scaleFreeActivationsAreRecognised() throws {
        for text in ["relu", "leaky-relu(slope=0.3)", "identity", "maxout(k=3)", "shifted-relu"] {
            #expect(try MeanFieldActivation(parsing: text).isPositivelyHomogeneous, "\(text)")
        }
        for text in ["tanh", "shifted-relu(tau=0.5)", "clipped-relu", "elu"] {
            #expect(try !MeanFieldActivation(parsing: text).isPositivelyHomogeneous, "\(text)")
        }
    }
}
