import InitiumCore
import Testing
@testable import InitiumNN

/// PyTorch's default init drawn from an explicit key chain: U(−1/√fan_in, 1/√fan_in).
private func torchDefault(_ shape: [Int], fanIn: Int, key: RandomKey) throws -> Tensor {
    let bound = 1 / Float(fanIn).squareRoot()
    return try Tensor.random(shape, .uniform(low: -bound, high: bound), key: key)
}

/// A scope folds the path from the nearest module that folds: a ResNet block's key is the model's
/// key folded with `stages.s.blocks.b` at once (its stage and the sequences fold nothing), and its
/// layers fold their own names, exactly the keys models used before scopes (bit-identical weights).
@Test func scopesFoldTheSameKeysAsExplicitPaths() throws {
    let key = RandomKey(seed: 5)
    let resnet = try ResNet(depth: 8, scope: Scope(key: key))
    let conv1 = try torchDefault([32, 16, 3, 3], fanIn: 16 * 9, key: key.fold("stages.1.blocks.0").fold("conv1").fold("weight"))
    #expect(resnet.parameter(at: "stages.1.blocks.0.conv1.weight")!.value == conv1)
    let projection = try torchDefault([32, 16, 1, 1], fanIn: 16, key: key.fold("stages.1.blocks.0").fold("shortcut").fold("conv").fold("weight"))
    #expect(resnet.parameter(at: "stages.1.blocks.0.shortcut.conv.weight")!.value == projection)
    let stem = try torchDefault([16, 1, 3, 3], fanIn: 9, key: key.fold("stem").fold("conv").fold("weight"))
    #expect(resnet.parameter(at: "stem.conv.weight")!.value == stem)
    #expect(resnet.parameter(at: "classifier.bias")!.value == (try torchDefault([10], fanIn: 64, key: key.fold("classifier").fold("bias"))))

    let mlp = try MLP(widths: [6, 5, 4], activation: .relu, scope: Scope(key: key))
    #expect(mlp.parameter(at: "layers.2.weight")!.value == (try torchDefault([4, 5], fanIn: 5, key: key.fold("layers.2").fold("weight"))))
    let lenet = try ConvNet.lenet5(scope: Scope(key: key))
    #expect(lenet.parameter(at: "fc2.weight")!.value == (try torchDefault([84, 120], fanIn: 120, key: key.fold("fc2").fold("weight"))))

    #expect(Scope(key: key).group("stages").group("0").group("blocks").child("1").path == "stages.0.blocks.1")
    #expect(Scope(key: nil).child("conv1").key == nil)
}

/// The shared child-forward path reports each reporting module once, after its children, in
/// forward order: leaves (convolutions, norms, pools, the classifier) and blocks that compute
/// their own output (stem, residual blocks), never plain containers, reshapes or the root.
@Test func childForwardReportsEachLayerOnceInForwardOrder() throws {
    let resnet = try ResNet(depth: 8, scope: Scope(key: RandomKey(seed: 0)))
    let paths = Dictionary(uniqueKeysWithValues: resnet.namedModules.map { (ObjectIdentifier($0.module), $0.path) })
    var seen: [String] = []
    let context = ForwardContext(mode: .inference)
    context.observer = { module, _ in seen.append(paths[ObjectIdentifier(module)]!) }
    _ = try resnet.forward(Tensor.zeros([1, 1, 8, 8]), context: context)
    let block = { (p: String, shortcut: Bool) in
        ["\(p).conv1", "\(p).norm1", "\(p).conv2", "\(p).norm2"] + (shortcut ? ["\(p).shortcut.conv", "\(p).shortcut.norm"] : []) + [p]
    }
    let expected = ["stem.conv", "stem.norm", "stem"] + block("stages.0.blocks.0", false) + block("stages.1.blocks.0", true)
        + block("stages.2.blocks.0", true) + ["pool", "classifier"]
    #expect(seen == expected)

    let lenet = try ConvNet.lenet5(scope: Scope(key: RandomKey(seed: 0)))
    let lenetPaths = Dictionary(uniqueKeysWithValues: lenet.namedModules.map { (ObjectIdentifier($0.module), $0.path) })
    var lenetSeen: [String] = []
    context.observer = { module, _ in lenetSeen.append(lenetPaths[ObjectIdentifier(module)]!) }
    _ = try lenet.forward(Tensor.zeros([1, 1, 28, 28]), context: context)
    #expect(lenetSeen == ["conv1", "act1", "pool1", "conv2", "act2", "pool2", "fc1", "act3", "fc2", "act4", "fc3"])
}

/// Kinds are declared by the layer types, so probes and pruning read them instead of types.
@Test func layersDeclareTheirKinds() throws {
    let lenet = try ConvNet.lenet5(scope: Scope(key: nil))
    let kinds = Dictionary(uniqueKeysWithValues: lenet.namedModules.map { ($0.path, $0.module.kind) })
    #expect(kinds["conv1"] == .weighted && kinds["fc3"] == .weighted)
    #expect(kinds["act1"] == .activation(.relu))
    #expect(kinds["pool1"] == .pooling(.max) && kinds["flatten"] == .reshape && kinds[""] == .container)
    let norm = try BatchNorm(3)
    #expect(GlobalAveragePool2d().kind == .pooling(.average) && norm.kind == .normalization)
    #expect(!LayerKind.container.reportsOutput && !LayerKind.reshape.reportsOutput && LayerKind.block.reportsOutput)
}

/// An error while a child is built names it, as errors in its forward pass do.
@Test func constructionErrorsNameTheChild() throws {
    var list = ChildList(Scope(key: nil))
    #expect(throws: InitiumError.layer(path: "conv9", problem: "Conv2d(3→4, groups 2): channels must be positive and divisible by groups")) {
        try list.add("conv9") { try Conv2d(3, 4, kernelSize: 3, groups: 2, scope: $0) }
    }
}
