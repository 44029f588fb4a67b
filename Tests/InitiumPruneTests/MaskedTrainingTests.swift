import InitiumCore
import InitiumNN
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
    _ = try Trainer(model: model, configuration: quickTraining(optimizer: optimizer)).run(train: train, test: test)
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
    let configuration = quickTraining(optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.05))
    let whole = try smallRecipe().make(key: RandomKey(seed: 1), for: train, batchSize: 30)
    var atStep7 = ModelSnapshot(of: whole)
    let trainer = Trainer(model: whole, configuration: configuration)
    trainer.hooks.snapshot(atStep: 7) { atStep7 = $0 }
    _ = try trainer.run(train: train, test: test)
    let resumed = try smallRecipe().make(key: RandomKey(seed: 1), for: train, batchSize: 30)
    for (p, v) in zip(resumed.parameters, atStep7.values) { p.value = v }
    _ = try Trainer(model: resumed, configuration: configuration).run(train: train, test: test, from: 7)
    #expect(zip(whole.parameters, resumed.parameters).allSatisfy { $0.value == $1.value })
}

@Test func hooksThatChangeNothingLeaveTheTrainersRunAsItWas() throws {
    // the pruning studies' settings (snapshots, per-step hooks, one final evaluation) must not
    // perturb the data order, the keys or the updates of a plain run
    let (train, test) = try blobs()
    let configuration = quickTraining()
    let a = try smallRecipe().make(key: RandomKey(seed: 1), for: train, batchSize: 30)
    let b = try smallRecipe().make(key: RandomKey(seed: 1), for: train, batchSize: 30)
    var finalOnly = configuration
    finalOnly.evaluatesEveryEpoch = false
    let hooked = Trainer(model: a, configuration: finalOnly)
    var stepsSeen = 0, snapshots = 0
    hooked.hooks.beforeStep = { _ in stepsSeen += 1 }
    hooked.hooks.afterStep = { _, _ in }
    for step in [0, 5, configuration.totalSteps(for: train)] { hooked.hooks.snapshot(atStep: step) { _ in snapshots += 1 } }
    let mine = try hooked.run(train: train, test: test)
    let theirs = try Trainer(model: b, configuration: configuration).run(train: train, test: test)
    #expect(mine.testAccuracy == theirs.testAccuracy)
    #expect(zip(a.parameters, b.parameters).allSatisfy { $0.value == $1.value })
    #expect(stepsSeen == configuration.totalSteps(for: train) && snapshots == 3)
}

@Test func startAndSnapshotStepsOutsideTheRunAreUserErrors() throws {
    let (train, test) = try blobs()
    let configuration = quickTraining()
    let model = try smallRecipe().make(key: RandomKey(seed: 1), for: train, batchSize: 30)
    let total = configuration.totalSteps(for: train)
    #expect(throws: InitiumError.self) { try Trainer(model: model, configuration: configuration).run(train: train, test: test, from: total + 1) }
    #expect(throws: InitiumError.self) { try Trainer(model: model, configuration: configuration).run(train: train, test: test, from: -1) }
    let trainer = Trainer(model: model, configuration: configuration)
    trainer.hooks.snapshot(atStep: 3) { _ in }
    #expect(throws: InitiumError.self) { try trainer.run(train: train, test: test, from: 4) }
    for spec in ["mlp:2-8-3", "mlp:2-8-8-3"] {  // fewer tensors; as many, of other shapes
        let other = try smallRecipe(spec).make(key: RandomKey(seed: 1), for: train, batchSize: 30)
        #expect(throws: InitiumError.self) { try ModelSnapshot(of: other).restore(into: model) }
    }
}
