import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import Synchronization
import Testing
@testable import InitiumPrune

/// What one network of a lottery-ticket study started training from: every parameter's value
/// and mask, by path.
private struct Start {
    let level: Int
    let run: LotteryRun
    let values: [String: [Float]]
    let masks: [String: [Float]]
}

/// Collects ``LotteryTicketStudy/willTrain`` calls.
private final class StartRecorder: Sendable {
    let starts = Mutex<[Start]>([])

    func record(_ level: Int, _ run: LotteryRun, _ model: any Module) {
        var values: [String: [Float]] = [:], masks: [String: [Float]] = [:]
        for (path, p) in model.namedParameters {
            values[path] = p.value.scalars
            if let mask = p.mask { masks[path] = mask.scalars }
        }
        starts.withLock { $0.append(Start(level: level, run: run, values: values, masks: masks)) }
    }

    func start(_ level: Int, _ run: LotteryRun) throws -> Start {
        try #require(starts.withLock { list in list.first { $0.level == level && $0.run == run } })
    }
}

private let prunablePaths = ["layers.0.weight", "layers.2.weight"]
private let rewindStep = 3
private let seed: UInt64 = 3

/// Runs a 3-level study (rate 0.3, rewinding to step 3, controls on) of a 2-40-30-3 MLP on the
/// blobs and records what every network starts from.
private func recordedStudy() throws -> (StartRecorder, recipe: ModelRecipe, training: TrainingConfiguration, train: Dataset, test: Dataset) {
    let (train, test) = try blobs()
    let recipe = try smallRecipe("mlp:2-40-30-3")
    let training = quickTraining(epochs: 1)
    var study = LotteryTicketStudy(
        plan: LotteryTicketPlan(levels: 3, rate: 0.3, rewindStep: rewindStep), recipe: recipe, training: training, seed: seed)
    let recorder = StartRecorder()
    study.willTrain = { recorder.record($0, $1, $2) }
    _ = try study.run(train: train, test: test)
    return (recorder, recipe, training, train, test)
}

/// θ_k computed independently of the study: a fresh θ₀ from the same recipe and seed, trained
/// densely with the study's data order, read at step k.
private func weightsAtRewindStep(recipe: ModelRecipe, training: TrainingConfiguration, train: Dataset, test: Dataset) throws -> [String: [Float]] {
    let model = try recipe.make(key: RandomKey(seed: seed), for: train, batchSize: training.batchSize)
    let paths = model.namedState.map(\.path)  // the order of `ModelSnapshot.values`
    var snapshot: [String: [Float]] = [:]
    let trainer = Trainer(model: model, configuration: training.dataOrder(ofSeed: seed))
    trainer.hooks.snapshot(atStep: rewindStep) { state in
        for (path, v) in zip(paths, state.values) { snapshot[path] = v.scalars }
    }
    _ = try trainer.run(train: train, test: test)
    return snapshot
}

/// Iterative magnitude pruning's invariants, level by level (Frankle & Carbin 2019; Frankle et al.
/// 2020 for rewinding): masks only shrink; a ticket's survivors start from θ_k, the dense run's
/// weights after k steps (computed here by a separate dense run), and its removed weights from 0;
/// every other parameter (biases, the unpruned classifier) is rewound to θ_k too.
@Test func ticketsShrinkTheirMasksAndRewindTheSurvivors() throws {
    let (recorder, recipe, training, train, test) = try recordedStudy()
    let thetaK = try weightsAtRewindStep(recipe: recipe, training: training, train: train, test: test)
    let dense = try recorder.start(0, .ticket)
    // θ_k is not θ₀: rewinding to step 3 is a real choice here
    #expect(zip(thetaK["layers.0.weight"]!, dense.values["layers.0.weight"]!).filter { $0 != $1 }.count > 70)
    var previous = dense.masks
    for level in 1...3 {
        let ticket = try recorder.start(level, .ticket)
        for path in prunablePaths {
            let mask = try #require(ticket.masks[path]), before = try #require(previous[path])
            #expect(zip(mask, before).allSatisfy { $0 <= $1 }, "level \(level) \(path): a removed weight came back")
            #expect(mask.reduce(0, +) < before.reduce(0, +), "level \(level) \(path): nothing removed")
        }
        for (path, values) in ticket.values {
            let expected = try #require(thetaK[path])
            if let mask = ticket.masks[path] {
                #expect(values == zip(expected, mask).map { $1 == 1 ? $0 : 0 }, "level \(level) \(path)")
            } else {
                #expect(values == expected, "level \(level) \(path) was not rewound")
            }
        }
        previous = ticket.masks
    }
}

/// The controls of every level L ≥ 1 (open_lth's `randomly_reinitialize` and `randomly_prune`):
/// the random-pruning control keeps exactly as many weights as the ticket in every layer, at
/// other positions, starting from θ_k; the reinitialization control has the ticket's mask and
/// fresh values at exactly the surviving positions (the documented draw with
/// `RandomKey(seed:).fold("reinit.L")`), zero elsewhere, none of them equal to θ_k.
@Test func lotteryControlsKeepTheTicketsDensityAndRedrawTheSurvivors() throws {
    let (recorder, recipe, training, train, test) = try recordedStudy()
    let thetaK = try weightsAtRewindStep(recipe: recipe, training: training, train: train, test: test)
    for level in 1...3 {
        let ticket = try recorder.start(level, .ticket)
        let randomPrune = try recorder.start(level, .randomPrune)
        let reinit = try recorder.start(level, .reinit)
        let fresh = try recipe.make(key: RandomKey(seed: seed).fold("reinit.\(level)"), for: train, batchSize: training.batchSize)
        for path in prunablePaths {
            let mask = try #require(ticket.masks[path])
            let shuffled = try #require(randomPrune.masks[path])
            #expect(shuffled.reduce(0, +) == mask.reduce(0, +), "level \(level) \(path): per-layer density differs")
            #expect(shuffled != mask, "level \(level) \(path): the random mask is the ticket's")
            #expect(randomPrune.values[path]! == zip(thetaK[path]!, shuffled).map { $1 == 1 ? $0 : 0 })

            #expect(reinit.masks[path] == mask, "level \(level) \(path): the reinit control has another mask")
            let drawn = try #require(fresh.parameter(at: path)).value.scalars
            let values = try #require(reinit.values[path])
            #expect(values == zip(drawn, mask).map { $1 == 1 ? $0 : 0 })
            let survivors = mask.indices.filter { mask[$0] == 1 }
            #expect(survivors.allSatisfy { values[$0] != thetaK[path]![$0] }, "level \(level) \(path): a survivor kept θ_k")
        }
    }
}
