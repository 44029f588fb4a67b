import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// IDI_τ (documented reading): W[i, j] = τ exactly when i ≡ j (mod min(out, in)); no dead rows or
/// columns, and rank min(out, in).
@Test(arguments: [[6, 4], [4, 6], [5, 5], [8, 2, 3, 3]])
func idinitTilesIdentityBlocks(shape: [Int]) throws {
    let l = try layout(shape)
    let w = try Scheme("idinit(tau=2)").sample(l, key: RandomKey(seed: 0))
    let (p, q) = l.flattenedMatrix
    let period = min(p, q)
    for i in 0..<p {
        for j in 0..<q { #expect(w[flat: i * q + j] == ((i - j) % period == 0 ? 2 : 0)) }
    }
    for i in 0..<p { #expect((0..<q).contains { w[flat: i * q + $0] != 0 }, "row \(i) dead") }
    for j in 0..<q { #expect((0..<p).contains { w[flat: $0 * q + j] != 0 }, "column \(j) dead") }
}

/// Over a residual model, branch outputs get IDIZ_ε = ε(I − shift): tiny, every entry's row sums
/// to 0 on a square layer, so the block output is ≈ its input.
@Test func idinitZeroPreservingBranchOutputs() throws {
    let net = TestResidualNetwork(inputs: 4, width: 5, blocks: 1, classes: 2, key: RandomKey(seed: 0))
    try Scheme("idinit").apply(to: net, context: InitializationContext(key: RandomKey(seed: 0)))
    let w = net.parameter(at: "blocks.0.second.weight")!.value
    for i in 0..<5 {
        #expect(w[i, i] == 1e-6 && w[i, (i + 1) % 5] == -1e-6)
        #expect((0..<5).reduce(Float(0)) { $0 + w[i, $1] } == 0)
    }
    #expect(net.parameter(at: "blocks.0.first.weight")!.value == (try Scheme("identity").sample(WeightLayout([5, 5]), key: RandomKey(seed: 0))))
}
