import Foundation
import InitiumCore
import InitiumTestSupport
import Testing
@testable import InitiumNN

/// One model of `Fixtures/conv_models.json` (written by `scripts/make_conv_fixtures.py` from
/// PyTorch): the state_dict tensors as hash rules, the input rule and PyTorch's outputs.
private struct ModelFixture: Decodable {
    let tensors: [HashRule]
    let input: HashRule
    let parameterCount: Int
    let eval: [Float]
    let train: [Float]?
    let running: [String: [Float]]?

    enum CodingKeys: String, CodingKey {
        case tensors, input, eval, train, running, parameterCount = "parameter_count"
    }
}

private let fixtures: [String: ModelFixture] = {
    let url = Bundle.module.url(forResource: "conv_models", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode([String: ModelFixture].self, from: Data(contentsOf: url))
}()

private func maxError(_ ours: Tensor, _ expected: [Float]) -> Float {
    zip(ours.scalars, expected).map { abs($0 - $1) }.max() ?? .infinity
}

/// Each model's forward pass equals PyTorch's on the same weights: inference, and for ResNet-20
/// also training mode (batch statistics) and the running statistics it leaves. Different
/// summation orders through up to 20 layers agree to ~1e-5 relative; the bound is 1e-4 of the
/// largest logit.
@Test(arguments: ["lenet5", "conv2", "conv4", "conv6", "vgg11", "resnet20", "resnet20-nonorm"])
func modelMatchesPyTorch(name: String) throws {
    let fixture = try #require(fixtures[name])
    // No key: every tensor is overwritten below, and skipping the draw keeps debug builds fast.
    let model = try ModelSpec(name).build(activation: .relu, inputShape: [1, 28, 28], classCount: 10, key: nil)
    #expect(model.parameterCount == fixture.parameterCount)
    let weightedPaths = model.namedModules.filter { $0.module is any WeightedLayer }.map(\.path)
    var torchModules: [String] = []
    for rule in fixture.tensors {
        let module = String(rule.name!.split(separator: ".")[0])
        if !torchModules.contains(module) { torchModules.append(module) }
    }
    var slots: [String: Parameter] = [:]
    for (path, p) in model.namedParameters { slots[path] = p }
    for (path, b) in model.namedBuffers { slots[path] = b }
    var assigned = Set<String>()
    for rule in fixture.tensors {
        let path = initiumPath(ofTorchName: rule.name!, model: name, weightedPaths: weightedPaths, torchModules: torchModules)
        let slot = try #require(slots[path], "\(rule.name!) maps to \(path), which \(name) does not have")
        #expect(slot.shape == rule.shape, "\(path)")
        slot.value = rule.tensor
        assigned.insert(path)
    }
    #expect(assigned == Set(slots.keys), "unassigned: \(Set(slots.keys).subtracting(assigned).sorted())")
    let x = fixture.input.tensor
    let scale = max(1, fixture.eval.map(abs).max()!)
    let inference = try model.forward(x, context: ForwardContext(mode: .inference))
    #expect(maxError(inference, fixture.eval) < 1e-4 * scale)
    if let train = fixture.train, let running = fixture.running {
        let training = try model.forward(x, context: ForwardContext(mode: .training))
        #expect(maxError(training, train) < 1e-4 * max(1, train.map(abs).max()!))
        for (torchName, values) in running {
            let path = initiumPath(ofTorchName: torchName, model: name, weightedPaths: weightedPaths, torchModules: torchModules)
            #expect(maxError(try #require(slots[path]).value, values) < 1e-4, "\(path)")
        }
    }
}

@Test func modelSpecsNameTheConvolutionalModels() throws {
    #expect(try ModelSpec("lenet5").configuration as? ConvNet.Preset == .lenet5)
    #expect(try ModelSpec("conv6").configuration as? ConvNet.Preset == .lotteryTicket(depth: 6))
    #expect(try ModelSpec("vgg11").configuration as? ConvNet.Preset == .vgg11)
    #expect(try ModelSpec("resnet56-nonorm").configuration as? ResNet.Configuration == ResNet.Configuration(depth: 56, normalized: false))
    #expect(try ModelSpec("ResNet110").configuration as? ResNet.Configuration == ResNet.Configuration(depth: 110, normalized: true))
    for bad in ["resnet21", "resnet2", "resnet20-norm", "conv3", "vgg16", "resnet"] {
        #expect(throws: InitiumError.self) { try ModelSpec(bad) }
    }
    #expect(throws: InitiumError.self) {
        try ModelSpec("lenet5").build(activation: .relu, inputShape: [784], classCount: 10, key: RandomKey(seed: 0))
    }
    #expect(throws: InitiumError.self) {
        try ModelSpec("resnet20").build(activation: try Activation("maxout"), inputShape: [1, 28, 28], classCount: 10, key: RandomKey(seed: 0))
    }
}

/// Shape errors name the layer by its path and show the shapes involved.
@Test func shapeErrorsNameTheLayerPath() throws {
    func message(_ body: () throws -> Any) -> String {
        do { _ = try body() } catch { return "\(error)" }
        return "no error"
    }
    let lenet = try ConvNet.lenet5(scope: Scope(key: RandomKey(seed: 0)))
    let wrongChannels = message { try lenet(Tensor.zeros([2, 3, 28, 28])) }
    #expect(wrongChannels.hasPrefix("layer conv1:") && wrongChannels.contains("[2, 3, 28, 28]") && wrongChannels.contains("[6, 1, 5, 5]"))
    let tooSmall = message { try lenet(Tensor.zeros([1, 1, 8, 8])) }
    #expect(tooSmall.hasPrefix("layer conv2:") && tooSmall.contains("kernel 5×5") && tooSmall.contains("padded input 4×4"))
    let atBuild = message { try ConvNet.lenet5(inputShape: [1, 8, 8], scope: Scope(key: RandomKey(seed: 0))) }
    #expect(atBuild.hasPrefix("layer conv2:") && atBuild.contains("kernel 5×5"))
    let poolTooLarge = message { try ConvNet.lotteryTicket(depth: 4, inputShape: [1, 3, 3], scope: Scope(key: RandomKey(seed: 0))) }
    #expect(poolTooLarge.hasPrefix("layer pool2:") && poolTooLarge.contains("kernel 2×2"))

    let resnet = try ResNet(depth: 8, scope: Scope(key: RandomKey(seed: 0)))
    let stem = message { try resnet(Tensor.zeros([1, 3, 12, 12])) }
    #expect(stem.hasPrefix("layer stem.conv:") && stem.contains("[1, 3, 12, 12]"))
    let deep = message {
        try resnet.forward(child: resnet.stages, Tensor.zeros([1, 8, 12, 12]), context: ForwardContext(mode: .inference))
    }
    #expect(deep.hasPrefix("layer stages.0.blocks.0.conv1:") && deep.contains("expected 16 input channels"))
    let mlp = try MLP(widths: [4, 3, 2], activation: .relu, scope: Scope(key: RandomKey(seed: 0)))
    #expect(message { try mlp(Tensor.zeros([2, 5])) }.hasPrefix("layer layers.0:"))
}
