import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// A new Linear starts from exactly what the `torch-default` scheme draws for its layout with the
/// same key (weight from `key.fold("weight")`, bias from `key.fold("bias")`), bit for bit: the
/// layers and the scheme share one rule (``WeightLayout/torchDefaultParameters(biasCount:key:)``).
/// Fan-ins 300 and 84 are ones where a Float-computed 1/√fan_in and the Double-computed
/// √(3·(1/3)/fan_in) round differently, so a second copy of the formula would show here.
@Test(arguments: [(784, 300), (300, 100), (84, 10), (7, 3)])
func linearStartsFromTheTorchDefaultScheme(inFeatures: Int, outFeatures: Int) throws {
    let key = RandomKey(seed: 5)
    let constructed = Linear(inFeatures, outFeatures, scope: Scope(key: key))
    let schemed = Linear(inFeatures, outFeatures, scope: Scope(key: nil))
    _ = try Scheme("torch-default").apply(to: schemed, context: InitializationContext(key: key))
    #expect(schemed.weight.value.scalars.contains { $0 != 0 }, "the scheme drew a weight")
    #expect(constructed.weight.value == schemed.weight.value)
    #expect(constructed.bias?.value == schemed.bias?.value)
}

/// The same for convolutions, grouped and depthwise ones included (fan_in = (in/groups)·kh·kw).
@Test(arguments: [(1, 6, 5, 1), (6, 16, 5, 1), (4, 8, 3, 2), (8, 8, 3, 8)])
func conv2dStartsFromTheTorchDefaultScheme(inChannels: Int, outChannels: Int, kernel: Int, groups: Int) throws {
    let key = RandomKey(seed: 6)
    let size = Size2d(kernel, kernel)
    let constructed = try Conv2d(inChannels, outChannels, kernelSize: size, groups: groups, scope: Scope(key: key))
    let schemed = try Conv2d(inChannels, outChannels, kernelSize: size, groups: groups, scope: Scope(key: nil))
    _ = try Scheme("torch-default").apply(to: schemed, context: InitializationContext(key: key))
    #expect(schemed.weight.value.scalars.contains { $0 != 0 }, "the scheme drew a weight")
    #expect(constructed.weight.value == schemed.weight.value)
    #expect(constructed.bias?.value == schemed.bias?.value)
}

/// PyTorch's default weight is the variance-scaling row scale = 1/3, fan-in, uniform, exactly
/// (the same draws to the bit; 0.3333333333333333 parses to the Double nearest 1/3), and its bound
/// differs from the bias's 1/√fan_in (computed in Float, as PyTorch writes it) by at most one unit
/// in the last place.
@Test func torchDefaultWeightIsAVarianceScalingRow() throws {
    let row = try Scheme("variance-scaling(scale=0.3333333333333333,mode=fan-in,distribution=uniform)")
    let key = RandomKey(seed: 7)
    for fanIn in 1...1500 {
        let layout = try WeightLayout([2, fanIn])
        let torchDefault = try Tensor.random(layout.shape, layout.torchDefaultWeightDistribution, key: key)
        #expect(try row.sample(layout, key: key) == torchDefault, "fan_in \(fanIn)")
        guard case let .uniform(_, weightBound) = layout.torchDefaultWeightDistribution,
              case let .uniform(_, biasBound) = layout.torchDefaultBiasDistribution else {
            Issue.record("torch-default distributions are uniform")
            return
        }
        #expect(abs(weightBound - biasBound) <= biasBound.ulp, "fan_in \(fanIn)")
    }
}
