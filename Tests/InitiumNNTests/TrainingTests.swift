import InitiumCore
import Testing
@testable import InitiumNN

/// Gradient of a whole MLP's loss with respect to one weight entry against finite differences.
@Test func mlpLossGradientMatchesFiniteDifferences() throws {
    let mlp = try MLP(widths: [5, 7, 3], activation: .tanh, scope: Scope(key: RandomKey(seed: 3)))
    let x = try Tensor.normal([4, 5], key: RandomKey(seed: 4))
    let labels: [Int32] = [0, 2, 1, 2]
    let loss = try mlp.forward(x, context: ForwardContext(mode: .training)).softmaxCrossEntropy(labels: labels)
    try loss.backward()
    let weight = try #require(mlp.parameter(at: "layers.0.weight"))
    let analytic = try #require(weight.gradient)
    let h: Float = 1e-2
    for i in [0, 7, 20, 34] {
        let original = weight.value[flat: i]
        weight.value[flat: i] = original + h
        let up = try mlp(x).softmaxCrossEntropy(labels: labels).scalar
        weight.value[flat: i] = original - h
        let down = try mlp(x).softmaxCrossEntropy(labels: labels).scalar
        weight.value[flat: i] = original
        #expect(abs((up - down) / (2 * h) - analytic[flat: i]) < 2e-3)
    }
}

/// A small MLP learns well-separated blobs: test accuracy > 0.95 after a few epochs
/// (the clusters are 4σ apart, so the Bayes error is well under 1%).
@Test func mlpLearnsBlobs() throws {
    let (train, test) = try DatasetSpec("blobs(n=600,classes=3,dim=2,spread=0.5)").load(directory: nil, key: RandomKey(seed: 1))
    let mlp = try MLP(widths: [2, 32, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 2)))
    let trainer = Trainer(model: mlp, configuration: TrainingConfiguration(
        epochs: 5, batchSize: 32, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.05, momentum: 0.9),
        key: RandomKey(seed: 3)))
    let result = try trainer.run(train: train, test: test)
    #expect(result.testAccuracy > 0.95)
    #expect(result.epochs.count == 5)
    #expect(result.stepLosses.first! > result.stepLosses.last!)
}

@Test func divergingRunStopsWithAnErrorNamingTheStep() throws {
    let (train, test) = try DatasetSpec("spirals(n=200)").load(directory: nil, key: RandomKey(seed: 1))
    let mlp = try MLP(widths: [2, 64, 64, 2], activation: .relu, scope: Scope(key: RandomKey(seed: 2)))
    for p in mlp.parameters { p.value = p.value * 1e3 }
    let trainer = Trainer(model: mlp, configuration: TrainingConfiguration(
        epochs: 3, batchSize: 20, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 10, momentum: 0.9),
        key: RandomKey(seed: 3)))
    do {
        _ = try trainer.run(train: train, test: test)
        Issue.record("expected divergence")
    } catch let InitiumError.nonFiniteLoss(step, _) {
        #expect(step >= 1)
    }
}

@Test func shufflingIsDeterministicPerKey() throws {
    let (train, _) = try DatasetSpec("blobs(n=100)").load(directory: nil, key: RandomKey(seed: 1))
    let a = train.batchIndices(size: 10, shuffledWith: RandomKey(seed: 5))
    let b = train.batchIndices(size: 10, shuffledWith: RandomKey(seed: 5))
    let c = train.batchIndices(size: 10, shuffledWith: RandomKey(seed: 6))
    #expect(a.map(Array.init) == b.map(Array.init))
    #expect(a.map(Array.init) != c.map(Array.init))
    #expect(a.flatMap { $0 }.sorted() == Array(0..<100))
}

@Test func syntheticDatasetsHaveTheRequestedShape() throws {
    let (train, test) = try DatasetSpec("teacher(n=300,dim=8,classes=3,width=16)").load(directory: nil, key: RandomKey(seed: 1))
    #expect(train.inputs.shape == [300, 8])
    #expect(test.count == 60)
    #expect(Set(train.labels).count >= 2)
    #expect(throws: InitiumError.self) { try DatasetSpec("blobs(n=-3)").load(directory: nil, key: RandomKey(seed: 1)) }
    #expect(throws: InitiumError.self) { try DatasetSpec("imagenet") }
}

@Test func anUpdateHookReplacesTheOptimizersStep() throws {
    let (train, test) = try DatasetSpec("blobs(n=100)").load(directory: nil, key: RandomKey(seed: 1))
    let mlp = try MLP(widths: [2, 8, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 2)))
    let before = mlp.parameters.map(\.value)
    let trainer = Trainer(model: mlp, configuration: TrainingConfiguration(
        epochs: 2, batchSize: 16, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.1), key: RandomKey(seed: 3)))
    var updates = 0, epochsEnded: [Int] = []
    trainer.hooks.update = { optimizer in
        #expect(optimizer.learningRate == 0.1)
        updates += 1
    }
    trainer.hooks.epochEnded = { epochsEnded.append($0) }
    let result = try trainer.run(train: train, test: test)
    // the hook took every update over: the gradients were computed, the weights never moved
    #expect(updates == result.steps && result.steps == trainer.configuration.totalSteps(for: train))
    #expect(zip(mlp.parameters, before).allSatisfy { $0.value == $1 })
    #expect(mlp.parameters.allSatisfy { $0.gradient != nil })
    #expect(epochsEnded == [1, 2])
}
