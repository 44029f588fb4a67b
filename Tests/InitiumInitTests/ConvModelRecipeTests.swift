import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// A CIFAR-style ResNet-8 (three stages of one basic block) on 3×8×8 inputs, small enough for a
/// debug-build unit test; `resnet20` only adds blocks of the same kinds.
private func resnet8(_ suffix: String = "") throws -> any Module {
    try ModelSpec("resnet8" + suffix).build(activation: .relu, inputShape: [3, 8, 8], classCount: 10, key: RandomKey(seed: 0))
}

/// LSUV converges on a convolutional ResNet with batch normalization: every conv and the
/// classifier reach |Var(output) − 1| ≤ 0.1 (the log says so, layer by layer).
@Test func lsuvConvergesOnAResNet() throws {
    let model = try resnet8()
    let batch = try Tensor.normal([16, 3, 8, 8], key: RandomKey(seed: 1))
    let log = try Scheme("lsuv").apply(to: model, context: InitializationContext(key: RandomKey(seed: 2), batch: batch))
    let weighted = model.namedModules.filter { $0.module is any WeightedLayer }.count
    #expect(log.entries.count == weighted && weighted >= 9)
    for entry in log.entries {
        #expect(entry.values["converged"] == 1 && abs(entry.values["variance"]! - 1) <= 0.1, "\(entry.path): \(entry.action)")
    }
}

/// Fixup on the normalization-free ResNet: L = 3 branches of m = 2 convolutions; each branch's
/// second conv and the classifier are zero, each first conv is He fan-out / √3 (certified within
/// 5 s.e.), and Fixup's scalars are 0 (biases) and 1 (multipliers). At initialization every
/// block is then the identity on its shortcut path.
@Test func fixupOnAResNetWithoutNormalization() throws {
    let model = try resnet8("-nonorm")
    let log = try Scheme("fixup").apply(to: model, context: InitializationContext(key: RandomKey(seed: 1)))
    var firsts = 0, seconds = 0
    for (path, module) in model.namedModules {
        guard let layer = module as? any WeightedLayer else { continue }
        if layer.roles.contains(.residualBranchOutput) || layer.roles.contains(.classifier) {
            #expect(layer.weight.value.scalars.allSatisfy { $0 == 0 }, "\(path)")
            seconds += 1
        } else if layer.roles.contains(.residualBranch) {
            let fanOut = Double(layer.weight.shape[0] * layer.weight.shape[2] * layer.weight.shape[3])
            expectMoments(layer.weight.value.scalars, mean: 0, variance: 2 / fanOut / 3, path)
            #expect(log.entry(for: path + ".weight")?.values["L"] == 3)
            firsts += 1
        }
    }
    #expect(firsts == 3 && seconds == 4)
    let scalars = log.entries.filter { $0.action.hasPrefix("fixup: scalar") || $0.action.hasPrefix("fixup: multiplier") }
    #expect(scalars.count >= 15)
}

/// ZerO's ResNet variant: residual-branch convs and the classifier zero; the stem is Algorithm 2
/// (Hadamard at the centre tap for 3 → 16 channels), shortcut projections Algorithm 1 too.
@Test func zeroOnAResNet() throws {
    let model = try resnet8()
    try Scheme("zero").apply(to: model, context: InitializationContext(key: RandomKey(seed: 1)))
    for (path, module) in model.namedModules {
        guard let layer = module as? any WeightedLayer else { continue }
        let w = layer.weight.value
        if !layer.roles.isDisjoint(with: [.residualBranch, .residualBranchOutput, .classifier]) {
            #expect(w.scalars.allSatisfy { $0 == 0 }, "\(path)")
        } else {
            let expected = try Scheme("zero").sample(try WeightLayout(w.shape, kind: layer.weightKind), key: RandomKey(seed: 0))
            #expect(w == expected, "\(path)")
            #expect(w.scalars.contains { $0 != 0 }, "\(path)")
        }
    }
}

/// Convolution-only schemes apply to whole CNNs: kernels get their rule, the classifier the
/// matrix counterpart (orthogonal for delta-orthogonal and conv-aware, identity for dirac).
@Test(arguments: ["delta-orthogonal", "dirac", "conv-aware"])
func convolutionSchemesApplyToWholeNetworks(text: String) throws {
    let model = try resnet8()
    let log = try Scheme(text).apply(to: model, context: InitializationContext(key: RandomKey(seed: 3)))
    #expect(log.entries.contains { $0.path.hasSuffix("classifier.weight") })
    for parameter in model.parameters { #expect(parameter.value.scalars.allSatisfy { $0.isFinite }) }
}
