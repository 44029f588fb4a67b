import InitiumCore

/// EXP (Abboud, Ceylan, Grohe & Lukasiewicz, "The Surprising Power of Graph Neural Networks with
/// Random Node Initialization", IJCAI 2021): pairs of graphs encoding CNF formulas, one satisfiable
/// (label 1) and one not (label 0), that 1-WL colour refinement — and so every plain
/// message-passing network — cannot tell apart.
///
/// Generated in Swift from a key, following the reproduction recipe of the project's spec
/// (graphs-inr-meta.md §1.5; the paper's generator also requires planarity via plantri, which is
/// dropped here: it is not byte-identical to the released data, the labels and the 1-WL
/// indistinguishability do not depend on it). For each pair p:
/// 1. Base formula: n_var ~ U{6..10} variables and n_cls ~ U{4..7} clauses, each of width
///    U{2..min(5, n_var)} over distinct variables with random polarities; duplicate clauses
///    (same literal set) dropped; redrawn until satisfiable (brute force).
/// 2. Core on L = 2·U{2..4} fresh variables y₀…y_{L−1}, with the bridge (y_m ∨ y_{L−1−m}),
///    (¬y_m ∨ ¬y_{L−1−m}) for m < L/2: the UNSAT core adds the implication cycle (¬y_k ∨ y_{k+1 mod L})
///    over all L (every y equal, yet bridged pairs must differ); the SAT core a forward cycle over
///    the first half and a backward cycle (¬z_k ∨ z_{k−1}) over the second (first half true, second
///    false). Each core has 4L nodes and 5L edges.
/// 3. Graph 2p = base ∪ SAT core (label 1), graph 2p + 1 = base ∪ UNSAT core (label 0).
///
/// Graph encoding: a node per positive literal and per negative literal (variable k: nodes 2k and
/// 2k + 1), then a node per clause; undirected edges literal–clause for each occurrence and
/// x_k — ¬x_k. Node features: one-hot type, `[1, 0]` clause, `[0, 1]` literal.
///
/// Protocol (§1.2): split i of 10 tests graphs [120i, 120(i+1)); of the other 1,080, in order, the
/// block [108i, 108(i+1)) validates and the remaining 972 train; other `pairs` (multiples of 100)
/// scale the blocks (``splitIndices(split:graphCount:)``), which always hold whole pairs.
public enum ExpDataset {
    /// A clause: literals as (variable, positive).
    public typealias Clause = [(variable: Int, positive: Bool)]

    /// One generated formula pair: the shared base, the two cores and their variable count.
    public struct Pair: Sendable {
        /// Variables of the base (the core's start after them).
        public var baseVariables: Int
        /// The base's clauses.
        public var base: [Clause]
        /// Core length L (its variables are baseVariables..<baseVariables + L).
        public var coreLength: Int
        /// The satisfiable and unsatisfiable cores.
        public var satisfiableCore: [Clause], unsatisfiableCore: [Clause]

        /// All variables of either formula.
        public var variableCount: Int { baseVariables + coreLength }
        /// base ∪ SAT core, base ∪ UNSAT core.
        public var formulas: (satisfiable: [Clause], unsatisfiable: [Clause]) {
            (base + satisfiableCore, base + unsatisfiableCore)
        }
    }

    /// The `pairs` formula pairs drawn from `key`.
    public static func generate(pairs: Int, key: RandomKey) -> [Pair] {
        (0..<pairs).map { p in pair(draws: KeyedDraws(key: key.fold("pair").fold(p))) }
    }

    /// One pair from a stream of draws.
    static func pair(draws: KeyedDraws) -> Pair {
        var variables = 0
        var base: [Clause] = []
        repeat {
            variables = draws.integer(6...10)
            let clauseCount = draws.integer(4...7)
            var seen = Set<[Int]>()
            base = []
            for _ in 0..<clauseCount {
                let width = draws.integer(2...min(5, variables))
                var pool = Array(0..<variables)
                var clause: Clause = []
                for _ in 0..<width {
                    let variable = pool.remove(at: draws.integer(0...(pool.count - 1)))
                    clause.append((variable, draws.integer(0...1) == 1))
                }
                let signature = clause.map { 2 * $0.variable + ($0.positive ? 0 : 1) }.sorted()
                if seen.insert(signature).inserted { base.append(clause) }
            }
        } while !isSatisfiable(base, variableCount: variables)
        let length = 2 * draws.integer(2...4)
        let y = { (k: Int) in variables + k }
        let half = length / 2
        var bridges: [Clause] = []
        for m in 0..<half {
            bridges.append([(y(m), true), (y(length - 1 - m), true)])
            bridges.append([(y(m), false), (y(length - 1 - m), false)])
        }
        let unsatisfiable = (0..<length).map { k -> Clause in [(y(k), false), (y((k + 1) % length), true)] } + bridges
        let forward = (0..<half).map { k -> Clause in [(y(k), false), (y((k + 1) % half), true)] }
        let backward = (0..<half).map { k -> Clause in [(y(half + k), false), (y(half + (k + half - 1) % half), true)] }
        return Pair(
            baseVariables: variables, base: base, coreLength: length, satisfiableCore: forward + backward + bridges,
            unsatisfiableCore: unsatisfiable)
    }

    /// Whether some assignment of `variableCount` variables satisfies every clause (brute force;
    /// the formulas here have at most 18 variables, and callers split base and core).
    public static func isSatisfiable(_ clauses: [Clause], variableCount: Int) -> Bool {
        precondition(variableCount <= 24, "brute force over \(variableCount) variables")
        for assignment in 0..<(1 << variableCount) {
            let satisfied = clauses.allSatisfy { clause in
                clause.contains { literal in ((assignment >> literal.variable) & 1 == 1) == literal.positive }
            }
            if satisfied { return true }
        }
        return false
    }

    /// The graph of a formula over `variableCount` variables (see the type's documentation) and
    /// each node's type feature.
    public static func graph(of clauses: [Clause], variableCount: Int) throws -> (graph: Graph, isClause: [Bool]) {
        let literals = 2 * variableCount
        var edges: [(u: Int, v: Int, weight: Float)] = (0..<variableCount).map { (2 * $0, 2 * $0 + 1, 1) }
        for (index, clause) in clauses.enumerated() {
            for literal in clause { edges.append((2 * literal.variable + (literal.positive ? 0 : 1), literals + index, 1)) }
        }
        let graph = try Graph(nodeCount: literals + clauses.count, edges: edges)
        return (graph, (0..<graph.nodeCount).map { $0 >= literals })
    }

    /// Split `split`'s (0..<10) training, validation and test graph indices among `graphCount`
    /// (a multiple of 200): test [t·i, t·(i+1)) with t = graphCount/10; of the rest in order,
    /// validation [v·i, v·(i+1)) with v = (graphCount − t)/10; the remainder trains.
    public static func splitIndices(split: Int, graphCount: Int) -> (train: [Int], validation: [Int], test: [Int]) {
        let testSize = graphCount / 10
        let test = Array((testSize * split)..<(testSize * (split + 1)))
        let rest = (0..<graphCount).filter { $0 < test.first! || $0 > test.last! }
        let validationSize = rest.count / 10
        let validation = Array(rest[(validationSize * split)..<(validationSize * (split + 1))])
        let train = rest.filter { $0 < validation.first! || $0 > validation.last! }
        return (train, validation, test)
    }

    /// The splits of `pairs` generated pairs (graphs 2p: SAT, label 1; 2p + 1: UNSAT, label 0).
    public static func load(pairs: Int, split: Int, key: RandomKey, name: String) throws -> DatasetSplits {
        var graphs: [Graph] = [], types: [[Bool]] = [], labels: [Int32] = []
        for pair in generate(pairs: pairs, key: key) {
            let (satisfiable, unsatisfiable) = pair.formulas
            for (formula, label) in [(satisfiable, Int32(1)), (unsatisfiable, Int32(0))] {
                let (graph, isClause) = try graph(of: formula, variableCount: pair.variableCount)
                graphs.append(graph)
                types.append(isClause)
                labels.append(label)
            }
        }
        let (train, validation, test) = splitIndices(split: split, graphCount: graphs.count)
        func set(_ indices: [Int]) throws -> Dataset {
            let chosen = indices.map { graphs[$0] }
            let flags = indices.flatMap { types[$0] }
            let features = try Tensor(shape: [flags.count, 2], scalars: flags.flatMap { $0 ? [1, 0] : [0, 1] })
            return try Dataset(
                nodeFeatures: features, labels: indices.map { labels[$0] }, classCount: 2, name: name,
                graph: .graphTask(chosen))
        }
        return DatasetSplits(train: try set(train), validation: try set(validation), test: try set(test))
    }

    /// A spec's `split` and `pairs`, validated.
    static func parameters(_ spec: DatasetParameters) throws -> (split: Int, pairs: Int) {
        let split = try spec.integer("split", default: 0), pairs = try spec.integer("pairs", default: 600)
        guard (0..<10).contains(split) else { throw spec.invalid("'split' must be in 0..<10, got \(split)") }
        guard pairs >= 100, pairs % 100 == 0, pairs <= 10_000 else {
            throw spec.invalid("'pairs' must be a multiple of 100 between 100 and 10000 (so the 10 split blocks hold whole pairs), got \(pairs)")
        }
        return (split, pairs)
    }
}

/// Uniform integers from a key: Philox4x32 blocks at counters 0, 1, 2, … (four words each).
final class KeyedDraws {
    private let key: (UInt32, UInt32)
    private var counter: UInt32 = 0
    private var buffer: [UInt32] = []

    init(key: RandomKey) { self.key = (key.words.x, key.words.y) }

    /// A uniform integer in `range` (a 32-bit word scaled by the range: bias below 2⁻²⁹ here).
    func integer(_ range: ClosedRange<Int>) -> Int {
        if buffer.isEmpty {
            let block = Philox4x32.block(counter: (counter, 0, 0, 0), key: key)
            counter += 1
            buffer = [block.3, block.2, block.1, block.0]
        }
        let word = UInt64(buffer.removeLast())
        return range.lowerBound + Int((word * UInt64(range.count)) >> 32)
    }
}

extension DatasetFamily {
    /// `exp(split=0,pairs=600)` (``ExpDataset``).
    public static let exp = DatasetFamily(
        name: "exp", keys: ["split", "pairs"], syntax: "exp(split=0,pairs=600)",
        summary: "EXP (Abboud et al. 2021): pairs of 1-WL-indistinguishable CNF graphs, satisfiable or not, generated "
            + "from the seed; graph classification, split i of 10 (972 train, 108 validation, 120 test graphs)",
        signature: { spec in
            _ = try ExpDataset.parameters(spec)
            return DataSignature(exampleShape: [2], classCount: 2, graphTask: .graphs)
        }
    ) { spec, source in
        let (split, pairs) = try ExpDataset.parameters(spec)
        return try ExpDataset.load(pairs: pairs, split: split, key: source.key, name: spec.description)
    }
}
