import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// Init[A]: A ~ he-uniform (variance 2/in, uniform kurtosis 1.8), B = 0, the base weight untouched,
/// so the adapted layer starts exactly at the pretrained one.
@Test func loraDrawsAAndZeroesB() throws {
    let layer = TestLoRALinear(inputs: 500, outputs: 40, rank: 32)
    let log = try Scheme("lora").apply(to: layer, context: InitializationContext(key: RandomKey(seed: 1)))
    #expect(log.entries.map(\.path) == ["lora_A", "lora_B"])
    expectMoments(layer.loraA.value.scalars, mean: 0, variance: 2.0 / 500, kurtosis: 1.8)
    #expect(layer.loraB.value.scalars.allSatisfy { $0 == 0 })
    #expect(layer.weight.value.scalars.allSatisfy { $0 == 1 })
    // Init[B] by parameters.
    try Scheme("lora(a=zeros,b=normal(std=0.1))").apply(to: layer, context: InitializationContext(key: RandomKey(seed: 1)))
    #expect(layer.loraA.value.scalars.allSatisfy { $0 == 0 })
    expectMoments(layer.loraB.value.scalars, mean: 0, variance: 0.01)
}

@Test func loraNeedsAdapterFactors() throws {
    let mlp = try MLP(widths: [4, 4, 2], activation: .relu, scope: Scope(key: RandomKey(seed: 0)))
    #expect(throws: InitiumError.self) { try Scheme("lora").apply(to: mlp, context: InitializationContext(key: RandomKey(seed: 0))) }
}
