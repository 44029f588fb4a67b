import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// Hidden rule U(±√(6/fan_in)/ω): every value inside the bound, variance bound²/3 (uniform,
/// kurtosis 1.8, 5 s.e.).
@Test(arguments: [[256, 256], [128, 64]])
func sirenHiddenLayerIsUniform(shape: [Int]) throws {
    let w = try Scheme("siren").sample(WeightLayout(shape), key: RandomKey(seed: 1))
    let bound = (6 / Double(shape[1])).squareRoot() / 30
    #expect(w.scalars.allSatisfy { abs(Double($0)) <= bound })
    expectMoments(w.scalars, mean: 0, variance: bound * bound / 3, kurtosis: 1.8)
}

/// Over a model, the `.input` layer gets U(±1/fan_in); biases keep PyTorch's U(±1/√fan_in).
@Test func sirenModelRecipeUsesTheFirstLayerRule() throws {
    let mlp = try MLP(widths: [2, 256, 256, 1], activation: try Activation("sine(omega=30)"), scope: Scope(key: RandomKey(seed: 0)))
    let log = try Scheme("siren").apply(to: mlp, context: InitializationContext(key: RandomKey(seed: 3)))
    #expect(log.entry(for: "layers.0.weight")?.action == "siren first layer")
    let first = mlp.parameter(at: "layers.0.weight")!.value
    #expect(first.scalars.allSatisfy { abs($0) <= 0.5 })
    expectMoments(first.scalars, mean: 0, variance: 0.25 / 3, kurtosis: 1.8)
    let hidden = mlp.parameter(at: "layers.2.weight")!.value
    #expect(hidden.scalars.allSatisfy { abs(Double($0)) <= (6.0 / 256).squareRoot() / 30 })
    let bias = mlp.parameter(at: "layers.2.bias")!.value
    #expect(bias.scalars.allSatisfy { abs($0) <= 1 / 16 } && bias.scalars.contains { $0 != 0 })
}

/// Without `omega`, SIREN's hidden bound divides by the network's own ω (`sine(omega=10)`), and
/// an explicit `omega` wins over it.
@Test func sirenReadsOmegaFromTheNetworksSine() throws {
    let layout = try WeightLayout([64, 64])
    let context = InitializationContext(key: RandomKey(seed: 1), activation: try Activation("sine(omega=10)"))
    let own = try Scheme("siren").sample(layout, key: RandomKey(seed: 2), context: context)
    expectMoments(own.scalars, mean: 0, variance: (6.0 / 64) / 100 / 3, kurtosis: 1.8, "omega 10")
    let given = try Scheme("siren(omega=30)").sample(layout, key: RandomKey(seed: 2), context: context)
    expectMoments(given.scalars, mean: 0, variance: (6.0 / 64) / 900 / 3, kurtosis: 1.8, "omega 30")
}

/// The fourier-features baseline: Glorot truncated normal weights (variance 2/(fan_in + fan_out),
/// kurtosis ≈ 2.2 bounds the truncated normal's) and N(0, 0.01²) biases.
@Test func fourierFeaturesBaselineMoments() throws {
    let model = try ModelSpec("inr:in=2,out=1,layers=3,width=256,act=relu,encoding=fourier(sigma=10,features=128)")
        .build(activation: .relu, inputShape: [2], classCount: 1, key: RandomKey(seed: 1))
    try Scheme("fourier-features").apply(to: model, context: InitializationContext(key: RandomKey(seed: 2)))
    expectMoments(model.parameter(at: "layers.0.weight")!.value.scalars, mean: 0, variance: 2.0 / 512, kurtosis: 2.2, "first")
    expectMoments(model.parameter(at: "layers.2.weight")!.value.scalars, mean: 0, variance: 2.0 / 512, kurtosis: 2.2, "hidden")
    let biases = model.parameter(at: "layers.0.bias")!.value.scalars + model.parameter(at: "layers.2.bias")!.value.scalars
    expectMoments(biases, mean: 0, variance: 1e-4, "biases")
}
