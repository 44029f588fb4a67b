import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// Every registered family's usage appears in the `--model` help and in the catalog, and a
/// spec no family recognizes lists them all.
@Test func registryListsEveryFamily() throws {
    for family in ModelFamily.registered {
        #expect(ModelFamily.optionHelp.contains(family.usage))
        #expect(ModelFamily.catalog.contains("`\(family.syntax)`"))
    }
    let error = #expect(throws: InitiumError.self) { try ModelSpec("transformer") }
    for family in ModelFamily.registered { #expect("\(error!)".contains(family.usage)) }
}

/// `linear:in=…,out=…` parses (keys in any order, any case), builds logistic regression with
/// PyTorch's default init and roles input + classifier, and refuses bad specs and mismatched data.
@Test func linearFamilyParsesAndBuilds() throws {
    let spec = try ModelSpec("linear:out=3,in=4")
    #expect(spec.family.name == "linear")
    #expect(spec.configuration as? LinearClassifier.Configuration == LinearClassifier.Configuration(inFeatures: 4, classCount: 3))
    #expect(try ModelSpec("Linear:in=784,out=10").description == "Linear:in=784,out=10")
    let model = try spec.build(activation: .relu, inputShape: [2, 2], classCount: 3, key: RandomKey(seed: 1))
    #expect(model.namedParameters.map(\.path) == ["fc.weight", "fc.bias"])
    let bound = 1 / Float(4).squareRoot()
    let weight = try Tensor.random([3, 4], .uniform(low: -bound, high: bound), key: RandomKey(seed: 1).fold("fc").fold("weight"))
    #expect(model.parameter(at: "fc.weight")!.value == weight)
    #expect((model as? LinearClassifier)?.fc.roles == [.input, .classifier])
    for bad in ["linear:in=784", "linear:in=784,out=10,depth=2", "linear:in=0,out=10", "linear:in=784,in=2,out=10", "linear:in=a,out=10", "linear:"] {
        #expect(throws: InitiumError.self, "\(bad)") { try ModelSpec(bad) }
    }
    #expect(throws: InitiumError.self) { try spec.build(activation: .relu, inputShape: [5], classCount: 3, key: nil) }
    #expect(throws: InitiumError.self) { try spec.build(activation: .relu, inputShape: [4], classCount: 2, key: nil) }
}

/// Logistic regression learns separable blobs: the full-batch loss falls by more than half in 30
/// SGD steps (the clusters are 4σ apart, so a linear boundary separates them).
@Test func linearFamilyTrains() throws {
    let (train, _) = try DatasetSpec("blobs(n=300,classes=3,dim=2,spread=0.5)").load(directory: nil, key: RandomKey(seed: 1))
    let model = try ModelSpec("linear:in=2,out=3").build(activation: .relu, inputShape: [2], classCount: 3, key: RandomKey(seed: 2))
    let optimizer = SGD(learningRate: 0.5)
    var losses: [Float] = []
    for _ in 0..<30 {
        model.zeroGradients()
        let loss = try model.forward(train.inputs, context: ForwardContext(mode: .training)).softmaxCrossEntropy(labels: train.labels)
        losses.append(loss.scalar)
        try loss.backward()
        try optimizer.step(model.parameters)
    }
    #expect(losses.last! < 0.5 * losses.first!)
}

/// The README's model list is the registry's catalog, line for line.
@Test func readmeListsTheRegisteredFamilies() throws {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    for line in ModelFamily.catalog.split(separator: "\n") {
        #expect(text.contains("  " + line), "README.md lacks: \(line)")
    }
}
