import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// One SGD-momentum step by hand: b = g, w ← w − η·b; second step b = μb + g.
@Test func sgdMomentumFollowsPyTorchsRule() throws {
    let p = Parameter(try Tensor(shape: [2], scalars: [1, -1]))
    let sgd = SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01)
    p.gradient = try Tensor(shape: [2], scalars: [0.5, 0.5])
    try sgd.step([p])
    // g = 0.5 + 0.01·w
    let g1: [Float] = [0.51, 0.49]
    #expect(zip(p.value.scalars, [1 - 0.1 * g1[0], -1 - 0.1 * g1[1]]).allSatisfy { abs($0 - $1) < 1e-6 })
    let w1 = p.value.scalars
    try sgd.step([p])
    for i in 0..<2 {
        let g2 = 0.5 + 0.01 * w1[i]
        let b2 = 0.9 * g1[i] + g2
        #expect(abs(p.value.scalars[i] - (w1[i] - 0.1 * b2)) < 1e-6)
    }
}

/// Adam's first step moves every coordinate by ≈ η·sign(g) (bias correction makes m̂/√v̂ = ±1).
@Test func adamFirstStepIsSignTimesLearningRate() throws {
    let p = Parameter(try Tensor(shape: [3], scalars: [0, 0, 0]))
    p.gradient = try Tensor(shape: [3], scalars: [3, -0.01, 100])
    try Adam(learningRate: 0.01).step([p])
    let expected: [Float] = [-0.01, 0.01, -0.01]
    #expect(zip(p.value.scalars, expected).allSatisfy { abs($0 - $1) < 1e-5 })
}

@Test func adamWDecaysWeightsDecoupled() throws {
    let p = Parameter(try Tensor(shape: [1], scalars: [2]))
    p.gradient = Tensor.zeros([1])
    try Adam(learningRate: 0.1, weightDecay: 0.5, decoupledWeightDecay: true).step([p])
    #expect(abs(p.value.scalar - 2 * (1 - 0.05)) < 1e-6)
}

@Test func maskedWeightsStayZeroAndGetNoMomentum() throws {
    let p = Parameter(try Tensor(shape: [3], scalars: [1, 2, 3]))
    p.mask = try Tensor(shape: [3], scalars: [1, 0, 1])
    p.applyMask()
    let sgd = SGD(learningRate: 0.1, momentum: 0.9)
    for _ in 0..<3 {
        p.gradient = Tensor.ones([3])
        try sgd.step([p])
    }
    #expect(p.value[flat: 1] == 0)
    #expect(p.value[flat: 0] != 1)
}

@Test func schedulesParseAndDecay() throws {
    let cosine = try LearningRateSchedule("cosine(min=0.01)")
    #expect(cosine.description == "cosine(min=0.01)")
    #expect(abs(cosine.rate(base: 1, step: 0, totalSteps: 100, stepsPerEpoch: 10) - 1) < 1e-6)
    #expect(abs(cosine.rate(base: 1, step: 50, totalSteps: 100, stepsPerEpoch: 10) - 0.505) < 1e-6)
    let step = try LearningRateSchedule("step(epochs=2,gamma=0.5)")
    #expect(step.rate(base: 1, step: 45, totalSteps: 100, stepsPerEpoch: 10) == 0.25)
    #expect(throws: InitiumError.self) { try LearningRateSchedule("linear") }
}

@Test func invalidOptimizerSettingsThrow() {
    #expect(throws: InitiumError.self) { try OptimizerConfiguration(kind: .sgd, learningRate: -1).makeOptimizer() }
    #expect(throws: InitiumError.self) { try OptimizerConfiguration(kind: .sgd, learningRate: 0.1, momentum: 1.5).makeOptimizer() }
}
