import Foundation
import InitiumCore
import InitiumNN

/// Link prediction on held-out edges (the protocol of LINE's and Lin et al.'s evaluations): a
/// fraction of the graph's undirected edges is removed before training, and an embedding is
/// scored by the ROC AUC of u_i·u_j between those edges and as many node pairs that are not edges.
///
/// The held-out edges are taken in a random order drawn from the key, skipping any edge whose
/// removal would leave one of its ends without a neighbour (so every node keeps a vector trained
/// on at least one edge); the negatives are distinct pairs i ≠ j, drawn uniformly from the key,
/// that are not edges of the original graph. The graph is treated as undirected: an edge in
/// either direction joins i and j, and removing it removes both directions.
public struct LinkPredictionSplit: Sendable {
    /// An unordered node pair `i < j`.
    public struct NodePair: Sendable, Hashable {
        /// The smaller node id.
        public var i: Int
        /// The larger node id.
        public var j: Int
    }

    /// The graph without the held-out edges (every other entry kept with its weight).
    public let trainingGraph: Graph
    /// The removed edges.
    public let heldOutEdges: [NodePair]
    /// Node pairs that are not edges, as many as ``heldOutEdges``.
    public let negativePairs: [NodePair]
    /// The undirected edges (pairs i ≠ j) left in ``trainingGraph``.
    public let trainingEdgeCount: Int

    /// Splits `graph`, holding out ⌊fraction·E⌋ of its E undirected edges (fewer if the degree
    /// rule forbids more); `fraction` 0 holds out nothing. Throws when `fraction` is not in [0, 1).
    public init(_ graph: Graph, fraction: Double, key: RandomKey) throws {
        guard fraction >= 0, fraction < 1 else {
            throw InitiumError.invalidArgument("the held-out edge fraction must be in [0, 1), got \(fraction)")
        }
        let n = graph.nodeCount
        let a = graph.adjacency
        var pairs = Set<NodePair>()
        for row in 0..<n {
            for e in a.entries(ofRow: row) where Int(a.columnIndices[e]) != row {
                let column = Int(a.columnIndices[e])
                pairs.insert(NodePair(i: Swift.min(row, column), j: Swift.max(row, column)))
            }
        }
        let ordered = pairs.sorted { ($0.i, $0.j) < ($1.i, $1.j) }
        var neighbours = [Int](repeating: 0, count: n)
        for p in ordered {
            neighbours[p.i] += 1
            neighbours[p.j] += 1
        }
        let target = Int(fraction * Double(ordered.count))
        var removed: [NodePair] = []
        for index in Tensor.permutation(ordered.count, key: key.fold("held-out")) where removed.count < target {
            let p = ordered[index]
            guard neighbours[p.i] > 1, neighbours[p.j] > 1 else { continue }
            neighbours[p.i] -= 1
            neighbours[p.j] -= 1
            removed.append(p)
        }
        let removedSet = Set(removed)
        var entries: [(row: Int, column: Int, value: Float)] = []
        entries.reserveCapacity(a.entryCount)
        for row in 0..<n {
            for e in a.entries(ofRow: row) {
                let column = Int(a.columnIndices[e])
                if row != column, removedSet.contains(NodePair(i: Swift.min(row, column), j: Swift.max(row, column))) { continue }
                entries.append((row, column, a.values[e]))
            }
        }
        trainingGraph = try Graph(adjacency: SparseMatrix(rowCount: n, columnCount: n, entries: entries))
        heldOutEdges = removed
        trainingEdgeCount = ordered.count - removed.count
        negativePairs = try Self.nonEdges(count: removed.count, nodeCount: n, edges: pairs, key: key.fold("negatives"))
    }

    /// `count` distinct pairs i < j that are not in `edges`, drawn uniformly with `key`.
    static func nonEdges(count: Int, nodeCount n: Int, edges: Set<NodePair>, key: RandomKey) throws -> [NodePair] {
        guard count > 0 else { return [] }
        let available = n * (n - 1) / 2 - edges.count
        guard available >= count else {
            throw InitiumError.invalidArgument("link prediction: the graph has only \(available) non-adjacent pairs for \(count) negatives")
        }
        var chosen: [NodePair] = []
        var seen = Set<NodePair>()
        var round = 0
        while chosen.count < count {
            let draws = try Tensor.uniform([2 * count], key: key.fold(round)).scalars
            round += 1
            for t in 0..<count where chosen.count < count {
                let u = Swift.min(Int(draws[2 * t] * Float(n)), n - 1), v = Swift.min(Int(draws[2 * t + 1] * Float(n)), n - 1)
                guard u != v else { continue }
                let p = NodePair(i: Swift.min(u, v), j: Swift.max(u, v))
                guard !edges.contains(p), seen.insert(p).inserted else { continue }
                chosen.append(p)
            }
            guard round < 1000 else { throw InitiumError.internalFailure("link prediction: could not draw \(count) non-edges") }
        }
        return chosen
    }

    /// The ROC AUC of the scores u_i·u_j of `table` `[nodes, d]`, held-out edges against
    /// negative pairs; `nil` when nothing is held out.
    public func areaUnderCurve(table: Tensor) -> Double? {
        guard !heldOutEdges.isEmpty else { return nil }
        let d = table.shape[1]
        let scores: ([NodePair]) -> [Double] = { pairs in
            table.withUnsafeBufferPointer { u in
                pairs.map { p in
                    var dot = 0.0
                    for c in 0..<d { dot += Double(u[p.i * d + c]) * Double(u[p.j * d + c]) }
                    return dot
                }
            }
        }
        return ReceiverOperatingCharacteristic.areaUnderCurve(positives: scores(heldOutEdges), negatives: scores(negativePairs))
    }
}

/// The ROC curve's area.
public enum ReceiverOperatingCharacteristic {
    /// AUC = P(s⁺ > s⁻) + ½·P(s⁺ = s⁻) over all positive–negative pairs, the Mann–Whitney U
    /// statistic divided by n⁺n⁻ (Hanley & McNeil, Radiology 143, 1982), computed from mid-ranks
    /// of the pooled scores. Needs at least one positive and one negative (else NaN).
    public static func areaUnderCurve(positives: [Double], negatives: [Double]) -> Double {
        guard !positives.isEmpty, !negatives.isEmpty else { return .nan }
        let pooled = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
        var rankSum = 0.0
        var start = 0
        while start < pooled.count {
            var end = start
            while end + 1 < pooled.count, pooled[end + 1].0 == pooled[start].0 { end += 1 }
            let midRank = Double(start + end) / 2 + 1
            for k in start...end where pooled[k].1 { rankSum += midRank }
            start = end + 1
        }
        let (np, nn) = (Double(positives.count), Double(negatives.count))
        return (rankSum - np * (np + 1) / 2) / (np * nn)
    }
}
