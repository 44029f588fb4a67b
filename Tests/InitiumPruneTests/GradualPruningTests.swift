import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumPrune

/// Zhu & Gupta's cubic schedule as GraNet's `pruning` computes it: with i₀ = 0, i_f = 10 updates,
/// d(i) = d_f + (d_i − d_f)(1 − i/10)³, only at multiples of ΔT inside the window.
@Test func cubicScheduleMatchesZhuAndGupta() {
    let schedule = GradualPruning(initialDensity: 1, finalDensity: 0.1, startStep: 0, endStep: 1000, frequency: 100)
    #expect(abs(schedule.density(afterStep: 500)! - (0.1 + 0.9 * 0.125)) < 1e-12)
    #expect(abs(schedule.density(afterStep: 100)! - (0.1 + 0.9 * 0.729)) < 1e-12)
    #expect(schedule.density(afterStep: 1000) == 0.1)
    #expect(schedule.density(afterStep: 150) == nil)
    #expect(schedule.density(afterStep: 1100) == nil)
    #expect(schedule.updates(afterStep: 1100))
    let late = GradualPruning(initialDensity: 0.5, finalDensity: 0.05, startStep: 300, endStep: 700, frequency: 100)
    #expect(late.density(afterStep: 200) == nil)
    #expect(late.density(afterStep: 300) == 0.5)
    #expect(abs(late.density(afterStep: 500)! - (0.05 + 0.45 * 0.125)) < 1e-12)
}

/// PyTorch's CosineAnnealingLR from 0.5 to 0.005 over T steps.
@Test func deathRateDecaysLikeCosineAnnealing() {
    let schedule = GradualPruning(finalDensity: 0.1, startStep: 0, endStep: 100)
    #expect(abs(schedule.regenerationRate(afterStep: 0, totalSteps: 1000) - 0.5) < 1e-12)
    #expect(abs(schedule.regenerationRate(afterStep: 500, totalSteps: 1000) - 0.2525) < 1e-12)
    #expect(abs(schedule.regenerationRate(afterStep: 1000, totalSteps: 1000) - 0.005) < 1e-12)
    #expect(GradualPruning(finalDensity: 0.1, startStep: 0, endStep: 100, regenerationRate: 0).regenerationRate(afterStep: 3, totalSteps: 10) == 0)
}

/// ⌈0.5·4⌉ = 2 of the 4 active weights die (the smallest |w|: entries 2 and 0) and the 2 inactive
/// entries with the largest |g| (5 and 7) grow; the count is unchanged.
@Test func regenerationSwapsTheSmallestWeightsForTheLargestGradients() throws {
    let mask = try PruningMask(paths: ["w"], masks: [try Tensor(shape: [2, 4], scalars: [1, 1, 1, 1, 0, 0, 0, 0])])
    let values = try Tensor(shape: [2, 4], scalars: [0.1, 0.5, -0.05, 0.9, 0, 0, 0, 0])
    let gradients = try Tensor(shape: [2, 4], scalars: [0, 0, 0, 0, 0.3, -2, 0.1, 1])
    let next = try GradualPruning.regenerated(mask, values: [values], gradients: [gradients], rate: 0.5)
    #expect(next.masks[0].scalars == [0, 1, 0, 1, 0, 1, 0, 1])
    // a dense tensor has nowhere to regrow: unchanged
    let dense = PruningMask.dense([])
    #expect(try GradualPruning.regenerated(dense, values: [], gradients: [], rate: 0.5) == dense)
}

@Test func granetEndsAtTheFinalDensityWithRegrowthAlongTheWay() throws {
    let (train, test) = try blobs()
    let schedule = GradualPruning(finalDensity: 0.2, startStep: 0, endStep: 12, frequency: 2)
    let experiment = GradualPruningExperiment(schedule: schedule, recipe: try smallRecipe(), training: quickTraining(epochs: 2), seed: 3)
    let (result, log) = try experiment.run(train: train, test: test)
    let total = 64 + 32 * 32
    #expect(abs(Double(result.mask.remainingCounts.reduce(0, +)) - 0.2 * Double(total)) <= 0.5)
    #expect(result.atInitialization.density == 1)
    #expect(log.entries.map(\.step) == Array(stride(from: 2, through: 20, by: 2)))
    #expect(log.entries.contains { $0.regrown > 0 })
    // densities fall monotonically to d_f and stay there
    #expect(zip(log.entries, log.entries.dropFirst()).allSatisfy { $0.density >= $1.density })
    #expect(log.entries.last!.density == result.mask.density)
    #expect(result.testAccuracy > 0.8)
}

/// A mask update is the last thing a step does, so after a one-step run the regrown weights are
/// still exactly zero and the removed ones are zero too.
@Test func regrownWeightsStartAtZero() throws {
    let (train, test) = try blobs()
    let model = try smallRecipe().make(key: RandomKey(seed: 3), for: train, batchSize: 30)
    let weights = try PrunableSelection.excludingClassifier.weights(of: model)
    let start = try PruningMask.keepingTop(weights.map { $0.parameter.value.mapped { abs($0) } }, paths: weights.map(\.path), density: 0.5, scope: .global)
    try start.apply(to: weights)
    var configuration = quickTraining(epochs: 1)
    configuration.steps = 1
    let trainer = Trainer(model: model, configuration: configuration)
    let schedule = GradualPruning(initialDensity: 0.5, finalDensity: 0.5, startStep: 0, endStep: 1, frequency: 1)
    let log = schedule.install(on: trainer, weights: weights, totalSteps: 1)
    _ = try trainer.run(train: train, test: test)
    let after = PruningMask.installed(on: weights)
    #expect(log.entries.count == 1 && log.entries[0].regrown > 0)
    for (weight, (old, new)) in zip(weights, zip(start.masks, after.masks)) {
        for (i, (o, n)) in zip(old.scalars, new.scalars).enumerated() where n == 0 || o == 0 {
            #expect(weight.parameter.value.scalars[i] == 0)
        }
    }
}

@Test func badGradualSchedulesAreUserErrors() {
    #expect(throws: InitiumError.self) { try GradualPruning(finalDensity: 0, startStep: 0, endStep: 10).validate(totalSteps: 100) }
    #expect(throws: InitiumError.self) { try GradualPruning(initialDensity: 0.1, finalDensity: 0.5, startStep: 0, endStep: 100, frequency: 10).validate(totalSteps: 100) }
    #expect(throws: InitiumError.self) { try GradualPruning(finalDensity: 0.1, startStep: 50, endStep: 10).validate(totalSteps: 100) }
    #expect(throws: InitiumError.self) { try GradualPruning(finalDensity: 0.1, startStep: 0, endStep: 200).validate(totalSteps: 100) }
    #expect(throws: InitiumError.self) { try GradualPruning(finalDensity: 0.1, startStep: 0, endStep: 50, frequency: 100).validate(totalSteps: 100) }
}
