import InitiumCore
import InitiumInit
import InitiumNN
import Testing
@testable import InitiumLab

/// The same run twice gives bit-identical losses (weights from seed+path, data order from seed).
@Test func trainingRunsAreReproducible() throws {
    let run = TrainingRun(
        model: try ModelSpec("mlp:2-16-16-3"), activation: .tanh, scheme: try Scheme("glorot-normal"),
        data: DataRecipe(try DatasetSpec("blobs(n=300,classes=3,dim=2,spread=0.5)")),
        training: TrainingConfiguration(
            epochs: 2, batchSize: 30, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.05, momentum: 0.9),
            key: RandomKey(seed: 0)),
        seed: 4)
    let a = try run.run()
    let b = try run.run()
    #expect(a.result.stepLosses == b.result.stepLosses)
    #expect(a.result.testAccuracy > 0.9)
}

@Test func mismatchedModelAndDataAreUserErrors() throws {
    let run = TrainingRun(
        model: try ModelSpec("mlp:784-10-10"), activation: .relu, scheme: try Scheme("he-normal"),
        data: DataRecipe(try DatasetSpec("blobs(n=50,dim=2)")),
        training: TrainingConfiguration(epochs: 1, batchSize: 10, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.1), key: RandomKey(seed: 0)),
        seed: 0)
    #expect(throws: InitiumError.self) { try run.run() }
}
