import Foundation
import InitiumCore
import InitiumNN
import InitiumSpec

/// Graph-partition initialization of a node-embedding table (Lin, He, Zhang, Cheng, Cai,
/// "Initialization for Network Embedding: A Graph Partition Approach", WSDM 2020, arXiv
/// 1908.10697). The paper's abstract fixes the steps; every constant below is an Initium default
/// (no official code exists), following the reference recipe of the spec (graphs-inr-meta.md §3):
///
/// 1. partition the graph into k parts with METIS (``GraphPartition``), k = ⌈√N⌉ by default;
/// 2. build the abstract graph, one node per part, w(P, Q) = the number of edges between P and Q
///    (``GraphPartition/abstractGraph(of:)``);
/// 3. embed the abstract graph with the *same* embedder at the same dimension d, from its own
///    random table (``LINEEmbedder``), for as many epochs as the real graph unless
///    ``abstractEpochs`` says otherwise;
/// 4. give every node its part's vector, h_v = e_{part(v)};
/// 5. smooth t rounds (default 1): h_v ← (1−α)·h_v + α·mean_{u∈N(v)} h_u with α = 0.5 by default,
///    over the symmetrized neighbourhood; a node without neighbours keeps h_v (never NaN);
/// 6. hand the table to the embedder, which trains on the real graph from it.
public struct PartitionInitialization: Sendable, Equatable {
    /// The number of parts k, or `nil` for ⌈√N⌉.
    public var parts: Int?
    /// The smoothing weight α in [0, 1].
    public var alpha: Float
    /// The smoothing rounds t ≥ 0.
    public var rounds: Int
    /// Epochs of the abstract graph's training, or `nil` for the embedder's own.
    public var abstractEpochs: Int?

    /// Initium's defaults: k = ⌈√N⌉, α = 0.5, t = 1, the abstract graph trained as long as the real one.
    public init(parts: Int? = nil, alpha: Float = 0.5, rounds: Int = 1, abstractEpochs: Int? = nil) {
        self.parts = parts
        self.alpha = alpha
        self.rounds = rounds
        self.abstractEpochs = abstractEpochs
    }

    /// k for a graph of `nodeCount` nodes: ``parts``, else ⌈√N⌉.
    public func partCount(nodeCount: Int) -> Int {
        parts ?? Int(Double(nodeCount).squareRoot().rounded(.up))
    }

    /// Steps 1–5 on `graph`: the initial table `[nodes, embedder.dimension]` and what was computed
    /// on the way. The partition is seeded from `key` (METIS's seed) and the abstract graph's
    /// embedding trained with `key.fold("abstract")`; `progress` sees its training steps.
    public func initialTable(
        for graph: Graph, embedder: LINEEmbedder, key: RandomKey, progress: ((TrainingProgress) -> Void)? = nil
    ) throws -> PartitionInitializationResult {
        let k = partCount(nodeCount: graph.nodeCount)
        let partition = try GraphPartition(graph, parts: k, seed: UInt64(key.words.x))
        let abstract = try partition.abstractGraph(of: graph)
        let abstractKey = key.fold("abstract")
        var partTable = try embedder.randomTable(nodeCount: k, key: abstractKey.fold("table"))
        var abstractLosses: [Double] = []
        if abstract.edgeCount > 0 {
            var abstractEmbedder = embedder
            abstractEmbedder.epochs = abstractEpochs ?? embedder.epochs
            let trained = try abstractEmbedder.train(abstract, from: partTable, key: abstractKey, progress: progress)
            partTable = trained.table
            abstractLosses = trained.epochLosses
        }
        let table = try smoothed(partVectors: partTable, partition: partition, graph: graph)
        return PartitionInitializationResult(
            table: table, partition: partition, abstractGraph: abstract, partVectors: partTable, abstractLosses: abstractLosses)
    }

    /// Steps 4–5: h_v = e_{part(v)}, then ``rounds`` rounds of h ← (1−α)h + α·mean over
    /// neighbours (``GraphPropagation/mean`` of the symmetrized graph; isolated nodes unchanged).
    public func smoothed(partVectors: Tensor, partition: GraphPartition, graph: Graph) throws -> Tensor {
        guard partVectors.rank == 2, partVectors.shape[0] == partition.partCount, partition.parts.count == graph.nodeCount else {
            throw InitiumError.invalidShape(
                operation: "partition initialization", shape: partVectors.shape,
                reason: "needs one vector per part (\(partition.partCount)) and a partition of the graph's \(graph.nodeCount) nodes")
        }
        let d = partVectors.shape[1]
        var table = try partVectors.indexSelect(axis: 0, partition.parts.map(Int.init))
        guard rounds > 0, alpha > 0 else { return table }
        let undirected = try Graph(adjacency: graph.isSymmetric ? graph.adjacency : Self.symmetrized(graph.adjacency))
        let mean = undirected.propagation(.mean)
        let hasNeighbours = mean.rowSums.map { $0 > 0 }
        for _ in 0..<rounds {
            let neighbourMeans = try Tensor.sparseProduct(mean, table).detached()
            table.withUnsafeMutableBufferPointer { h in
                neighbourMeans.withUnsafeBufferPointer { m in
                    for v in 0..<graph.nodeCount where hasNeighbours[v] {
                        for c in (v * d)..<((v + 1) * d) { h[c] = (1 - alpha) * h[c] + alpha * m[c] }
                    }
                }
            }
        }
        return table
    }

    /// A + Aᵀ.
    static func symmetrized(_ a: SparseMatrix) throws -> SparseMatrix {
        var entries: [(row: Int, column: Int, value: Float)] = []
        entries.reserveCapacity(2 * a.entryCount)
        for i in 0..<a.rowCount {
            for e in a.entries(ofRow: i) {
                entries.append((i, Int(a.columnIndices[e]), a.values[e]))
                entries.append((Int(a.columnIndices[e]), i, a.values[e]))
            }
        }
        return try SparseMatrix(rowCount: a.rowCount, columnCount: a.columnCount, entries: entries)
    }
}

/// What ``PartitionInitialization/initialTable(for:embedder:key:)`` computed.
public struct PartitionInitializationResult: Sendable {
    /// The initial table `[nodes, dimension]`.
    public var table: Tensor
    /// The METIS partition.
    public var partition: GraphPartition
    /// The abstract graph (one node per part).
    public var abstractGraph: Graph
    /// The part vectors `[k, dimension]` (trained on the abstract graph when it has edges).
    public var partVectors: Tensor
    /// The abstract graph's training loss per epoch (empty when it has no edge).
    public var abstractLosses: [Double]
}

/// How a node-embedding table starts: `random` (LINE's U(−0.5/d, 0.5/d)) or
/// `partition(k=…,alpha=0.5,rounds=1[,epochs=E])` (``PartitionInitialization``).
public enum NodeEmbeddingInitialization: Sendable, Equatable, CustomStringConvertible {
    /// LINE's own draw (``LINEEmbedder/randomTable(nodeCount:key:)``).
    case random
    /// Lin et al.'s graph-partition initialization.
    case partition(PartitionInitialization)

    static let kind = "embedding initialization"

    /// Parses `random` or `partition(k=K,alpha=A,rounds=T,epochs=E)` (every key optional; `epochs`
    /// is the abstract graph's); a bad value throws naming the key and the valid range.
    public init(_ text: String) throws {
        let spec = try InitiumError.reportingSpecErrors { try SpecSyntax(parsing: text, kind: Self.kind) }
        switch spec.name {
        case "random":
            try InitiumError.reportingSpecErrors { try spec.requireOnly([], kind: Self.kind) }
            self = .random
        case "partition":
            let (k, alpha, rounds, epochs) = try InitiumError.reportingSpecErrors {
                try spec.requireOnly(["k", "alpha", "rounds", "epochs"], kind: Self.kind)
                return (
                    spec.value("k") == nil ? nil : try spec.integer("k", default: 1, kind: Self.kind),
                    try spec.number("alpha", default: 0.5, kind: Self.kind), try spec.integer("rounds", default: 1, kind: Self.kind),
                    spec.value("epochs") == nil ? nil : try spec.integer("epochs", default: 1, kind: Self.kind))
            }
            if let k, k < 1 {
                throw InitiumError.invalidSpec(kind: Self.kind, spec: text, reason: "k must be a positive integer, got \(k)")
            }
            if let epochs, epochs < 1 {
                throw InitiumError.invalidSpec(kind: Self.kind, spec: text, reason: "epochs must be a positive integer, got \(epochs)")
            }
            guard (0...1).contains(alpha) else {
                throw InitiumError.invalidSpec(kind: Self.kind, spec: text, reason: "alpha must be in [0, 1], got \(SpecSyntax.format(alpha))")
            }
            guard rounds >= 0 else {
                throw InitiumError.invalidSpec(kind: Self.kind, spec: text, reason: "rounds must be ≥ 0, got \(rounds)")
            }
            self = .partition(PartitionInitialization(parts: k, alpha: Float(alpha), rounds: rounds, abstractEpochs: epochs))
        default:
            throw InitiumError.invalidSpec(
                kind: Self.kind, spec: text, reason: "unknown initialization '\(spec.name)'; choose random or partition(k=…,alpha=0.5,rounds=1,epochs=…)")
        }
    }

    /// The spec as typed (defaults spelled out, k omitted when it is ⌈√N⌉).
    public var description: String {
        switch self {
        case .random: return "random"
        case let .partition(p):
            return "partition(" + (p.parts.map { "k=\($0)," } ?? "") + "alpha=\(SpecSyntax.format(p.alpha)),rounds=\(p.rounds)"
                + (p.abstractEpochs.map { ",epochs=\($0)" } ?? "") + ")"
        }
    }
}
