import InitiumCore
import InitiumInit
import InitiumNN
import Testing
@testable import InitiumLab

/// A small run: an MLP on three Gaussian blobs, 2 epochs of SGD with momentum and dropout-free.
func butterflyRun(spec: String = "mlp:2-16-16-3") throws -> TrainingRun {
    TrainingRun(
        model: try ModelSpec(spec), activation: .tanh, scheme: try Scheme("glorot-normal"),
        data: DataRecipe(try DatasetSpec("blobs(n=300,classes=3,dim=2,spread=0.5)")),
        training: TrainingConfiguration(
            epochs: 2, batchSize: 30, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.05, momentum: 0.9),
            key: RandomKey(seed: 0)),
        seed: 4)
}

/// ε = 10⁻³⁰ is far below the float32 spacing of any weight near its scale, so θ_b = θ_a bit
/// for bit, and deterministic training keeps them equal: no divergence at all.
@Test func aPerturbationBelowFloatResolutionLeavesTheCopiesIdentical() throws {
    let run = try butterflyRun()
    let (train, test) = try run.loadData()
    let result = try ButterflyExperiment(run: run, epsilon: 1e-30, parameter: "layers.2.weight", index: 5).run(train: train, test: test)
    #expect(result.appliedPerturbation == 0)
    #expect(result.weightDistanceCurve.count == 2 * 10 + 1)
    #expect(result.weightDistanceCurve.allSatisfy { $0 == 0 })
    #expect(result.identical && result.disagreement == 0)
    #expect(result.epochs.map(\.epoch) == [0, 1, 2] && result.epochs.allSatisfy { $0.outputDistance == 0 })
}

/// A visible ε starts the curve at exactly the float32 change and training carries it on: the
/// copies end apart. Copy a is trained exactly as a plain run of the same description.
@Test func aVisiblePerturbationIsTrackedAndCopyAIsAPlainRun() throws {
    let run = try butterflyRun()
    let (train, test) = try run.loadData()
    let result = try ButterflyExperiment(run: run, epsilon: 1e-2, parameter: "layers.0.weight", index: 3).run(train: train, test: test)
    #expect(abs(result.appliedPerturbation - 1e-2) < 1e-8)
    #expect(result.weightDistanceCurve[0] == abs(result.appliedPerturbation))
    #expect(result.weightDistanceCurve.last! > 0 && !result.identical)
    let plain = try run.train(on: train, test: test)
    #expect(abs(result.epochs.last!.testAccuracyA - plain.result.testAccuracy) < 1e-12)
    #expect(result.epochs.last!.testAccuracyA > 0.9)
}

@Test func butterflyIsTheSameForOneAndTwoThreads() throws {
    let run = try butterflyRun()
    let (train, test) = try run.loadData()
    let experiment = ButterflyExperiment(run: run, epsilon: 1e-6)
    let one = try Parallel.withThreadCount(1) { try experiment.run(train: train, test: test) }
    let two = try Parallel.withThreadCount(2) { try experiment.run(train: train, test: test) }
    #expect(one == two)
}

@Test func theDefaultTargetIsASeededWeightEntry() throws {
    let run = try butterflyRun()
    let (train, _) = try run.loadData()
    let (model, _) = try run.makeModel(for: train)
    let first = try ButterflyExperiment(run: run, epsilon: 1e-8).target(in: model)
    #expect(first == (try ButterflyExperiment(run: run, epsilon: 1e-8).target(in: model)))
    #expect(["layers.0.weight", "layers.2.weight", "layers.4.weight"].contains(first.path))
    let draws = Set((0..<8).map { seed -> String in
        var r = run
        r.seed = UInt64(seed)
        let t = try! ButterflyExperiment(run: r, epsilon: 1e-8).target(in: model)
        return "\(t.path)[\(t.index)]"
    })
    #expect(draws.count > 1)
}

@Test func badButterflyInputsAreUserErrors() throws {
    let run = try butterflyRun()
    let (train, test) = try run.loadData()
    #expect(throws: InitiumError.self) { try ButterflyExperiment(run: run, epsilon: 0).run(train: train, test: test) }
    let (model, _) = try run.makeModel(for: train)
    do {
        _ = try ButterflyExperiment(run: run, epsilon: 1e-8, parameter: "fc9.weight").target(in: model)
        Issue.record("an unknown parameter was accepted")
    } catch let error as InitiumError {
        #expect(error.description.contains("layers.0.weight"))
    }
    #expect(throws: InitiumError.self) { try ButterflyExperiment(run: run, epsilon: 1e-8, parameter: "layers.0.weight", index: 32).target(in: model) }
    #expect(throws: InitiumError.self) { try ButterflyExperiment(run: run, epsilon: 1e-8, index: 3).target(in: model) }
}
