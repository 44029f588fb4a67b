import InitiumCore
import Testing
@testable import InitiumNN

/// PyTorch's default Conv2d init: W, b ~ U(±1/√fan_in), fan_in = (in/groups)·kh·kw.
@Test func conv2dHasPyTorchLayoutAndDefaultInit() throws {
    let conv = try Conv2d(6, 4, kernelSize: Size2d(3, 2), groups: 2, scope: Scope(key: RandomKey(seed: 1)))
    #expect(conv.weight.shape == [4, 3, 3, 2])
    #expect(conv.bias?.shape == [4])
    #expect(conv.weightKind == .convolution(groups: 2))
    #expect(conv.namedParameters.map(\.path) == ["weight", "bias"])
    let bound = 1 / Float(3 * 3 * 2).squareRoot()
    #expect(conv.weight.value.scalars.allSatisfy { abs($0) <= bound })
    #expect(try conv.outputSize(for: Size2d(5, 5)) == Size2d(3, 4))
    #expect(throws: InitiumError.self) { try Conv2d(6, 4, kernelSize: 3, groups: 4, scope: Scope(key: RandomKey(seed: 1))) }
    #expect(throws: InitiumError.self) { try Conv2d(6, 4, kernelSize: 0, scope: Scope(key: RandomKey(seed: 1))) }
}

@Test func layerGradientsMatchFiniteDifferences() throws {
    let image = layerTestTensor([2, 4, 5, 5], seed: 1)
    try expectModuleGradientsMatchFiniteDifferences(
        Conv2d(4, 6, kernelSize: 3, stride: 2, padding: 1, groups: 2, scope: Scope(key: RandomKey(seed: 2))), input: image)
    try expectModuleGradientsMatchFiniteDifferences(
        Conv2d(4, 4, kernelSize: 3, padding: 2, dilation: 2, groups: 4, bias: false, scope: Scope(key: RandomKey(seed: 3))), input: image)
    try expectModuleGradientsMatchFiniteDifferences(BatchNorm(4), input: image)
    try expectModuleGradientsMatchFiniteDifferences(BatchNorm(4), input: image, mode: .inference)
    try expectModuleGradientsMatchFiniteDifferences(BatchNorm(5), input: layerTestTensor([6, 5], seed: 4))
    try expectModuleGradientsMatchFiniteDifferences(LayerNorm([5, 5]), input: image)
    try expectModuleGradientsMatchFiniteDifferences(GroupNorm(groups: 2, channels: 4), input: image)
    try expectModuleGradientsMatchFiniteDifferences(AvgPool2d(kernelSize: 3, stride: 2, padding: 1), input: image)
    try expectModuleGradientsMatchFiniteDifferences(GlobalAveragePool2d(), input: image)
    try expectModuleGradientsMatchFiniteDifferences(Dropout(probability: 0.3), input: image)
    // A shuffled ramp: taps 0.05 apart, so no step changes which one is the maximum.
    let ramp = try Tensor(shape: [2, 4, 5, 5], scalars: Tensor.permutation(200, key: RandomKey(seed: 6)).map { Float($0) * 0.05 - 5 })
    try expectModuleGradientsMatchFiniteDifferences(MaxPool2d(kernelSize: 2), input: ramp)
}

/// Residual blocks with a smooth activation (tanh has no kinks for a finite difference to
/// straddle), with and without normalization; Fixup's scalars moved off 0 and 1 so their
/// gradients and placement are exercised.
@Test func residualBlockGradientsMatchFiniteDifferences() throws {
    let x = layerTestTensor([2, 4, 6, 6], seed: 1)
    let normalized = try BasicBlock(inChannels: 4, outChannels: 8, stride: 2, normalized: true, activation: .tanh, scope: Scope(key: RandomKey(seed: 2)))
    try expectModuleGradientsMatchFiniteDifferences(normalized, input: x, entries: 4)
    let plain = try BasicBlock(inChannels: 4, outChannels: 4, stride: 1, normalized: false, activation: .tanh, scope: Scope(key: RandomKey(seed: 3)))
    for (i, (_, p)) in plain.localParameters.enumerated() { p.value = Tensor(shape: [1], repeating: 0.8 + 0.1 * Float(i)) }
    try expectModuleGradientsMatchFiniteDifferences(plain, input: x, entries: 4)
}

/// Running statistics follow PyTorch: r ← 0.9·r + 0.1·batch statistic, with the unbiased
/// variance; inference then normalizes with them.
@Test func batchNormUpdatesAndUsesRunningStatistics() throws {
    let norm = try BatchNorm(2)
    let x = try Tensor(shape: [2, 2, 1, 2], scalars: [1, 3, 0, 4, 5, 7, 2, 2])
    _ = try norm.forward(x, context: ForwardContext(mode: .training))
    // channel 0: 1, 3, 5, 7 (mean 4, unbiased var 20/3); channel 1: 0, 4, 2, 2 (mean 2, var 8/3)
    let mean = norm.runningMean.value.scalars, variance = norm.runningVariance.value.scalars
    #expect(abs(mean[0] - 0.4) < 1e-6 && abs(mean[1] - 0.2) < 1e-6)
    #expect(abs(variance[0] - (0.9 + 2.0 / 3)) < 1e-5 && abs(variance[1] - (0.9 + 0.8 / 3)) < 1e-5)
    #expect(norm.batchesTracked == 1)
    #expect(norm.namedBuffers.map(\.path) == ["running_mean", "running_var"])
    #expect(norm.namedParameters.map(\.path) == ["weight", "bias"])
    let y = try norm(x)
    let expected = (x.scalars.enumerated()).map { i, v in
        let c = (i / 2) % 2
        return (v - mean[c]) / (variance[c] + 1e-5).squareRoot()
    }
    #expect(zip(y.scalars, expected).allSatisfy { abs($0 - $1) < 1e-5 })
}

@Test func dropoutScalesSurvivorsAndIsIdentityAtInference() throws {
    let dropout = try Dropout(probability: 0.25)
    let x = Tensor.ones([4000])
    #expect(try dropout(x) == x)
    let y = try dropout.forward(x, context: ForwardContext(mode: .training, key: RandomKey(seed: 1)))
    #expect(y.scalars.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3) < 1e-6 })
    // the kept fraction of n Bernoulli(0.75) draws has standard error √(0.75·0.25/n) ≈ 0.007; allow 5
    let kept = Float(y.scalars.filter { $0 != 0 }.count) / 4000
    #expect(abs(kept - 0.75) < 0.035)
    #expect(throws: InitiumError.self) { try Dropout(probability: 1) }
}

@Test func resnetExposesPathsRolesAndFixupScalars() throws {
    let resnet = try ResNet(depth: 20, scope: Scope(key: RandomKey(seed: 0)))
    let paths = Set(resnet.namedParameters.map(\.path))
    for path in ["stem.conv.weight", "stem.norm.weight", "stages.1.blocks.0.conv1.weight", "stages.1.blocks.0.norm2.bias",
                 "stages.1.blocks.0.shortcut.conv.weight", "stages.2.blocks.2.conv2.weight", "classifier.weight"] {
        #expect(paths.contains(path), "missing \(path)")
    }
    #expect(resnet.blocks.count == 9)
    func modules(_ role: LayerRole) -> [String] {
        resnet.namedModules.filter { $0.module is any WeightedLayer && $0.module.roles.contains(role) }.map(\.path)
    }
    #expect(modules(.residualBranchOutput).count == 9)
    #expect(modules(.residualBranch).count == 9)
    #expect(modules(.shortcut) == ["stages.1.blocks.0.shortcut.conv", "stages.2.blocks.0.shortcut.conv"])
    #expect(modules(.input) == ["stem.conv"])
    #expect(modules(.classifier) == ["classifier"])
    #expect(resnet.namedBuffers.count == 2 * 21)

    let plain = try ResNet(depth: 8, normalized: false, scope: Scope(key: RandomKey(seed: 0)))
    let plainPaths = plain.namedParameters.map(\.path)
    for path in ["stem.bias", "stages.0.blocks.0.bias1a", "stages.0.blocks.0.scale", "stages.2.blocks.0.bias2b", "classifier_input_bias"] {
        #expect(plainPaths.contains(path), "missing \(path)")
    }
    #expect(!plainPaths.contains { $0.contains("norm") })
    #expect(plain.blocks.allSatisfy { $0.fixup?.scale.value.scalars == [1] && $0.fixup?.bias1a.value.scalars == [0] })
    #expect(plain.blocks[0].branchLayers.map { $0.roles } == [[.residualBranch], [.residualBranchOutput]])
}
