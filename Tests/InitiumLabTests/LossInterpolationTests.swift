import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import Testing
@testable import InitiumLab

/// The α grid, the barrier formula, and the path between networks on a small problem.
@Suite struct LossInterpolationTests {
    static let data = DataRecipe(try! DatasetSpec("blobs(n=300,classes=3,dim=2,spread=0.5)"))
    static let recipe = ModelRecipe(model: try! ModelSpec("mlp:2-16-3"), activation: .tanh, scheme: try! Scheme("glorot-normal"))

    @Test func gridParsesSnapsAndRefusesReversedRanges() throws {
        let grid = try InterpolationGrid(parsing: "-0.5:1.5:41")
        #expect(grid.values.count == 41 && grid.values.first == -0.5 && grid.values.last == 1.5)
        #expect(grid.values.contains(0) && grid.values.contains(1))
        #expect(grid.description == "-0.5:1.5:41")
        #expect(throws: InitiumError.self) { try InterpolationGrid(parsing: "1.5:-0.5:41") }
        #expect(throws: InitiumError.self) { try InterpolationGrid(parsing: "0:1:1") }
        #expect(throws: InitiumError.self) { try InterpolationGrid(parsing: "0:1") }
    }

    @Test func barrierIsTheLargestRiseAboveTheChord() {
        // L(α) = 1 − α + α(1 − α): the chord is 1 − α, the excess α(1 − α) peaks at 1/4 (α = 1/2)
        let curve = (0...20).map { i -> (alpha: Double, loss: Double) in
            let a = -0.5 + 2 * Double(i) / 20
            return (a, 1 - a + a * (1 - a))
        }
        #expect(abs(LossInterpolation.barrier(curve)! - 0.25) < 1e-12)
        #expect(LossInterpolation.barrier([(0.2, 1), (0.8, 2)]) == nil)
    }

    /// Trains the small model and writes its checkpoint; returns the path.
    static func trainedCheckpoint(in directory: URL, seed: UInt64) throws -> String {
        let run = TrainingRun(
            model: recipe.model, activation: recipe.activation, scheme: recipe.scheme, data: data,
            training: TrainingConfiguration(epochs: 3, batchSize: 30, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.1, momentum: 0.9),
                                            key: RandomKey(seed: seed)),
            seed: seed)
        let result = try run.run()
        let path = directory.appendingPathComponent("trained-\(seed).safetensors").path
        try result.checkpoint.write(result.model, to: path)
        return path
    }

    @Test func initToSolutionDescendsAndTheReversedPathRises() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("interp-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let trained = try Self.trainedCheckpoint(in: directory, seed: 3)
        let grid = try InterpolationGrid(parsing: "0:1:11")
        let forward = try LossInterpolation(from: .initialization(Self.recipe, seed: 3, batchSize: 30), to: .checkpoint(trained),
                                            alphas: grid, data: Self.data, seed: 3, examples: 200).run()
        // at α = 0 the network is the one `train --seed 3` started from: near chance (ln 3 ≈ 1.1)
        #expect(forward.rows.first!.trainLoss > 0.6 && forward.rows.last!.trainLoss < 0.3)
        #expect(forward.isMonotone, "\(forward.rows.map(\.trainLoss))")
        let backward = try LossInterpolation(from: .checkpoint(trained), to: .initialization(Self.recipe, seed: 3, batchSize: 30),
                                             alphas: grid, data: Self.data, seed: 3, examples: 200).run()
        #expect(backward.increases >= 5 && !backward.isMonotone)
        #expect(!forward.recomputedStatistics)
    }

    @Test func aNetworkInterpolatedWithItselfHasNoBarrier() throws {
        let source = ModelSource.initialization(Self.recipe, seed: 5, batchSize: 30)
        let result = try LossInterpolation(from: source, to: source, alphas: try InterpolationGrid(parsing: "-0.5:1.5:9"),
                                           data: Self.data, seed: 5, examples: 100).run()
        let losses = result.rows.map(\.trainLoss)
        // (1 − α)θ + αθ = θ up to float rounding of the mix
        #expect(losses.allSatisfy { abs($0 - losses[0]) < 1e-5 })
        #expect(abs(result.trainBarrier!) < 1e-5 && result.increases == 0)
    }

    @Test func differentArchitecturesAreRefused() throws {
        let other = ModelRecipe(model: try ModelSpec("mlp:2-8-3"), activation: .tanh, scheme: try Scheme("glorot-normal"))
        #expect(throws: InitiumError.self) {
            try LossInterpolation(from: .initialization(Self.recipe, seed: 1, batchSize: 30), to: .initialization(other, seed: 1, batchSize: 30),
                                  alphas: try InterpolationGrid(parsing: "0:1:3"), data: Self.data, seed: 1).run()
        }
    }
}
