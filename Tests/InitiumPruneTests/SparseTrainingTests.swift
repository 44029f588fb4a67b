import Testing
@testable import InitiumPrune

@Test(arguments: [
    OptimizerConfiguration(kind: .adam, learningRate: 0.01, weightDecay: 0.01),
    OptimizerConfiguration(kind: .sgd, learningRate: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.001),
    OptimizerConfiguration(kind: .adamw, learningRate: 0.01, weightDecay: 0.1),
])
func maskedWeightsStayExactlyZeroThroughTraining(optimizer: OptimizerConfiguration) throws {
    let (train, test) = try blobs()
    let model = try smallRecipe().make(key: RandomKey(seed: 1), for: train, batchSize: 30)
    let weights = try PrunableSelection.allWeights.weights(of: model)
    let mask = try PruningPlan(method: .random, density: 0.3, selection: .allWeights)
        .prune(model, data: ScoringData(exampleShape: [2], key: RandomKey(seed: 2)))
    let before = weights.map(\.parameter.value)
    _ = try SparseTraining(configuration: quickTraining(optimizer: optimizer)).run(model, train: train, test: test)
    for (w, (m, old)) in zip(weights, zip(mask.masks, before)) {
        let (value, keep, start) = (w.parameter.value.scalars, m.scalars, old.scalars)
        // weight decay and momentum would move a masked entry if the optimizer did not reset it
        #expect(zip(value, keep).allSatisfy { $1 == 1 || $0 == 0 })
        #expect(zip(zip(value, start), keep).contains { $1 == 1 && $0.0 != $0.1 })
    }
}

@Test func resumingFromASnapshotContinuesTheSameRun() throws {
    // plain SGD has no optimizer state, so stopping at step k and restarting there is the same run
    let (train, test) = try blobs()
    let training = SparseTraining(configuration: quickTraining(optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.05)))
    let whole = try smallRecipe().make(key: RandomKey(seed: 1), for: train, batchSize: 30)
    var atStep7: [Tensor] = []
    _ = try training.run(whole, train: train, test: test, snapshotStep: 7, snapshot: { atStep7 = $0 })
    let resumed = try smallRecipe().make(key: RandomKey(seed: 1), for: train, batchSize: 30)
    for (p, v) in zip(resumed.parameters, atStep7) { p.value = v }
    _ = try training.run(resumed, train: train, test: test, startStep: 7)
    #expect(zip(whole.parameters, resumed.parameters).allSatisfy { $0.value == $1.value })
}

@Test func sparseTrainingFromStepZeroIsTheTrainersRun() throws {
    let (train, test) = try blobs()
    let configuration = quickTraining()
    let a = try smallRecipe().make(key: RandomKey(seed: 1), for: train, batchSize: 30)
    let b = try smallRecipe().make(key: RandomKey(seed: 1), for: train, batchSize: 30)
    let mine = try SparseTraining(configuration: configuration).run(a, train: train, test: test)
    let theirs = try Trainer(model: b, configuration: configuration).run(train: train, test: test)
    #expect(mine.testAccuracy == theirs.testAccuracy)
    #expect(zip(a.parameters, b.parameters).allSatisfy { $0.value == $1.value })
}
