import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// Virgo's lists computed in NumPy from the code's formulas (scripts/make_graph_layer_fixture.py).
private struct VirgoFixture: Decodable {
    let nodes: Int
    let unit_edges: [[Double]]
    let x: [Float]
    let in_features: Int
    let layers: Int
    let hidden: Int
    let classes: Int
    let c5_forward, c5_backward, c2_forward, c2_backward, c2_harmonic, c2_mean: [Double]
}

/// The graph on n nodes with the undirected edges i – step(i).
private func circulant(_ n: Int, _ steps: [(Int) -> Int]) throws -> Graph {
    var edges: [(u: Int, v: Int, weight: Float)] = []
    for i in 0..<n { for step in steps { edges.append((i, step(i) % n, 1)) } }
    return try Graph(nodeCount: n, edges: edges)
}

private func relativeError(_ a: [Double], _ b: [Double]) -> Double {
    zip(a, b).map { abs($0 - $1) / abs($1) }.max() ?? .infinity
}

/// The fixture's graph has an isolated node and a pre-existing self-loop; c5 is summed in Double
/// from Float32 propagation weights (relative error ~1e-7), so 1e-5 is loose for rounding and
/// tight against an off-by-one power or a wrong h₀.
@Test func virgoListsMatchTheReferenceFormulas() throws {
    let url = try #require(Bundle.module.url(forResource: "virgo_reference", withExtension: "json", subdirectory: "Fixtures"))
    let f = try JSONDecoder().decode(VirgoFixture.self, from: Data(contentsOf: url))
    let graph = try Graph(nodeCount: f.nodes, edges: f.unit_edges.map { (u: Int($0[0]), v: Int($0[1]), weight: Float($0[2])) }, undirected: false)
    let v = try VirgoVariances(
        propagation: graph.propagation(.symmetric), features: try Tensor(shape: [f.nodes, f.in_features], scalars: f.x),
        layers: f.layers, inputWidth: f.in_features, hiddenWidth: f.hidden, outputWidth: f.classes)
    #expect(relativeError(v.forwardEnergies, f.c5_forward) < 1e-5)
    #expect(relativeError(v.backwardEnergies, f.c5_backward) < 1e-5)
    #expect(relativeError(v.forward, f.c2_forward) < 1e-5)
    #expect(relativeError(v.backward, f.c2_backward) < 1e-5)
    #expect(relativeError(v.variances(.harmonic), f.c2_harmonic) < 1e-5)
    #expect(relativeError(v.variances(.mean), f.c2_mean) < 1e-5)
}

/// Spec §2.4: on a d-regular graph with constant features Â1 = 1, so every c5[k] = N·c² and
/// c2_for = [2/d_in, 2/d_hid, …], c2_back = [2/d_hid, …, 2/d_hid, N/((C−1)·N)] = […, 1/(C−1)].
@Test func virgoOnARegularGraphHasItsClosedForm() throws {
    let n = 12
    let ring = try circulant(n, [{ $0 + 1 }, { $0 + 3 }])
    let (dIn, dHid, classes, layers) = (5, 16, 4, 6)
    let v = try VirgoVariances(
        propagation: ring.propagation(.symmetric), features: Tensor(shape: [n, dIn], repeating: 0.7), layers: layers,
        inputWidth: dIn, hiddenWidth: dHid, outputWidth: classes)
    let forward = [2.0 / Double(dIn)] + Array(repeating: 2.0 / Double(dHid), count: layers - 1)
    let backward = Array(repeating: 2.0 / Double(dHid), count: layers - 1) + [1.0 / Double(classes - 1)]
    #expect(relativeError(v.forward, forward) < 1e-5)
    #expect(relativeError(v.backward, backward) < 1e-5)
    let harmonic = zip(forward, backward).map { f, b in 2 / (1 / f + 1 / b) }
    #expect(relativeError(v.variances(.harmonic), harmonic) < 1e-5)
}

/// c2 uses ratios of c5, so scaling the features leaves every entry unchanged (the backward
/// list's last entry uses h₀ = 1 and does not see the features at all).
@Test func virgoIsInvariantToFeatureScale() throws {
    let graph = try Graph(nodeCount: 9, edges: [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (5, 6), (6, 7), (2, 7), (8, 8)].map { (u: $0.0, v: $0.1, weight: Float(1)) })
    let x = try Tensor.uniform([9, 3], low: 0.1, high: 2, key: RandomKey(seed: 1))
    let a = try VirgoVariances(propagation: graph.propagation(.symmetric), features: x, layers: 5, inputWidth: 3, hiddenWidth: 8, outputWidth: 3)
    let b = try VirgoVariances(propagation: graph.propagation(.symmetric), features: x * 37, layers: 5, inputWidth: 3, hiddenWidth: 8, outputWidth: 3)
    #expect(relativeError(b.variances(.harmonic), a.variances(.harmonic)) < 1e-5)
    #expect(relativeError(b.forward, a.forward) < 1e-5)
    #expect(relativeError(b.forwardEnergies, a.forwardEnergies.map { $0 * 37 * 37 }) < 1e-5)
}

/// Applied to a GCN, every `lin.weight` is U(±√(3·c2)): inside the bound, sample variance within
/// 5 standard errors (√(0.8/n)·c2 for a uniform) of c2, and the log records each c2.
@Test(arguments: ["gcn", "sage"])
func virgoDrawsEachLayerWithItsVariance(architecture: String) throws {
    let n = 60
    let graph = try circulant(n, [{ $0 + 1 }, { $0 * 7 + 3 }])
    let x = try Tensor.uniform([n, 30], low: 0, high: 1, key: RandomKey(seed: 2))
    let model = try ModelSpec("\(architecture):layers=4,width=64").build(activation: .relu, inputShape: [30], classCount: 5, key: RandomKey(seed: 3))
    let context = InitializationContext(key: RandomKey(seed: 4), batch: x, graph: try GraphBatch(graph: graph))
    let log = try Scheme("virgo").apply(to: model, context: context)
    let statistics = try VirgoVariances(
        propagation: graph.propagation(.symmetric), features: x, layers: 4, inputWidth: 30, hiddenWidth: 64, outputWidth: 5)
    let expected = statistics.variances(.harmonic)
    let layers = model.namedModules.compactMap { $0.module as? any MessagePassingLayer }
    #expect(layers.count == 4)
    for (layer, c2) in zip(layers, expected) {
        for linear in layer.featureTransforms {
            let w = linear.weight.value
            let bound = (3 * c2).squareRoot() * (1 + 1e-6)
            #expect(w.scalars.allSatisfy { Double(abs($0)) <= bound })
            let error = abs(w.moments.variance / c2 - 1), allowed = 5 * (0.8 / Double(w.count)).squareRoot()
            #expect(error < allowed)
        }
    }
    let transforms = layers.map { $0.featureTransforms.count }.reduce(0, +)
    #expect(log.entries.count == transforms)
    #expect(throws: InitiumError.self) {
        _ = try Scheme("virgo").apply(to: model, context: InitializationContext(key: RandomKey(seed: 4), batch: x))
    }
}

@Test func virgoAndRNIRefuseModelsTheyCannotInitialize() throws {
    let mlp = try ModelSpec("mlp:4-8-3").build(activation: .relu, inputShape: [4], classCount: 3, key: RandomKey(seed: 0))
    #expect(throws: InitiumError.self) { _ = try Scheme("virgo").apply(to: mlp, context: InitializationContext(key: RandomKey(seed: 0))) }
    let gcn = try ModelSpec("gcn:layers=2,width=8").build(activation: .relu, inputShape: [4], classCount: 3, key: RandomKey(seed: 0))
    #expect(throws: InitiumError.self) { _ = try Scheme("rni(fraction=0.5)").apply(to: gcn, context: InitializationContext(key: RandomKey(seed: 0))) }
    #expect(throws: InitiumError.self) { _ = try Scheme("rni(fraction=1.5)") }
    #expect(throws: InitiumError.self) { _ = try Scheme("virgo(mode=sideways)") }
}

/// rni switches the encoder's random columns on and initializes the weights with its base: the
/// weights equal those `base` alone draws with the same key.
@Test func rniUsesItsBaseSchemeAndSwitchesTheEncoderOn() throws {
    func model() throws -> any Module {
        try ModelSpec("gin:layers=2,width=16,task=graph,encoder=true").build(activation: .relu, inputShape: [2], classCount: 2, key: RandomKey(seed: 0))
    }
    let (a, b) = (try model(), try model())
    _ = try Scheme("rni(fraction=0.5,dist=uniform,base=he-uniform)").apply(to: a, context: InitializationContext(key: RandomKey(seed: 1)))
    _ = try Scheme("he-uniform").apply(to: b, context: InitializationContext(key: RandomKey(seed: 1)))
    for ((path, p), (_, q)) in zip(a.namedParameters, b.namedParameters) { #expect(p.value.scalars == q.value.scalars, "\(path)") }
    let encoder = try #require(a.namedModules.compactMap { $0.module as? NodeEncoder }.first)
    #expect(encoder.randomFeatures == (try RandomNodeFeatures(fraction: 0.5, distribution: .uniform)))
}

/// Existing schemes reach graph layers as Linear layers with their own fans: GCN's `lin`
/// `[64, 30]` gets Glorot's 2/(30 + 64).
@Test func existingSchemesUseGraphLayerFans() throws {
    let model = try ModelSpec("gcn:layers=3,width=64").build(activation: .relu, inputShape: [30], classCount: 5, key: RandomKey(seed: 0))
    let log = try Scheme("glorot-normal").apply(to: model, context: InitializationContext(key: RandomKey(seed: 1)))
    let entry = try #require(log.entries.first { $0.path == "convs.0.lin.weight" })
    #expect(entry.values["fan_in"] == 30 && entry.values["fan_out"] == 64)
    let w = try #require(model.parameter(at: "convs.0.lin.weight")).value
    #expect(abs(w.moments.variance / (2.0 / 94) - 1) < 5 * (2.0 / Double(w.count)).squareRoot())
}
