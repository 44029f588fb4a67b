import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// The graph of `scripts/make_graph_layer_fixture.py`: 10 nodes, node 9 isolated, a pre-existing
/// self-loop on node 2, and PyG's GCNConv/SAGEConv/GINConv evaluated densely in NumPy.
struct GraphLayerFixture: Decodable {
    let nodes: Int
    let unit_edges: [[Double]]
    let weighted_edges: [[Double]]
    let x: [Float]
    let in_features: Int
    let out_features: Int
    let hidden: Int
    let gcn_weight, gcn_bias, gcn_unit, gcn_weighted: [Float]
    let sage_lin_l_weight, sage_lin_l_bias, sage_lin_r_weight, sage: [Float]
    let gin_eps: Float
    let gin_nn0_weight, gin_nn0_bias, gin_nn2_weight, gin_nn2_bias, gin: [Float]

    static func load() throws -> GraphLayerFixture {
        let url = try #require(Bundle.module.url(forResource: "graph_layers", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(GraphLayerFixture.self, from: Data(contentsOf: url))
    }

    /// The directed edges (source, target, weight) as a graph: entry (u, v) is the edge u → v.
    func batch(weighted: Bool) throws -> GraphBatch {
        let edges = (weighted ? weighted_edges : unit_edges).map { (u: Int($0[0]), v: Int($0[1]), weight: Float($0[2])) }
        return try GraphBatch(graph: Graph(nodeCount: nodes, edges: edges, undirected: false))
    }

    var features: Tensor { get throws { try Tensor(shape: [nodes, in_features], scalars: x) } }
}

/// Runs a graph layer with `batch` set on the context, so the shared gradient checker (which
/// makes its own contexts) can differentiate graph layers.
final class GraphHarness: Module {
    let layer: any Module
    let batch: GraphBatch
    let children: [(name: String, module: any Module)]

    init(_ layer: any Module, batch: GraphBatch) {
        self.layer = layer
        self.batch = batch
        children = [("layer", layer)]
    }

    var kind: LayerKind { .container }

    func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        context.graph = batch
        return try forward(child: layer, input, context: context)
    }
}

/// Float32 layers against a float64 reference of O(1) values: 1e-5 absolute is ~100 ulps.
private func expectMatches(_ y: Tensor, _ reference: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(y.count == reference.count, sourceLocation: sourceLocation)
    let worst = zip(y.scalars, reference).map { abs($0 - $1) }.max() ?? .infinity
    #expect(worst < 1e-5, "max |Δ| = \(worst)", sourceLocation: sourceLocation)
}

@Test(arguments: [false, true])
func gcnConvMatchesPyGDenseReference(weighted: Bool) throws {
    let f = try GraphLayerFixture.load()
    let conv = try GCNConv(f.in_features, f.out_features, scope: Scope(key: nil))
    conv.lin.weight.value = try Tensor(shape: [f.out_features, f.in_features], scalars: f.gcn_weight)
    conv.bias.value = try Tensor(shape: [f.out_features], scalars: f.gcn_bias)
    let y = try GraphHarness(conv, batch: try f.batch(weighted: weighted))(try f.features)
    expectMatches(y, weighted ? f.gcn_weighted : f.gcn_unit)
    #expect(Set(conv.namedParameters.map(\.path)) == ["lin.weight", "bias"])
}

@Test func sageConvMatchesPyGDenseReference() throws {
    let f = try GraphLayerFixture.load()
    let conv = try SAGEConv(f.in_features, f.out_features, scope: Scope(key: nil))
    conv.lin_l.weight.value = try Tensor(shape: [f.out_features, f.in_features], scalars: f.sage_lin_l_weight)
    conv.lin_l.bias!.value = try Tensor(shape: [f.out_features], scalars: f.sage_lin_l_bias)
    conv.lin_r.weight.value = try Tensor(shape: [f.out_features, f.in_features], scalars: f.sage_lin_r_weight)
    let y = try GraphHarness(conv, batch: try f.batch(weighted: false))(try f.features)
    expectMatches(y, f.sage)
    #expect(Set(conv.namedParameters.map(\.path)) == ["lin_l.weight", "lin_l.bias", "lin_r.weight"])
}

@Test func ginConvMatchesPyGDenseReference() throws {
    let f = try GraphLayerFixture.load()
    let conv = try GINConv(
        f.in_features, f.out_features, hidden: f.hidden, activation: .relu, batchNorm: false, epsilon: f.gin_eps, scope: Scope(key: nil))
    for (path, values) in [("nn.0.weight", f.gin_nn0_weight), ("nn.0.bias", f.gin_nn0_bias), ("nn.2.weight", f.gin_nn2_weight), ("nn.2.bias", f.gin_nn2_bias)] {
        let parameter = try #require(conv.parameter(at: path), "\(path)")
        parameter.value = try Tensor(shape: parameter.shape, scalars: values)
    }
    let y = try GraphHarness(conv, batch: try f.batch(weighted: false))(try f.features)
    expectMatches(y, f.gin)
    #expect(Set(conv.namedParameters.map(\.path)) == ["nn.0.weight", "nn.0.bias", "nn.2.weight", "nn.2.bias", "eps"])
}

@Test func graphLayerGradientsMatchFiniteDifferences() throws {
    let f = try GraphLayerFixture.load()
    let batch = try f.batch(weighted: true)
    let scope = Scope(key: RandomKey(seed: 3))
    let layers: [any Module] = [
        try GCNConv(f.in_features, f.out_features, scope: scope.child("gcn")),
        try SAGEConv(f.in_features, f.out_features, scope: scope.child("sage")),
        try GINConv(f.in_features, f.out_features, hidden: f.hidden, activation: .tanh, batchNorm: false, epsilon: 0.2,
                    trainEpsilon: true, scope: scope.child("gin")),
    ]
    for layer in layers {
        try expectModuleGradientsMatchFiniteDifferences(GraphHarness(layer, batch: batch), input: try f.features, entries: 12)
    }
}

@Test func graphLayersRefuseMissingGraphAndWrongNodeCount() throws {
    let conv = try GCNConv(4, 3, scope: Scope(key: RandomKey(seed: 0)))
    #expect(throws: InitiumError.self) { try conv(Tensor.zeros([10, 4])) }
    let f = try GraphLayerFixture.load()
    #expect(throws: InitiumError.self) { try GraphHarness(conv, batch: try f.batch(weighted: false))(Tensor.zeros([9, 4])) }
}

/// GCNConv's Θ starts Glorot-uniform as in PyG: U(±√(6/(in + out))), variance 2/(in + out);
/// the sample variance of n uniforms has relative standard error √(0.8/n) (kurtosis 9/5); allow 5.
@Test func gcnConvStartsGlorotUniform() throws {
    let conv = try GCNConv(200, 100, scope: Scope(key: RandomKey(seed: 9)))
    let w = conv.lin.weight.value
    let bound = (6.0 / 300).squareRoot()
    #expect(w.scalars.allSatisfy { abs(Double($0)) <= bound })
    #expect(abs(w.moments.variance / (2.0 / 300) - 1) < 5 * (0.8 / Double(w.count)).squareRoot())
    #expect(conv.bias.value.scalars.allSatisfy { $0 == 0 })
}
