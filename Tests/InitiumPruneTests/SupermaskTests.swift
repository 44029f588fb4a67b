import InitiumCore
import InitiumNN
import Testing
@testable import InitiumPrune

@Test(arguments: [SupermaskMethod.edgePopup, .signed])
func supermasksLearnWithoutChangingTheWeights(method: SupermaskMethod) throws {
    let (train, test) = try blobs()
    let run = SupermaskTraining(
        method: method, density: 0.5, recipe: try smallRecipe("mlp:2-64-64-3"),
        training: quickTraining(epochs: 3, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.1, momentum: 0.9)), seed: 7)
    let model = try run.recipe.make(key: RandomKey(seed: 7), for: train, batchSize: 30)
    let (masked, scores) = try run.prepare(model, key: RandomKey(seed: 7))
    let frozen = masked.map(\.frozen)
    let biases = model.parameters.filter { p in !masked.contains { $0.weight.parameter === p } }.map(\.value)
    let outcome = try run.run(train: train, test: test)
    // chance is 1/3; a mask over fixed random weights separates the blobs
    #expect(outcome.testAccuracy > 0.8)
    #expect(abs(outcome.density - 0.5) < 0.01)
    // the same construction again: the weights the run used are w₀, and training touched only scores
    let (again, _) = try run.prepare(try run.recipe.make(key: RandomKey(seed: 7), for: train, batchSize: 30), key: RandomKey(seed: 7))
    #expect(zip(frozen, again.map(\.frozen)).allSatisfy { $0 == $1 })
    #expect(scores.count == masked.count && biases.count == 3)
}

@Test func signedConstantWeightsHaveOneMagnitudePerLayer() throws {
    let (train, _) = try blobs()
    let run = SupermaskTraining(method: .edgePopup, density: 0.25, recipe: try smallRecipe("mlp:2-64-64-3"), training: quickTraining(), seed: 7)
    let model = try run.recipe.make(key: RandomKey(seed: 7), for: train, batchSize: 30)
    let drawn = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.path, $0.parameter.value.scalars) })
    let (masked, _) = try run.prepare(model, key: RandomKey(seed: 7))
    #expect(masked.count == 3)
    for layer in masked {
        let magnitudes = Set(layer.frozen.scalars.map(abs))
        #expect(magnitudes.count == 1)
        let magnitude = Double(magnitudes.first!)
        // exactly the drawn weights' standard deviation (about their mean, as edge-popup's
        // torch.std up to n/(n−1)) over √density, computed here in Double; 1e-6 covers Float32
        // rounding of the result
        let w = try #require(drawn[layer.weight.path]).map(Double.init)
        let mean = w.reduce(0, +) / Double(w.count)
        let std = (w.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(w.count)).squareRoot()
        #expect(abs(magnitude / (std / 0.5) - 1) < 1e-6)
        // and near he-normal's σ = √(2/fan_in) / √density: a sample standard deviation of n normal
        // draws has relative standard error 1/√(2n) (6.3 %, 1.1 %, 5.1 % for the three layers);
        // 4 standard errors
        let fanIn = Double(layer.frozen.shape[1])
        let standardError = 1 / (2 * Double(w.count)).squareRoot()
        #expect(abs(magnitude / ((2 / fanIn).squareRoot() / 0.5) - 1) < 4 * standardError)
    }
}

@Test func signedMasksTakeMinusOneZeroAndOneAtTheDensity() throws {
    let scores = try Tensor.normal([1000], key: RandomKey(seed: 3))
    let mask = try SignedSupermask().effectiveMask(scores: scores, density: 0.2)
    #expect(mask.scalars.allSatisfy { $0 == -1 || $0 == 0 || $0 == 1 })
    #expect(abs(Double(mask.scalars.filter { $0 != 0 }.count) - 200) <= 1)
    // +1 only for positive scores, −1 only for negative ones, and the largest magnitudes kept
    #expect(zip(mask.scalars, scores.scalars).allSatisfy { m, s in m == 0 || (m > 0) == (s > 0) })
    let edge = try EdgePopup().effectiveMask(scores: scores, density: 0.2)
    #expect(edge.scalars.filter { $0 == 1 }.count == 200)
}
