import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumProbe

private struct DirichletFixture: Decodable {
    let nodes: Int
    let unit_edges: [[Double]]
    let x: [Float]
    let in_features: Int
    let unnormalized: Double
    let normalized: Double
}

private func path3() throws -> Graph {
    try Graph(nodeCount: 3, edges: [(u: 0, v: 1, weight: 1), (u: 1, v: 2, weight: 1)])
}

/// Both energies against NumPy (scripts/make_graph_layer_fixture.py) on a graph with an isolated
/// node and a self-loop; Double sums of Float32 inputs agree to ~1e-7 relative.
@Test func dirichletEnergiesMatchNumPy() throws {
    let f = try loadFixture("dirichlet_reference", as: DirichletFixture.self)
    let graph = try Graph(nodeCount: f.nodes, edges: f.unit_edges.map { (u: Int($0[0]), v: Int($0[1]), weight: Float($0[2])) }, undirected: false)
    let x = try Tensor(shape: [f.nodes, f.in_features], scalars: f.x)
    #expect(abs(try DirichletEnergy.unnormalized(x, adjacency: graph.adjacency) / f.unnormalized - 1) < 1e-6)
    #expect(abs(try DirichletEnergy.normalized(x, propagation: graph.propagation(.symmetric)) / f.normalized - 1) < 1e-5)
}

/// Spec §4's closed cases: the path 0–1–2 with x = (0, 1, 2) has E_a = (1 + 1 + 1 + 1)/3 = 4/3;
/// constant features have E_a = 0 but E_b ≠ 0; X = D̃^{1/2}1 has E_b = 0.
@Test func dirichletEnergiesClosedCases() throws {
    let graph = try path3()
    let ramp = try Tensor(shape: [3, 1], scalars: [0, 1, 2])
    #expect(abs(try DirichletEnergy.unnormalized(ramp, adjacency: graph.adjacency) - 4.0 / 3) < 1e-12)
    let constant = Tensor(shape: [3, 2], repeating: 1.5)
    #expect(try DirichletEnergy.unnormalized(constant, adjacency: graph.adjacency) == 0)
    #expect(try DirichletEnergy.normalized(constant, propagation: graph.propagation(.symmetric)) > 1e-3)
    let rootDegrees = try Tensor(shape: [3, 1], scalars: [2, 3, 2].map { Float($0).squareRoot() })  // d̃ = d + 1
    #expect(abs(try DirichletEnergy.normalized(rootDegrees, propagation: graph.propagation(.symmetric))) < 1e-6)
}

/// Repeated weight-free GCN propagation X ← ÂX never increases E_b (Â's eigenvalues lie in (−1, 1]).
@Test func normalizedEnergyDoesNotIncreaseUnderPropagation() throws {
    let graph = try Graph(nodeCount: 8, edges: [(0, 1), (1, 2), (2, 3), (3, 0), (3, 4), (4, 5), (5, 6), (6, 7), (7, 5)].map { (u: $0.0, v: $0.1, weight: Float(1)) })
    let a = graph.propagation(.symmetric)
    var x = try Tensor.normal([8, 3], key: RandomKey(seed: 1))
    var previous = try DirichletEnergy.normalized(x, propagation: a)
    for _ in 0..<20 {
        x = try Tensor.sparseProduct(a, x)
        let energy = try DirichletEnergy.normalized(x, propagation: a)
        #expect(energy <= previous * (1 + 1e-5) + 1e-9)
        previous = energy
    }
    #expect(previous < 0.05 * (try DirichletEnergy.normalized(try Tensor.normal([8, 3], key: RandomKey(seed: 1)), propagation: a)))
}
