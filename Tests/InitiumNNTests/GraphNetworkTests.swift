import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// A cycle on `n` nodes (undirected), as a graph.
func cycleGraph(_ n: Int, offset: Int = 0) throws -> Graph {
    try Graph(nodeCount: n, edges: (0..<n).map { (u: $0, v: ($0 + 1) % n, weight: 1) })
}

/// Two triangles: 2-regular on 6 nodes like the 6-cycle, so 1-WL (and every message-passing
/// network without random features) cannot tell them apart.
func twoTriangles() throws -> Graph {
    try Graph(nodeCount: 6, edges: [(0, 1, 1), (1, 2, 1), (2, 0, 1), (3, 4, 1), (4, 5, 1), (5, 3, 1)].map { (u: $0.0, v: $0.1, weight: Float($0.2)) })
}

private func build(_ spec: String, features: Int = 4, classes: Int = 3, seed: UInt64 = 1) throws -> GraphNetwork {
    let model = try ModelSpec(spec).build(activation: .relu, inputShape: [features], classCount: classes, key: RandomKey(seed: seed))
    return try #require(model as? GraphNetwork)
}

@Test func graphSpecsNameParametersLikePyG() throws {
    let gcn = try build("gcn:layers=2,width=16")
    #expect(gcn.namedParameters.map(\.path) == ["convs.0.bias", "convs.0.lin.weight", "head.bias", "head.lin.weight"])
    let sage = try build("sage:layers=2,width=8")
    #expect(sage.namedParameters.map(\.path) == [
        "convs.0.lin_l.weight", "convs.0.lin_l.bias", "convs.0.lin_r.weight", "head.lin_l.weight", "head.lin_l.bias", "head.lin_r.weight"])
    let gin = try build("gin:layers=1,width=8,task=graph,encoder=true")
    #expect(gin.namedParameters.map(\.path) == [
        "encoder.lin.weight", "encoder.lin.bias", "convs.0.eps", "convs.0.nn.0.weight", "convs.0.nn.0.bias", "convs.0.nn.1.weight",
        "convs.0.nn.1.bias", "convs.0.nn.3.weight", "convs.0.nn.3.bias", "head.0.weight", "head.0.bias", "head.2.weight", "head.2.bias"])
    #expect(gin.messagePassingLayers.count == 1)
    #expect(try build("gcn:layers=16,width=64").messagePassingLayers.count == 16)
}

@Test(arguments: ["gcn:layers=2", "gcn:layers=0,width=4", "gcn:layers=2,width=4,task=edge", "gcn:layers=2,width=4,dropout=1",
                  "sage:layers=2,width=4,eps=0.1", "gin:layers=2,width=4,norm=layer", "gcn:layers=2,width=4,act=nonsense",
                  "gcn:layers=2,width=4,pool=median", "gcn:layers=2,width=4,layers=3"])
func badGraphSpecsAreRefused(spec: String) {
    #expect(throws: InitiumError.self) { _ = try ModelSpec(spec) }
}

@Test func graphModelsRefuseNonGraphExamples() {
    #expect(throws: InitiumError.self) {
        _ = try ModelSpec("gcn:layers=2,width=4").build(activation: .relu, inputShape: [1, 28, 28], classCount: 10, key: nil)
    }
}

@Test func nodeTaskReturnsTheOutputNodesInOrder() throws {
    let model = try build("sage:layers=3,width=8,residual=true")
    let graph = try cycleGraph(7)
    let x = try Tensor.normal([7, 4], key: RandomKey(seed: 2))
    let all = try GraphHarness(model, batch: try GraphBatch(graph: graph))(x)
    #expect(all.shape == [7, 3])
    let some = try GraphHarness(model, batch: try GraphBatch(graph: graph, outputNodes: [5, 1]))(x)
    let selected = try all.indexSelect(axis: 0, [5, 1]).scalars
    #expect(some.scalars == selected)
}

@Test(arguments: GraphNetwork.Pooling.allCases)
func graphTaskPoolsEachGraph(pool: GraphNetwork.Pooling) throws {
    // tanh: a finite-difference step on a bias moves every node, which would cross ReLU's kink
    let model = try build("gcn:layers=2,width=6,task=graph,act=tanh,pool=\(pool.rawValue)")
    let graphs = [try cycleGraph(5), try twoTriangles(), try cycleGraph(3)]
    let x = try Tensor.normal([14, 4], key: RandomKey(seed: 4))
    let batched = try GraphHarness(model, batch: try GraphBatch(graphs: graphs))(x)
    #expect(batched.shape == [3, 3])
    // a graph's logits do not depend on the other graphs of the batch
    let alone = try GraphHarness(model, batch: try GraphBatch(graphs: [graphs[1]]))(try x.slice(axis: 0, 5..<11))
    let row = try batched.slice(axis: 0, 1..<2).scalars
    #expect(zip(row, alone.scalars).allSatisfy { abs($0 - $1) < 1e-5 })
    try expectModuleGradientsMatchFiniteDifferences(
        GraphHarness(model, batch: try GraphBatch(graphs: graphs)), input: x, mode: .inference, entries: 6, step: 1e-3)
}

/// Without random features a GIN is at most as discriminative as 1-WL: the 6-cycle and two
/// triangles (both 2-regular) get the same logits to float precision. With half of the encoder's
/// columns random they differ, a draw is a function of the context key, and a new key redraws.
@Test func randomNodeFeaturesSeparateWLIndistinguishableGraphs() throws {
    let model = try build("gin:layers=3,width=16,task=graph,encoder=true,pool=sum", features: 2, classes: 2)
    let x = try Tensor(shape: [6, 2], scalars: Array(repeating: [1, 0], count: 6).flatMap { $0 })
    func logits(_ graph: Graph, seed: UInt64) throws -> [Float] {
        try GraphHarness(model, batch: try GraphBatch(graphs: [graph])).forward(x, context: ForwardContext(mode: .inference, key: RandomKey(seed: seed))).scalars
    }
    let (cycle, triangles) = (try cycleGraph(6), try twoTriangles())
    #expect(zip(try logits(cycle, seed: 1), try logits(triangles, seed: 1)).allSatisfy { abs($0 - $1) < 1e-5 })
    let encoder = try #require(model.encoder)
    encoder.randomFeatures = try RandomNodeFeatures(fraction: 0.5)
    #expect(try logits(cycle, seed: 1) != (try logits(triangles, seed: 1)))
    #expect(try logits(cycle, seed: 1) == (try logits(cycle, seed: 1)))
    #expect(try logits(cycle, seed: 1) != (try logits(cycle, seed: 2)))
}

/// The random block is r = ⌊p·width⌋ columns of N(0, 1) (or U(−1, 1), variance 1/3), last; the
/// sample mean and variance of m draws have standard errors √(v/m) and √(2/m)·v (normal; for
/// the uniform √(0.8/m)·v); allow 5.
@Test(arguments: RandomNodeFeatures.Distribution.allCases)
func randomNodeFeaturesHaveTheirDistribution(distribution: RandomNodeFeatures.Distribution) throws {
    let encoder = try NodeEncoder(3, width: 40, activation: .relu, scope: Scope(key: RandomKey(seed: 1)))
    encoder.randomFeatures = try RandomNodeFeatures(fraction: 0.3, distribution: distribution)
    let x = try Tensor.normal([500, 3], key: RandomKey(seed: 2))
    let h = try encoder.forward(x, context: ForwardContext(mode: .training, key: RandomKey(seed: 3)))
    #expect(h.shape == [500, 40])
    let random = try h.slice(axis: 1, 28..<40), learned = try h.slice(axis: 1, 0..<28)
    #expect(learned.scalars.allSatisfy { $0 >= 0 })  // φ = ReLU on the projection
    let m = Double(random.count), v = distribution == .normal ? 1.0 : 1.0 / 3
    let moments = random.moments
    #expect(abs(moments.mean) < 5 * (v / m).squareRoot())
    #expect(abs(moments.variance / v - 1) < 5 * ((distribution == .normal ? 2.0 : 0.8) / m).squareRoot())
}

/// A graph network's logits and gradients are the same bits for 1 and 2 threads.
@Test func graphNetworkIsBitIdenticalForOneAndTwoThreads() throws {
    let model = try build("gin:layers=3,width=32,task=graph,encoder=true,pool=max", features: 4, classes: 3)
    let graphs = try (3..<11).map { try cycleGraph($0) }
    let x = try Tensor.normal([graphs.map(\.nodeCount).reduce(0, +), 4], key: RandomKey(seed: 6))
    let batch = try GraphBatch(graphs: graphs)
    func run() throws -> [Float] {
        model.zeroGradients()
        let y = try GraphHarness(model, batch: batch).forward(x, context: ForwardContext(mode: .training, key: RandomKey(seed: 7)))
        try y.sum().backward()
        return y.scalars + model.parameters.flatMap { $0.gradient?.scalars ?? [] }
    }
    let one = try Parallel.withThreadCount(1) { try run() }
    let two = try Parallel.withThreadCount(2) { try run() }
    #expect(one == two)
}

/// Spec §1.7: without random features (r = 0) every EXP pair — a satisfiable and an
/// unsatisfiable formula that 1-WL cannot tell apart — gets the same logits (to 1e-5) from a GIN
/// and a GCN, so such models score 50% on EXP; with RNI the pairs' logits differ.
@Test(arguments: ["gin:layers=4,width=32,task=graph,encoder=true", "gcn:layers=4,width=32,task=graph,pool=max"])
func expPairsAreIndistinguishableWithoutRandomFeatures(spec: String) throws {
    let data = try ExpDataset.load(pairs: 100, split: 0, key: RandomKey(seed: 11), name: "exp").test
    let model = try build(spec, features: 2, classes: 2)
    var separated = 0
    for pair in stride(from: 0, to: data.count, by: 2) {
        let indices = Array(pair..<(pair + 2))[...]
        #expect(data.labels[pair] == 1 && data.labels[pair + 1] == 0)
        let x = data.batch(indices).inputs
        let batch = try #require(try data.graphBatch(indices))
        let logits = try GraphHarness(model, batch: batch).forward(x, context: ForwardContext(mode: .inference, key: RandomKey(seed: 1)))
        let (sat, unsat) = (try logits.slice(axis: 0, 0..<1).scalars, try logits.slice(axis: 0, 1..<2).scalars)
        #expect(zip(sat, unsat).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) }, "pair \(pair / 2): \(sat) vs \(unsat)")
        if let encoder = model.encoder {
            encoder.randomFeatures = try RandomNodeFeatures(fraction: 0.5)
            let random = try GraphHarness(model, batch: batch).forward(x, context: ForwardContext(mode: .inference, key: RandomKey(seed: 1)))
            if try random.slice(axis: 0, 0..<1).scalars != random.slice(axis: 0, 1..<2).scalars { separated += 1 }
            encoder.randomFeatures = nil
        }
    }
    if model.encoder != nil { #expect(separated == data.count / 2) }
}
