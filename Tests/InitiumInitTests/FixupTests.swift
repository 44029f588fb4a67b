import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// Fixup on a residual network with L = 4 basic blocks (m = 2): branch outputs and the classifier
/// are exactly zero; branch-interior weights are He fan-out scaled by L^(−1/2), so their variance is
/// 2/(fan_out·L) (certified within 5 s.e.); the stem is plain He fan-out.
@Test func fixupZeroesBranchOutputsAndScalesBranches() throws {
    let net = TestResidualNetwork(inputs: 30, width: 200, blocks: 4, classes: 10, key: RandomKey(seed: 0))
    let log = try Scheme("fixup").apply(to: net, context: InitializationContext(key: RandomKey(seed: 1)))
    for b in 0..<4 {
        #expect(net.parameter(at: "blocks.\(b).second.weight")!.value.scalars.allSatisfy { $0 == 0 })
        #expect(net.parameter(at: "blocks.\(b).second.bias")!.value.scalars.allSatisfy { $0 == 0 })
        let inner = net.parameter(at: "blocks.\(b).first.weight")!.value
        expectMoments(inner.scalars, mean: 0, variance: 2.0 / (200 * 4), "block \(b)")
        #expect(log.entry(for: "blocks.\(b).first.weight")?.values["L"] == 4)
        #expect(log.entry(for: "blocks.\(b).first.weight")?.values["m"] == 2)
    }
    #expect(net.parameter(at: "head.weight")!.value.scalars.allSatisfy { $0 == 0 })
    #expect(net.parameter(at: "head.bias")!.value.scalars.allSatisfy { $0 == 0 })
    expectMoments(net.parameter(at: "stem.weight")!.value.scalars, mean: 0, variance: 2.0 / 200, "stem")
    // Each residual branch adds exactly nothing at initialization, checked on the blocks themselves
    // (the network's output is zero anyway because of the zero head): block(h) = h bit for bit,
    // while the branch's first layer does produce a nonzero signal that the zero output layer stops.
    let h = try Tensor.normal([3, 200], key: RandomKey(seed: 2))
    for (b, module) in net.blocks.children.enumerated() {
        let block = try #require(module.module as? TestResidualBlock)
        #expect(try block(h) == h, "block \(b) changes its input")
        #expect(try block.first(h).scalars.contains { $0 != 0 }, "block \(b)'s branch is dead before its output layer")
    }
}

/// The scaling constant: L^(−1/(2m−2)) (bottleneck m = 3 gives L^(−1/4)); a single tensor with
/// branches=9 has variance 2/(fan_out·3).
@Test func fixupScaleFollowsThePaper() throws {
    #expect(abs(FixupInitializer.scale(branches: 16, layersPerBranch: 3) - 0.5) < 1e-12)
    #expect(abs(FixupInitializer.scale(branches: 9, layersPerBranch: 2) - 1.0 / 3) < 1e-12)
    let w = try Scheme("fixup(branches=9)").sample(WeightLayout([300, 100]), key: RandomKey(seed: 5))
    expectMoments(w.scalars, mean: 0, variance: 2.0 / 300 / 9)
}

@Test func fixupNeedsResidualBranches() throws {
    let mlp = try MLP(widths: [4, 8, 2], activation: .relu, scope: Scope(key: RandomKey(seed: 0)))
    #expect(throws: InitiumError.self) { try Scheme("fixup").apply(to: mlp, context: InitializationContext(key: RandomKey(seed: 0))) }
}
