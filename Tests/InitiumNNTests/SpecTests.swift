import InitiumCore
import Testing
@testable import InitiumNN

@Test(arguments: [
    "relu", "tanh", "leaky-relu(slope=0.2)", "sine(omega=30)", "clipped-relu(tau=1.04,m=1)", "maxout(k=3)",
    "gaussian(s=0.5)", "clipped-soft-threshold(tau=0.5,m=2)",
])
func activationSpecsRoundTrip(text: String) throws {
    let activation = try Activation(text)
    #expect(activation.description == text)
    #expect(try Activation(activation.description) == activation)
}

@Test(arguments: ["swishy", "relu(slope=2)", "sine(omega=)", "leaky-relu(slope=abc)", "tanh(", "softplus(beta=-1)"])
func badActivationSpecsThrow(text: String) {
    #expect(throws: InitiumError.self) { try Activation(text) }
}

@Test func modelSpecsExpandRepeats() throws {
    #expect((try ModelSpec("mlp:784-256x3-10").configuration as? MLP.Configuration)?.widths == [784, 256, 256, 256, 10])
    #expect((try ModelSpec("lenet300").configuration as? MLP.Configuration)?.widths == [784, 300, 100, 10])
    for bad in ["mlp:784", "mlp:784-abc-10", "mlp:784-0-10", "mlp:784-256x-10", "resnet-7", "cnn"] {
        #expect(throws: InitiumError.self) { try ModelSpec(bad) }
    }
}

@Test func mlpParametersHavePaths() throws {
    let mlp = try MLP(widths: [4, 8, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 0)))
    #expect(mlp.namedParameters.map(\.path) == ["layers.0.weight", "layers.0.bias", "layers.2.weight", "layers.2.bias"])
    #expect(mlp.parameter(at: "layers.2.weight")?.shape == [3, 8])
    let classifier = mlp.namedModules.first { $0.module.roles.contains(.classifier) }
    #expect(classifier?.path == "layers.2")
}

/// PyTorch's default Linear init: U(±1/√fan_in); sample variance 1/(3·fan_in) within 5 standard
/// errors (relative s.e. of a uniform's sample variance is √(0.8/n)).
@Test func linearDefaultInitMatchesPyTorch() {
    let layer = Linear(400, 300, scope: Scope(key: RandomKey(seed: 1)))
    let w = layer.weight.value.scalars.map(Double.init)
    let bound = 1 / 400.0.squareRoot()
    #expect(w.allSatisfy { abs($0) <= bound })
    let variance = w.reduce(0) { $0 + $1 * $1 } / Double(w.count)
    #expect(abs(variance / (bound * bound / 3) - 1) < 5 * (0.8 / Double(w.count)).squareRoot())
}
