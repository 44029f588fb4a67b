import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import Testing
@testable import InitiumPrune

@Test func unitsOfAnMLPAreItsLayersWithTheirActivations() throws {
    let model = try MLP(widths: [2, 32, 32, 32, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 1)))
    let units = try LayerLotteryStudy.units(of: model, name: "mlp", exampleShape: [2])
    #expect(units.map(\.name) == ["layers.0", "layers.2", "layers.4", "layers.6"])
    #expect(units.map(\.modules) == [["layers.0", "layers.1"], ["layers.2", "layers.3"], ["layers.4", "layers.5"], ["layers.6"]])
    // the first layer changes the width and the last is the classifier
    #expect(units.map(\.removable) == [false, true, true, false])
    #expect(units[1].inputShape == [32] && units[1].outputShape == [32] && units[1].parameterCount == 32 * 32 + 32)
}

@Test func unitsOfConv4KeepPoolingAndMarkTheSameShapeLayers() throws {
    let model = try ModelSpec("conv4").build(activation: .relu, inputShape: [1, 28, 28], classCount: 10, key: RandomKey(seed: 1))
    let units = try LayerLotteryStudy.units(of: model, name: "conv4", exampleShape: [1, 28, 28])
    let removable = units.filter(\.removable).map(\.name)
    #expect(removable.count == 3)
    #expect(units.filter { $0.removable }.allSatisfy { $0.inputShape == $0.outputShape })
}

/// Removing a 32→32 layer followed by ReLU is the same as setting its weight to the identity and
/// its bias to zero in the full network, since it then sees (and returns) nonnegative inputs.
@Test func removingALayerIsReplacingItByTheIdentity() throws {
    let (train, _) = try blobs()
    let recipe = try smallRecipe("mlp:2-32-32-32-3")
    let study = LayerLotteryStudy(recipe: recipe, training: quickTraining(), seed: 4)
    let full = try recipe.make(key: RandomKey(seed: 4), for: train, batchSize: 30)
    let units = try LayerLotteryStudy.units(of: full, name: "mlp", exampleShape: [2])
    let skipping = try study.network(removing: ["layers.2"], units: units, train: train)
    #expect(!skipping.namedParameters.contains { $0.path.hasPrefix("layers.2.") })
    #expect(skipping.namedParameters.contains { $0.path == "layers.4.weight" })
    var identity = Tensor.zeros([32, 32])
    identity.withUnsafeMutableBufferPointer { for i in 0..<32 { $0[i * 33] = 1 } }
    full.parameter(at: "layers.2.weight")!.value = identity
    full.parameter(at: "layers.2.bias")!.value = Tensor.zeros([32])
    let x = train.batch(ArraySlice(0..<20)).inputs
    let expected = try full(x).scalars, got = try skipping(x).scalars
    for (e, g) in zip(expected, got) { #expect(abs(e - g) <= 1e-6 * max(1, abs(e))) }
}

@Test func layerStudyRemovesTheLowestScoredLayersFirst() throws {
    let (train, test) = try blobs()
    let study = LayerLotteryStudy(
        criterion: .snip, recipe: try smallRecipe("mlp:2-32-32-32-3"), training: quickTraining(epochs: 1), seed: 4)
    let result = try study.run(train: train, test: test)
    #expect(result.levels.map(\.removed) == [0, 1, 2])
    #expect(result.levels.map(\.layersKept) == [4, 3, 2])
    #expect(result.levels.map(\.parameters) == [2307, 2307 - 1056, 2307 - 2 * 1056])
    let scored = result.units.filter(\.removable).sorted { $0.score! < $1.score! }.map(\.name)
    #expect(result.levels[2].removedLayers == scored)
    #expect(result.levels[1].removedLayers == [scored[0]])
    #expect(result.levels[0].randomRemovalAccuracy == nil && result.levels[1].randomRemovalAccuracy != nil)
    #expect(result.levels.allSatisfy { $0.testAccuracy > 0.8 })
}
