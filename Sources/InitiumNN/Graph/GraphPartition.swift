import CMetis
import Foundation
import InitiumCore

/// A k-way partition of a graph's nodes computed by METIS (Karypis & Kumar, "A Fast and High
/// Quality Multilevel Scheme for Partitioning Irregular Graphs", SIAM J. Sci. Comput. 20(1), 1998;
/// `METIS_PartGraphKway`, the multilevel k-way scheme that minimizes the edge cut subject to
/// parts of at most `(1 + ufactor/1000)·N/k` nodes, ufactor 30 by default).
///
/// METIS partitions undirected graphs without self-loops and with integer edge weights, so the
/// graph handed to it is the symmetrized adjacency `A + Aᵀ` with the diagonal dropped, and its
/// weights are integers: kept as they are when every weight is a positive integer, otherwise
/// scaled so that the largest becomes 1,000 and rounded up to at least 1 (Initium's choice).
/// The partition is a pure function of the graph, `k` and the seed (`METIS_OPTION_SEED`).
public struct GraphPartition: Sendable, Equatable {
    /// The number of parts `k`.
    public let partCount: Int
    /// The part of each node, in `0..<partCount`.
    public let parts: [Int32]
    /// The number of undirected edges (node pairs `i ≠ j` joined in either direction) whose two
    /// ends lie in different parts.
    public let edgeCut: Int

    /// Serializes METIS calls: METIS 5.1 keeps its random generator (seeded from
    /// `METIS_OPTION_SEED` at each call) in GKlib's process-wide state, so two concurrent calls
    /// would interleave their draws and lose determinism.
    private static let metisLock = NSLock()

    /// METIS's load-imbalance tolerance in thousandths (its default for k-way partitioning):
    /// every part holds at most `(1 + ufactor/1000)·N/k` nodes, up to METIS's rounding.
    public static let imbalanceTolerance = 30

    /// The number of nodes in each part (an empty part counts 0).
    public var partSizes: [Int] {
        var sizes = [Int](repeating: 0, count: partCount)
        for p in parts { sizes[Int(p)] += 1 }
        return sizes
    }

    /// A partition from its parts (each in `0..<partCount`) and its cut.
    init(partCount: Int, parts: [Int32], edgeCut: Int) {
        self.partCount = partCount
        self.parts = parts
        self.edgeCut = edgeCut
    }

    /// Partitions a graph given by its CSR adjacency (`rowOffsets` of `nodeCount + 1` entries,
    /// `columnIndices` and `weights` of one entry per stored edge) into `partCount` parts with
    /// METIS seeded by `seed`.
    ///
    /// Throws when `partCount` is not in `1...nodeCount` or METIS reports a failure (its
    /// `METIS_ERROR_INPUT`, `METIS_ERROR_MEMORY` or `METIS_ERROR` code, named in the message).
    static func metis(
        nodeCount: Int, rowOffsets: [Int], columnIndices: [Int32], weights: [Float], partCount: Int, seed: UInt64
    ) throws -> GraphPartition {
        guard nodeCount >= 1 else {
            throw InitiumError.invalidArgument("graph partition: the graph has no nodes")
        }
        guard partCount >= 1 else {
            throw InitiumError.invalidArgument("graph partition: the number of parts `k` must be at least 1, got \(partCount)")
        }
        guard partCount <= nodeCount else {
            throw InitiumError.invalidArgument(
                "graph partition: the number of parts `k` (\(partCount)) must not exceed the number of nodes (\(nodeCount))")
        }
        let symmetric = SymmetricAdjacency(
            nodeCount: nodeCount, rowOffsets: rowOffsets, columnIndices: columnIndices, weights: weights)
        guard partCount > 1, !symmetric.adjacency.isEmpty else {
            // One part, or no edge to cut: METIS has nothing to minimize (and its k-way driver
            // refuses graphs without edges), so the parts are contiguous blocks of equal size.
            let parts = (0..<nodeCount).map { Int32($0 * partCount / nodeCount) }
            return GraphPartition(partCount: partCount, parts: parts, edgeCut: 0)
        }
        var options = [idx_t](repeating: 0, count: Int(METIS_NOPTIONS))
        METIS_SetDefaultOptions(&options)
        options[Int(METIS_OPTION_SEED.rawValue)] = idx_t(truncatingIfNeeded: seed & 0x7FFF_FFFF)
        options[Int(METIS_OPTION_NUMBERING.rawValue)] = 0
        options[Int(METIS_OPTION_UFACTOR.rawValue)] = idx_t(imbalanceTolerance)
        var vertices = idx_t(nodeCount), constraints: idx_t = 1, k = idx_t(partCount), objective: idx_t = 0
        var offsets = symmetric.offsets, adjacency = symmetric.adjacency, edgeWeights = symmetric.integerWeights
        var part = [idx_t](repeating: 0, count: nodeCount)
        let status = metisLock.withLock {
            METIS_PartGraphKway(
                &vertices, &constraints, &offsets, &adjacency, nil, nil, &edgeWeights, &k, nil, nil, &options, &objective, &part)
        }
        guard status == Int32(METIS_OK.rawValue) else {
            let name = [METIS_ERROR_INPUT.rawValue: "METIS_ERROR_INPUT (erroneous input or options)",
                        METIS_ERROR_MEMORY.rawValue: "METIS_ERROR_MEMORY (out of memory)",
                        METIS_ERROR.rawValue: "METIS_ERROR"][status] ?? "code \(status)"
            throw InitiumError.invalidArgument("graph partition: METIS_PartGraphKway failed with \(name) for \(nodeCount) nodes and k = \(partCount)")
        }
        if let bad = part.first(where: { $0 < 0 || $0 >= k }) {
            throw InitiumError.internalFailure("METIS_PartGraphKway returned part \(bad) outside 0..<\(partCount)")
        }
        let parts = part.map { Int32($0) }
        return GraphPartition(partCount: partCount, parts: parts, edgeCut: symmetric.cut(parts))
    }
}

/// A graph's adjacency made undirected for METIS: `A + Aᵀ` without its diagonal, in CSR with
/// METIS's index type, and integer weights.
struct SymmetricAdjacency {
    /// `nodeCount + 1` offsets into ``adjacency``.
    var offsets: [idx_t]
    /// The neighbours of each node, ascending.
    var adjacency: [idx_t]
    /// The summed weight of each stored pair, `w_ij + w_ji`.
    var weights: [Float]

    /// The symmetrized adjacency of a CSR matrix (entries with `i == j` dropped).
    init(nodeCount: Int, rowOffsets: [Int], columnIndices: [Int32], weights values: [Float]) {
        var rows = [[(Int32, Float)]](repeating: [], count: nodeCount)
        for i in 0..<nodeCount {
            for e in rowOffsets[i]..<rowOffsets[i + 1] {
                let j = Int(columnIndices[e])
                guard j != i else { continue }
                rows[i].append((Int32(j), values[e]))
                rows[j].append((Int32(i), values[e]))
            }
        }
        var offsets: [idx_t] = [0]
        var adjacency: [idx_t] = []
        var weights: [Float] = []
        offsets.reserveCapacity(nodeCount + 1)
        for var row in rows {
            row.sort { $0.0 < $1.0 }
            var index = 0
            while index < row.count {
                var sum: Float = 0
                let j = row[index].0
                while index < row.count, row[index].0 == j {
                    sum += row[index].1
                    index += 1
                }
                adjacency.append(idx_t(j))
                weights.append(sum)
            }
            offsets.append(idx_t(adjacency.count))
        }
        self.offsets = offsets
        self.adjacency = adjacency
        self.weights = weights
    }

    /// The weights as METIS's positive integers: unchanged when all are positive integers up to
    /// 10⁶, else scaled so the largest is 1,000 and rounded up (at least 1).
    var integerWeights: [idx_t] {
        if weights.allSatisfy({ $0 >= 1 && $0 <= 1_000_000 && $0 == $0.rounded() }) {
            return weights.map { idx_t($0) }
        }
        let largest = weights.max() ?? 1
        let scale = largest > 0 ? 1000 / largest : 1
        return weights.map { idx_t(Swift.max(1, ($0 * scale).rounded(.up))) }
    }

    /// The number of node pairs `i < j` joined by an edge whose ends lie in different parts.
    func cut(_ parts: [Int32]) -> Int {
        var cut = 0
        for i in 0..<(offsets.count - 1) {
            for e in Int(offsets[i])..<Int(offsets[i + 1]) where Int(adjacency[e]) > i && parts[Int(adjacency[e])] != parts[i] {
                cut += 1
            }
        }
        return cut
    }
}

extension GraphPartition {
    /// The k-way METIS partition of `graph` (its adjacency symmetrized, self-loops ignored),
    /// seeded by `seed`. Throws when `k` is not in `1...nodeCount` or METIS fails (the message
    /// names its error code). With `k` = 1, or a graph without edges between distinct nodes,
    /// the parts are contiguous blocks of node ids of equal size (there is no cut to minimize).
    public init(_ graph: Graph, parts k: Int, seed: UInt64) throws {
        self = try Self.metis(
            nodeCount: graph.nodeCount, rowOffsets: graph.adjacency.rowOffsets, columnIndices: graph.adjacency.columnIndices,
            weights: graph.adjacency.values, partCount: k, seed: seed)
    }

    /// A given assignment of `graph`'s nodes to parts `0..<partCount` (empty parts allowed), with
    /// its edge cut; throws when a part is out of range or the sizes disagree.
    public init(parts: [Int32], partCount: Int, of graph: Graph) throws {
        guard parts.count == graph.nodeCount, partCount >= 1 else {
            throw InitiumError.invalidArgument(
                "graph partition: \(parts.count) parts given for \(graph.nodeCount) nodes (k = \(partCount))")
        }
        if let bad = parts.first(where: { $0 < 0 || Int($0) >= partCount }) {
            throw InitiumError.invalidArgument("graph partition: part \(bad) is outside 0..<\(partCount)")
        }
        let symmetric = SymmetricAdjacency(
            nodeCount: graph.nodeCount, rowOffsets: graph.adjacency.rowOffsets, columnIndices: graph.adjacency.columnIndices,
            weights: graph.adjacency.values)
        self.init(partCount: partCount, parts: parts, edgeCut: symmetric.cut(parts))
    }

    /// The abstract graph of Lin et al. (WSDM 2020) under Initium's reference recipe: one node per
    /// part, and between parts P ≠ Q an undirected edge of weight w(P, Q) = the number of node
    /// pairs {i, j} joined in `graph` (in either direction, any weight) with i ∈ P, j ∈ Q. Its
    /// total undirected weight Σ_{P<Q} w(P, Q) is ``edgeCut``; an empty or isolated part is an
    /// isolated node. `graph` must be the graph this partition was computed on.
    public func abstractGraph(of graph: Graph) throws -> Graph {
        guard graph.nodeCount == parts.count else {
            throw InitiumError.invalidArgument(
                "abstract graph: the partition covers \(parts.count) nodes, the graph has \(graph.nodeCount)")
        }
        let symmetric = SymmetricAdjacency(
            nodeCount: graph.nodeCount, rowOffsets: graph.adjacency.rowOffsets, columnIndices: graph.adjacency.columnIndices,
            weights: graph.adjacency.values)
        var edges: [(u: Int, v: Int, weight: Float)] = []
        for i in 0..<graph.nodeCount {
            for e in Int(symmetric.offsets[i])..<Int(symmetric.offsets[i + 1]) {
                let j = Int(symmetric.adjacency[e])
                guard j > i, parts[i] != parts[j] else { continue }
                edges.append((Int(parts[i]), Int(parts[j]), 1))
            }
        }
        return try Graph(nodeCount: partCount, edges: edges, undirected: true)
    }
}
