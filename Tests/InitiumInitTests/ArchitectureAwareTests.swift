import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// N(0, 2/(fan_in·d_in)) on a tensor; over a residual model the layers ending at a merge node
/// (branch outputs) get d_in = 2 and the rest d_in = 1.
@Test func archAwareDividesByInDegree() throws {
    let w = try Scheme("arch-aware(in-degree=3)").sample(WeightLayout([300, 200]), key: RandomKey(seed: 1))
    expectMoments(w.scalars, mean: 0, variance: 2.0 / (200 * 3))
    let net = TestResidualNetwork(inputs: 10, width: 300, blocks: 2, classes: 4, key: RandomKey(seed: 0))
    let log = try Scheme("arch-aware").apply(to: net, context: InitializationContext(key: RandomKey(seed: 2)))
    #expect(log.entry(for: "blocks.0.second.weight")?.values["in_degree"] == 2)
    #expect(log.entry(for: "blocks.0.first.weight")?.values["in_degree"] == 1)
    #expect(log.entry(for: "stem.weight")?.values["in_degree"] == 1)
    expectMoments(net.parameter(at: "blocks.1.second.weight")!.value.scalars, mean: 0, variance: 2.0 / (300 * 2))
    expectMoments(net.parameter(at: "blocks.1.first.weight")!.value.scalars, mean: 0, variance: 2.0 / 300)
}
