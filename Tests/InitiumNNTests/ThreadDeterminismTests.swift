import InitiumCore
import Testing
@testable import InitiumNN

// Determinism across thread counts (issue 19, item 5): the same model, batch and keys give
// bit-identical losses, gradients and weights at 1 and at 2 threads. Both runs are Initium's, so
// the reference is the single-threaded run itself: what is tested is that splitting work over
// threads never changes a value (`Parallel.forEachChunk`'s contract, the convolution's fixed
// weight-gradient partial sums, BLAS's partition of the output). Equality is on bit patterns,
// with no tolerance: a reduction whose order follows the thread count differs in the last bits.
//
// Each run sets its thread count with `Parallel.withThreadCount`, which applies to this task's
// work only (and holds BLAS's process-wide count meanwhile), so tests running concurrently keep
// their own count; `Parallel.widestSplit` and `Parallel.blasThreadCount` show that the
// two-thread run really was split in two.

/// A tensor's values as bit patterns.
private func bits(_ t: Tensor) -> [UInt32] { t.scalars.map(\.bitPattern) }

/// Where two runs' values differ, for a readable failure: how many differ, the first index
/// and the largest difference in units in the last place; `nil` when bit-identical.
private func difference(_ a: [UInt32], _ b: [UInt32]?) -> String? {
    guard let b else { return "missing in the second run" }
    guard a != b else { return nil }
    guard a.count == b.count else { return "\(a.count) values against \(b.count)" }
    let differing = a.indices.filter { a[$0] != b[$0] }
    let ulps = differing.map { i -> Int64 in
        let (x, y) = (Float(bitPattern: a[i]), Float(bitPattern: b[i]))
        return abs(Int64(x.bitPattern.ordered) - Int64(y.bitPattern.ordered))
    }
    return "\(differing.count) of \(a.count) values differ (first at \(differing[0]): "
        + "\(Float(bitPattern: a[differing[0]])) against \(Float(bitPattern: b[differing[0]])); up to \(ulps.max()!) ulps)"
}

private extension UInt32 {
    /// The bit pattern mapped to an integer that is monotone in the float's value.
    var ordered: Int64 { self & 0x8000_0000 == 0 ? Int64(self) : -Int64(self & 0x7FFF_FFFF) }
}

/// Expects two maps of bit patterns to agree key by key, naming each key that differs.
private func expectIdentical(_ a: [String: [UInt32]], _ b: [String: [UInt32]], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(Set(a.keys) == Set(b.keys), sourceLocation: sourceLocation)
    for path in a.keys.sorted() {
        if let d = difference(a[path]!, b[path]) {
            Issue.record("\(what) \(path): \(d)", sourceLocation: sourceLocation)
        }
    }
}

/// What one run produced, bit for bit.
private struct RunBits: Equatable {
    /// The loss of every step.
    var losses: [UInt32] = []
    /// The gradients of the first step, by parameter path.
    var gradients: [String: [UInt32]] = [:]
    /// Parameters and buffers (batch-norm running statistics) at the end, by path.
    var state: [String: [UInt32]] = [:]
    /// Final test loss and accuracy (for `Trainer.run`).
    var evaluation: [UInt64] = []
}

/// How a run used threads: the widest split of Initium's own loops and BLAS's thread count.
private struct ThreadUse {
    var widestSplit: Int
    var blasThreads: Int
}

private func state(of model: any Module) -> [String: [UInt32]] {
    Dictionary(uniqueKeysWithValues: model.namedState.map { ($0.path, bits($0.tensor.value)) })
}

/// Two SGD steps (momentum and weight decay, so the second step reads the first's buffers) on a
/// fixed batch, at `threads` threads: forward in training mode, cross-entropy, backward, update.
private func twoSteps(model spec: String, inputShape: [Int], batch: Int, threads: Int) throws -> (RunBits, ThreadUse) {
    try Parallel.withThreadCount(threads) {
        let model = try ModelSpec(spec).build(activation: .relu, inputShape: inputShape, classCount: 10, key: RandomKey(seed: 11))
        let x = try Tensor.normal([batch] + inputShape, key: RandomKey(seed: 12))
        let labels = (0..<batch).map { Int32($0 * 7 % 10) }
        let optimizer = try OptimizerConfiguration(kind: .sgd, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4).makeOptimizer()
        var run = RunBits()
        for step in 0..<2 {
            model.zeroGradients()
            let context = ForwardContext(mode: .training, key: RandomKey(seed: 13).fold("step.\(step)"))
            let loss = try model.forward(x, context: context).softmaxCrossEntropy(labels: labels)
            try loss.backward()
            run.losses.append(loss.scalar.bitPattern)
            if step == 0 {
                for (path, parameter) in model.namedParameters {
                    run.gradients[path] = parameter.gradient.map(bits) ?? []
                }
            }
            try optimizer.step(model.parameters)
        }
        run.state = state(of: model)
        return (run, ThreadUse(widestSplit: Parallel.widestSplit ?? 0, blasThreads: Parallel.blasThreadCount))
    }
}

/// The batch sizes make the largest activations ≥ 2 × 2¹⁵ values, so elementwise kernels split
/// at two threads (`Parallel.forEachChunk`'s default minimum per thread), and lenet5's fc1
/// (32 × 400 × 120 multiply-adds) is above OpenBLAS's threshold for threading a GEMM.
@Test(arguments: [
    ("lenet5", [1, 28, 28], 32),
    ("resnet8", [3, 16, 16], 16),
])
func oneAndTwoThreadsGiveBitIdenticalSteps(model: String, inputShape: [Int], batch: Int) throws {
    let (single, singleUse) = try twoSteps(model: model, inputShape: inputShape, batch: batch, threads: 1)
    let (double, doubleUse) = try twoSteps(model: model, inputShape: inputShape, batch: batch, threads: 2)
    #expect(singleUse.widestSplit == 1 && singleUse.blasThreads == 1)
    #expect(doubleUse.widestSplit == 2 && doubleUse.blasThreads == 2)
    #expect(!single.state.isEmpty && single.gradients.values.allSatisfy { !$0.isEmpty })
    #expect(difference(single.losses, double.losses) == nil, "losses")
    expectIdentical(single.gradients, double.gradients, "first step's gradient of")
    expectIdentical(single.state, double.state, "after two steps:")
}

/// A short `Trainer.run` (shuffled batches, momentum, a cosine schedule, evaluation after each
/// epoch) at 1 and 2 threads: every step's loss, the test loss and accuracy and the final weights
/// and running statistics are bit-identical.
/// The third case is issue 11's recipe: AdamW with decay groups, warm-up, clipping by global norm
/// (its norm summed in Double in a fixed order) and a run of 6 steps.
@Test(arguments: [("lenet5", [1, 28, 28], false), ("resnet8", [3, 16, 16], false), ("lenet5", [1, 28, 28], true)])
func trainerRunIsBitIdenticalAtOneAndTwoThreads(model: String, inputShape: [Int], adamWithClipping: Bool) throws {
    func run(threads: Int) throws -> (RunBits, ThreadUse) {
        try Parallel.withThreadCount(threads) {
            let train = try Dataset(
                inputs: try Tensor.normal([64] + inputShape, key: RandomKey(seed: 21)),
                labels: (0..<64).map { Int32($0 * 3 % 10) }, classCount: 10, name: "noise")
            let test = try Dataset(
                inputs: try Tensor.normal([16] + inputShape, key: RandomKey(seed: 22)),
                labels: (0..<16).map { Int32($0 % 10) }, classCount: 10, name: "noise-test")
            let network = try ModelSpec(model).build(activation: .relu, inputShape: inputShape, classCount: 10, key: RandomKey(seed: 23))
            let optimizer = adamWithClipping
                ? OptimizerConfiguration(kind: .adamw, learningRate: 0.003, weightDecay: 0.1, clipNorm: 0.5)
                : OptimizerConfiguration(kind: .sgd, learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4)
            let trainer = Trainer(model: network, configuration: TrainingConfiguration(
                epochs: 2, batchSize: 16, optimizer: optimizer, schedule: .cosine(minimum: 0), key: RandomKey(seed: 24),
                steps: adamWithClipping ? 6 : nil, warmupSteps: adamWithClipping ? 3 : 0))
            let result = try trainer.run(train: train, test: test)
            var bitsOfRun = RunBits(losses: result.stepLosses.map(\.bitPattern), state: state(of: network))
            bitsOfRun.evaluation = [result.testLoss.bitPattern, result.testAccuracy.bitPattern]
            return (bitsOfRun, ThreadUse(widestSplit: Parallel.widestSplit ?? 0, blasThreads: Parallel.blasThreadCount))
        }
    }
    let (single, singleUse) = try run(threads: 1)
    let (double, doubleUse) = try run(threads: 2)
    #expect(singleUse.widestSplit == 1 && singleUse.blasThreads == 1)
    #expect(doubleUse.widestSplit == 2 && doubleUse.blasThreads == 2)
    #expect(single.losses.count == (adamWithClipping ? 6 : 8))
    #expect(difference(single.losses, double.losses) == nil, "step losses")
    #expect(single.evaluation == double.evaluation)
    expectIdentical(single.state, double.state, "after the run:")
}
