import Foundation
import InitiumNN
import InitiumSpec
import Testing

@Suite("The activation table and its one parser")
struct ActivationSpecTests {
    @Test(arguments: [
        "relu", "leaky-relu", "leaky-relu(slope=0.2)", "tanh", "sigmoid", "gelu", "gelu-tanh", "silu", "swish", "elu(alpha=0.5)",
        "selu", "softplus(beta=2)", "sine", "sine(omega=30.0)", "gaussian(s=0.5)", "shifted-relu(tau=-1.04)",
        "soft-threshold(tau=0.3)", "clipped-relu(m=1,tau=1.04)", "clipped-soft-threshold(tau=1,m=0.5)",
        "maxout(k=5)", "identity", "linear",
    ])
    func specsPrintBackAsWritten(text: String) throws {
        let spec = try ActivationSpec(parsing: text)
        #expect(spec.description == text)
        #expect(try ActivationSpec(parsing: spec.description) == spec)
    }

    @Test func familyNamesAreCaseInsensitive() throws {
        #expect(try ActivationSpec(parsing: "TANH").family == .tanh)
        let leaky = try ActivationSpec(parsing: "Leaky-ReLU(Slope=0.2)")
        #expect(leaky.family == .leakyReLU && leaky["slope"] == 0.2)
        #expect(leaky.description == "leaky-relu(slope=0.2)")
    }

    @Test func aliasesSelectTheirFamilyAndKeepTheirSpelling() throws {
        let swish = try ActivationSpec(parsing: "swish")
        #expect(swish.family == .silu && swish == ActivationSpec(.silu) && swish.description == "swish")
        #expect(try ActivationSpec(parsing: "Linear").family == .identity)
        #expect(ActivationFamily(named: "SWISH") == .silu && ActivationFamily(named: "swishy") == nil)
        let aliases = ActivationFamily.allCases.flatMap(\.aliases)
        #expect(Set(aliases).count == aliases.count)
        #expect(Set(aliases).isDisjoint(with: ActivationFamily.allCases.map(\.rawValue)))
    }

    @Test func defaultsFillInAndCompareEqual() throws {
        #expect(try ActivationSpec(parsing: "leaky-relu") == ActivationSpec(parsing: "leaky-relu(slope=0.01)"))
        #expect(try ActivationSpec(parsing: "clipped-relu(tau=1.04)")["m"] == 1)
        #expect(try ActivationSpec(parsing: "maxout")["k"] == 2)
        for family in ActivationFamily.allCases {
            for parameter in family.parameters {
                #expect(parameter.domain.contains(parameter.defaultValue), "\(family.rawValue).\(parameter.name)")
            }
        }
    }

    @Test func specsBuiltFromValuesPrintExplicitParametersInDeclarationOrder() throws {
        let spec = try ActivationSpec(.clippedReLU, parameters: ["m": 2, "tau": 1.04])
        #expect(spec.description == "clipped-relu(tau=1.04,m=2)")
        #expect(try spec.with(["m": 0.5]).description == "clipped-relu(tau=1.04,m=0.5)")
        #expect(ActivationSpec(.sine).description == "sine")
        #expect(throws: SpecError.self) { try ActivationSpec(.sine, parameters: ["frequency": 3]) }
    }

    /// Out-of-domain values are refused with the parameter, its requirement and the value.
    @Test(arguments: [
        ("elu(alpha=-1)", "alpha must be finite and non-negative"), ("sine(omega=0)", "omega must be finite and positive"),
        ("sine(omega=-30)", "omega must be finite and positive"), ("softplus(beta=0)", "beta must be finite and positive"),
        ("gaussian(s=0)", "s must be finite and positive"), ("soft-threshold(tau=-1)", "tau must be finite and non-negative"),
        ("clipped-relu(m=0)", "m must be finite and positive"), ("clipped-soft-threshold(tau=-0.1)", "tau must be finite and non-negative"),
        ("maxout(k=0)", "k must be an integer"), ("maxout(k=2.5)", "k must be an integer"), ("maxout(k=1e12)", "k must be an integer"),
        ("sine(omega=inf)", "not a finite number"), ("sine(omega=)", "not a finite number"), ("leaky-relu(slope=abc)", "not a finite number"),
        ("sine(frequency=3)", "no parameter 'frequency'"), ("tanh(x=1)", "it takes no parameters"),
        ("swishy", "unknown activation 'swishy'"), ("sine(omega=1,omega=2)", "given twice"),
    ])
    func badSpecsAreRefusedWithTheReason(text: String, fragment: String) {
        do {
            let spec = try ActivationSpec(parsing: text)
            Issue.record("expected '\(text)' to be rejected, got \(spec)")
        } catch {
            #expect(error.description.contains(fragment), "message was: \(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func explicitParametersAreTheOnesWritten() throws {
        #expect(try ActivationSpec(parsing: "sine(omega=30)").explicitParameters == ["omega": 30])
        #expect(try ActivationSpec(parsing: "clipped-relu(m=2)").explicitParameters == ["m": 2])
        #expect(ActivationSpec(.sine).explicitParameters.isEmpty)
    }

    @Test func specsEncodeAsTheirString() throws {
        let specs = try ["swish", "sine(omega=30.0)"].map { try ActivationSpec(parsing: $0) }
        let json = try JSONEncoder().encode(specs)
        #expect(String(decoding: json, as: UTF8.self) == #"["swish","sine(omega=30.0)"]"#)
        #expect(try JSONDecoder().decode([ActivationSpec].self, from: json).map(\.description) == ["swish", "sine(omega=30.0)"])
    }
}
