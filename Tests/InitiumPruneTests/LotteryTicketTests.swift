import Foundation
import InitiumCore
import Testing
@testable import InitiumPrune

@Test(arguments: [MaskScope.layerwise, .global])
func iterativeMagnitudePruningFollowsTheDensitySchedule(scope: MaskScope) throws {
    let (train, test) = try blobs()
    let rate = 0.3
    let study = LotteryTicketStudy(
        plan: LotteryTicketPlan(levels: 4, rate: rate, scope: scope, runsControls: false),
        recipe: try smallRecipe("mlp:2-40-30-3"), training: quickTraining(epochs: 1), seed: 3)
    let levels = try study.run(train: train, test: test)
    #expect(levels.map(\.level) == [0, 1, 2, 3, 4])
    for level in levels {
        let target = pow(1 - rate, Double(level.level))
        if scope == .layerwise {
            // every layer keeps round(N·(1 − r)^L) weights: within half a weight of the target
            for layer in level.layers { #expect(abs(Double(layer.remaining) - Double(layer.total) * target) <= 0.5) }
        } else {
            let kept = level.layers.reduce(0) { $0 + $1.remaining }, total = level.layers.reduce(0) { $0 + $1.total }
            #expect(abs(Double(kept) - Double(total) * target) <= 0.5)
        }
        // the classifier is not prunable by default (open_lth's LeNet)
        #expect(!level.layers.contains { $0.name == "layers.4.weight" })
    }
}

@Test func impPrunesTheClassifierOnItsOwnAtItsRate() throws {
    let (train, test) = try blobs()
    let study = LotteryTicketStudy(
        plan: LotteryTicketPlan(levels: 2, rate: 0.5, classifierRate: 0.1, runsControls: false),
        recipe: try smallRecipe("mlp:2-40-30-3"), training: quickTraining(epochs: 1), seed: 3)
    let last = try study.run(train: train, test: test).last!
    let head = try #require(last.layers.first { $0.name == "layers.4.weight" })
    #expect(head.remaining == Int((90 * 0.81).rounded()))
    let body = last.layers.filter { $0.name != "layers.4.weight" }
    #expect(body.reduce(0) { $0 + $1.remaining } == Int((Double(80 + 1200) * 0.25).rounded()))
}

@Test func ticketsAreRewoundAndControlsAreReported() throws {
    let (train, test) = try blobs()
    let study = LotteryTicketStudy(
        plan: LotteryTicketPlan(levels: 1, rate: 0.5, rewindStep: 3), recipe: try smallRecipe(), training: quickTraining(epochs: 1), seed: 3)
    let levels = try study.run(train: train, test: test)
    #expect(levels[0].reinitAccuracy == nil && levels[0].randomPruneAccuracy == nil)
    #expect(levels[1].reinitAccuracy != nil && levels[1].randomPruneAccuracy != nil)
    // blobs are easy: every network learns them
    #expect(levels.allSatisfy { $0.testAccuracy > 0.8 })
}

@Test func badLotteryPlansAreUserErrors() throws {
    #expect(throws: InitiumError.self) { try LotteryTicketPlan(levels: 2, rate: 1).validate() }
    #expect(throws: InitiumError.self) { try LotteryTicketPlan(levels: -1).validate() }
    #expect(throws: InitiumError.self) { try LotteryTicketPlan(levels: 2, classifierRate: 0).validate() }
}
