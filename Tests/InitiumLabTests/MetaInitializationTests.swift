import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import Testing
@testable import InitiumLab

/// Reptile and TinyReptile against their defining identities, and the signal family's split.
@Suite struct MetaInitializationTests {
    /// A 1-D family over 24 samples of [−1, 1]: a shared shape 0.8·sin(3x) plus a member's own
    /// 0.1·sin(5x + p), the phase p varying.
    private func family(_ count: Int) throws -> SignalFamily {
        let signals = try (0..<count).map { k -> Signal in
            let p = 0.4 * Double(k)
            let values = (0..<24).map { i -> Float in
                let x = -1 + 2 * Double(i) / 23
                return Float(0.8 * Foundation.sin(3 * x) + 0.1 * Foundation.sin(5 * x + p))
            }
            return try Signal(grid: [24], channels: 1, values: Tensor(shape: [24, 1], scalars: values))
        }
        return try SignalFamily(name: "sines", source: "test", signals: signals)
    }

    private func network(seed: UInt64 = 5) throws -> any Module {
        try ModelSpec("mlp:1-12-12-1").build(activation: try Activation("tanh"), inputShape: [1], classCount: 1, key: RandomKey(seed: seed))
    }

    @Test("TinyReptile with one SGD step and β₀ = 1 is exactly one SGD step on its task")
    func tinyReptileOneStepIsSGD() throws {
        let tasks = try family(1)
        let meta = try MetaInitialization(
            method: .tinyReptile, outerSteps: 1, innerSteps: 1, innerOptimizer: .sgd, innerLearningRate: 0.05, outerLearningRate: 1, metaBatch: 1)
        let learned = try network(), reference = try network()
        _ = try meta.train(learned, on: tasks, key: RandomKey(seed: 1))
        // One SGD step by hand: θ − lr·∇MSE.
        let output = try reference.forward(tasks.signals[0].coordinates(), context: ForwardContext(mode: .training))
        let loss = try Loss.meanSquaredError(output, target: tasks.signals[0].values)
        reference.zeroGradients()
        try loss.backward()
        for (a, b) in zip(learned.parameters, reference.parameters) {
            let expected = try b.value - (b.gradient ?? Tensor(shape: b.value.shape, repeating: 0)) * 0.05
            for (x, y) in zip(a.value.scalars, expected.scalars) { #expect(abs(x - y) <= 1e-6 + 1e-5 * abs(y)) }
        }
    }

    @Test("Reptile's outer step is Adam on θ − mean φ: its first step moves each weight by lr against that sign")
    func reptileFirstStepIsAdamOnPseudoGradient() throws {
        let tasks = try family(3)
        let meta = try MetaInitialization(
            method: .reptile, outerSteps: 1, innerSteps: 3, innerOptimizer: .sgd, innerLearningRate: 0.05, outerLearningRate: 1e-3, metaBatch: 3)
        let learned = try network()
        let start = learned.parameters.map(\.value)
        // φ_b for every task from θ₀, by the inner loop alone.
        var mean = start.map { Tensor(shape: $0.shape, repeating: 0) }
        for signal in tasks.signals {
            let copy = try network()
            _ = try SignalFit.run(model: copy, signal: signal, steps: 3, learningRate: 0.05, every: 3, optimizer: .sgd)
            for (i, p) in copy.parameters.enumerated() { mean[i] = try mean[i] + p.value * (1 / 3) }
        }
        _ = try meta.train(learned, on: tasks, key: RandomKey(seed: 2))
        // Adam's first step is lr·sign(g) (bias-corrected m/√v = g/|g|), g = θ − mean φ.
        for (i, p) in learned.parameters.enumerated() {
            for ((after, before), target) in zip(zip(p.value.scalars, start[i].scalars), mean[i].scalars) where abs(before - target) > 1e-5 {
                let expected = before + 1e-3 * (target > before ? 1 : -1)
                #expect(abs(after - expected) < 2e-5)
            }
        }
    }

    @Test("Meta-training on a family with a shared shape lifts the 2-step PSNR on members it never saw by over 3 dB")
    func reptileHelpsUnseenMembers() throws {
        let all = try family(24)
        let training = try SignalFamily(name: "sines", source: "train", signals: Array(all.signals[0..<20]))
        let meta = try MetaInitialization(
            method: .reptile, outerSteps: 60, innerSteps: 5, innerOptimizer: .adam, innerLearningRate: 1e-2, outerLearningRate: 1e-2, metaBatch: 2)
        let learned = try network()
        _ = try meta.train(learned, on: training, key: RandomKey(seed: 4))
        var learnedPSNR = 0.0, standardPSNR = 0.0
        for signal in all.signals[20...] {
            let snapshot = learned.parameters.map(\.value)
            learnedPSNR += try SignalFit.run(model: learned, signal: signal, steps: 2, learningRate: 1e-2, every: 2).finalPSNR
            for (p, v) in zip(learned.parameters, snapshot) { p.value = v }
            standardPSNR += try SignalFit.run(model: try network(), signal: signal, steps: 2, learningRate: 1e-2, every: 2).finalPSNR
        }
        #expect(learnedPSNR > standardPSNR + 4 * 3)
    }

    @Test("Images become [−1, 1] signals on their grid; bad ranges and configurations are refused")
    func familyFromImagesAndErrors() throws {
        let pixels: [Float] = [0, 0.5, 1, 0.25, 0.75, 1, 0, 0.5]
        let dataset = try Dataset(inputs: Tensor(shape: [2, 1, 2, 2], scalars: pixels), labels: [0, 1], classCount: 2, name: "tiny")
        let images = try SignalFamily.images(of: dataset, range: 1..<2, name: "tiny", source: "tiny")
        #expect(images.grid == [2, 2] && images.signals.count == 1)
        #expect(images.signals[0].values.scalars == [0.5, 1, -1, 0])
        #expect(throws: InitiumError.self) { try SignalFamily.images(of: dataset, range: 1..<3, name: "tiny", source: "tiny") }
        #expect(throws: InitiumError.self) { try SignalFamily.named("celeba", part: .training, count: 1) }
        #expect(throws: InitiumError.self) {
            try MetaInitialization(method: .tinyReptile, outerSteps: 1, innerSteps: 1, innerLearningRate: 1e-2, outerLearningRate: 2, metaBatch: 1)
        }
        #expect(throws: InitiumError.self) {
            try MetaInitialization(method: .reptile, outerSteps: 0, innerSteps: 1, innerLearningRate: 1e-2, outerLearningRate: 1e-3, metaBatch: 1)
        }
    }
}
