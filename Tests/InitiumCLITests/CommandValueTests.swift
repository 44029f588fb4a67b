import Foundation
import Testing

// Values of the JSON answers that follow from the inputs by hand (issue 19, item 6), where
// StdoutContractTests checks ranges: counts and ratios by arithmetic on the architecture, known
// closed forms, and properties any correct implementation has.

private func number(_ value: Any?) -> Double? { (value as? NSNumber)?.doubleValue }

private func json(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    let result = try CLI.run(arguments + ["--json"])
    #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
    return try #require(result.json, "\(arguments): \(result.stdout)", sourceLocation: sourceLocation)
}

/// Global magnitude pruning of mlp:2-16-16-3 at density 0.5: the prunable weights (the classifier
/// excluded by default) are layers.0 (2·16 = 32) and layers.2 (16·16 = 256), so exactly 144 of 288
/// survive. The model has 48 + 272 + 51 = 371 parameters, so the compression ratio is
/// 371 / (371 − 144) and, per example, the dense multiply-adds 32 + 256 + 48 = 336 shrink to
/// (kept) + 48, the classifier's.
@Test func pruneReportsCountsAndRatiosOfTheArchitecture() throws {
    let answer = try json(["prune", "--model", "mlp:2-16-16-3", "--data", "blobs(n=120,classes=3)", "--method", "magnitude",
                           "--density", "0.5", "--batch", "16"])
    let layers = answer["layers"] as? [[String: Any]] ?? []
    #expect(layers.compactMap { $0["name"] as? String } == ["layers.0.weight", "layers.2.weight"])
    #expect(layers.compactMap { $0["total"] as? Int } == [32, 256])
    let kept = layers.compactMap { $0["remaining"] as? Int }.reduce(0, +)
    #expect(kept == 144)
    for layer in layers {
        let density = try #require(number(layer["density"]))
        #expect(abs(density - Double(layer["remaining"] as? Int ?? -1) / Double(layer["total"] as? Int ?? 1)) < 1e-12)
    }
    #expect(abs(try #require(number(answer["compression_ratio"])) - 371.0 / 227.0) < 1e-9)
    #expect(abs(try #require(number(answer["theoretical_speedup"])) - 336.0 / Double(kept + 48)) < 1e-9)
}

/// CKA compares two networks' representations; a network against itself (the same scheme and
/// seed for both) has CKA exactly 1 for every layer, linear and RBF (a normalization error, such
/// as HSIC(X, Y) divided by the wrong norms, shows here). Float rounding: 1e-6.
@Test func ckaOfANetworkWithItselfIsOne() throws {
    let answer = try json(["cka", "--model", "mlp:2-16x2-3", "--data", "blobs(n=120,classes=3)", "--batch", "64",
                           "--init", "he-normal", "--init-b", "he-normal"])
    let layers = answer["layers"] as? [[String: Any]] ?? []
    #expect(layers.count == 3)
    for layer in layers {
        #expect(number(layer["linear"]).map { abs($0 - 1) < 1e-6 } == true, "\(layer)")
        #expect(number(layer["rbf"]).map { abs($0 - 1) < 1e-6 } == true, "\(layer)")
    }
}

/// tanh without bias: q* = 0 and χ₁ = σ_w²·tanh′(0)² = σ_w², so the edge of chaos is σ_w² = 1
/// exactly (Poole et al. 2016); the root finder's tolerance is far below 1e-6.
@Test func edgeOfChaosOfTanhWithoutBiasIsOne() throws {
    let answer = try json(["theory", "eoc", "--act", "tanh", "--sigma-b2", "0"])
    #expect(number(answer["sigma_w2"]).map { abs($0 - 1) < 1e-6 } == true, "\(answer)")
    #expect(number(answer["q_star"]).map { abs($0) < 1e-6 } == true, "\(answer)")
}

/// Three well-separated blobs (spread 0.3) are linearly separable: three epochs of SGD reach
/// (near) perfect test accuracy, against 1/3 for chance; a broken update or label shuffle fails.
@Test func trainSeparatesSeparableBlobs() throws {
    let answer = try json(["train", "--model", "mlp:2-16-3", "--data", "blobs(n=300,classes=3,spread=0.3)", "--epochs", "3",
                           "--batch", "16"])
    #expect(number(answer["test_accuracy"]).map { $0 >= 0.95 } == true, "\(answer)")
    let epochs = answer["per_epoch"] as? [[String: Any]] ?? []
    #expect(epochs.count == 3)
    // The reported final values are the last epoch's.
    #expect(number(epochs.last?["train_loss"]) == number(answer["train_loss"]))
}

/// bench init reports what it measured: the scheme, the shape and the repeats asked for, and a
/// rate consistent with the time (values / seconds).
@Test func benchInitReportsItsSettings() throws {
    let answer = try json(["bench", "init", "--scheme", "uniform", "--shape", "16,8", "--repeats", "2"])
    #expect(answer["scheme"] as? String == "uniform" && answer["shape"] as? [Int] == [16, 8] && answer["repeats"] as? Int == 2)
    let seconds = try #require(number(answer["seconds"]))
    #expect(number(answer["values_per_second"]).map { abs($0 * seconds / 128 - 1) < 1e-6 } == true)
}
