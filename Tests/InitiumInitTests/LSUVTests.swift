import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// Variance of one layer's output on `batch`, measured independently of the recipe.
private func outputVariances(_ model: any Module, batch: Tensor) throws -> [Double] {
    let context = ForwardContext(mode: .inference)
    var variances: [Double] = []
    context.observer = { module, output in
        if module is any WeightedLayer { variances.append(sampleMoments(output.scalars).variance) }
    }
    _ = try model.forward(batch, context: context)
    return variances
}

/// LSUV converges on a deep tanh MLP: every layer's log says converged with |Var − 1| ≤ tol, and
/// an independent forward pass confirms each layer's output variance (population vs. unbiased
/// variance differ by a factor n/(n−1) ≈ 1 + 2e-4 here, far inside the 0.1 tolerance).
@Test func lsuvConvergesOnADeepTanhMLP() throws {
    let model = try MLP(widths: [32] + Array(repeating: 64, count: 12) + [10], activation: .tanh, scope: Scope(key: RandomKey(seed: 0)))
    let batch = try Tensor.normal([128, 32], key: RandomKey(seed: 1))
    let log = try Scheme("lsuv").apply(to: model, context: InitializationContext(key: RandomKey(seed: 2), batch: batch))
    #expect(log.entries.count == 13)
    for entry in log.entries {
        #expect(entry.values["converged"] == 1, "\(entry.path): \(entry.action)")
        #expect(abs(entry.values["variance"]! - 1) <= 0.1)
        #expect(entry.values["iterations"]! <= 10)
    }
    for variance in try outputVariances(model, batch: batch) {
        #expect(abs(variance - 1) <= 0.101)
    }
    // Biases are zero after the orthonormal pre-init (LSUV rescales only W).
    #expect(model.parameter(at: "layers.0.bias")!.value.scalars.allSatisfy { $0 == 0 })
}

/// A tighter tolerance takes more rescales and still converges.
@Test func lsuvHonoursItsTolerance() throws {
    let model = try MLP(widths: [20, 50, 50, 5], activation: .relu, scope: Scope(key: RandomKey(seed: 0)))
    let batch = try Tensor.uniform([64, 20], low: 0, high: 3, key: RandomKey(seed: 1))
    let log = try Scheme("lsuv(tol=0.001,max-iter=30)").apply(to: model, context: InitializationContext(key: RandomKey(seed: 2), batch: batch))
    #expect(log.entries.allSatisfy { abs($0.values["variance"]! - 1) <= 0.001 })
}

@Test func lsuvNeedsABatch() throws {
    let model = try MLP(widths: [4, 4, 2], activation: .relu, scope: Scope(key: RandomKey(seed: 0)))
    #expect(throws: InitiumError.self) { try Scheme("lsuv").apply(to: model, context: InitializationContext(key: RandomKey(seed: 0))) }
}

/// On a single tensor (white unit-variance inputs) LSUV is exact: the mean squared row norm is 1,
/// and the weight is orthonormal up to that scale (Float32 QR bound 1e-5).
@Test(arguments: [[32, 64], [64, 32], [16, 8, 3, 3]])
func lsuvOnATensorHasUnitRowNorms(shape: [Int]) throws {
    let l = try layout(shape)
    let w = try Scheme("lsuv").sample(l, key: RandomKey(seed: 3))
    let (rows, columns) = l.flattenedMatrix
    let meanSquare = w.scalars.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(rows)
    #expect(abs(meanSquare - 1) < 1e-4)
    let q = w * Float((Double(min(rows, columns)) / Double(rows)).squareRoot())
    #expect(orthogonalityError(q, rows: rows, columns: columns, ofRows: rows <= columns) < 1e-5)
}
