import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// 1-WL colour refinement run on two graphs together (one shared colour table), starting from
/// the node types: the colour histograms of the two graphs after each of `nodeCount` rounds.
private func refinementHistograms(_ a: (Graph, [Bool]), _ b: (Graph, [Bool])) -> [([Int: Int], [Int: Int])] {
    let graphs = [a, b]
    var colours = graphs.map { graph, types in types.map { $0 ? 1 : 0 } }
    var rounds: [([Int: Int], [Int: Int])] = []
    for _ in 0...max(a.0.nodeCount, b.0.nodeCount) {
        var table: [[Int]: Int] = [:]
        var next: [[Int]] = []
        for (g, (graph, _)) in graphs.enumerated() {
            next.append((0..<graph.nodeCount).map { v in
                let neighbours = graph.adjacency.entries(ofRow: v).map { colours[g][Int(graph.adjacency.columnIndices[$0])] }.sorted()
                let signature = [colours[g][v]] + neighbours
                if let colour = table[signature] { return colour }
                table[signature] = table.count
                return table.count - 1
            })
        }
        colours = next
        func histogram(_ c: [Int]) -> [Int: Int] { c.reduce(into: [:]) { $0[$1, default: 0] += 1 } }
        rounds.append((histogram(colours[0]), histogram(colours[1])))
    }
    return rounds
}

/// EXP's generator: the satisfiable graph's formula is satisfiable and the other's is not
/// (brute force on base and core separately, which share no variable), the two graphs of a pair
/// have equal node and edge counts, each core adds 4L nodes and 5L edges, and 1-WL refinement
/// gives equal colour histograms at every round (so a message-passing network cannot separate them).
@Test func expPairsAreOneWLEquivalentWithOppositeSatisfiability() throws {
    for pair in ExpDataset.generate(pairs: 12, key: RandomKey(seed: 5)) {
        #expect(ExpDataset.isSatisfiable(pair.base, variableCount: pair.baseVariables))
        let shifted = { (core: [ExpDataset.Clause]) in core.map { $0.map { ($0.variable - pair.baseVariables, $0.positive) } } }
        #expect(ExpDataset.isSatisfiable(shifted(pair.satisfiableCore), variableCount: pair.coreLength))
        #expect(!ExpDataset.isSatisfiable(shifted(pair.unsatisfiableCore), variableCount: pair.coreLength))
        #expect([4, 6, 8].contains(pair.coreLength))
        let (sat, unsat) = pair.formulas
        let g1 = try ExpDataset.graph(of: sat, variableCount: pair.variableCount)
        let g0 = try ExpDataset.graph(of: unsat, variableCount: pair.variableCount)
        let base = try ExpDataset.graph(of: pair.base, variableCount: pair.baseVariables)
        #expect(g1.graph.nodeCount == g0.graph.nodeCount && g1.graph.edgeCount == g0.graph.edgeCount)
        #expect(g1.graph.nodeCount - base.graph.nodeCount == 4 * pair.coreLength)
        #expect((g1.graph.edgeCount - base.graph.edgeCount) / 2 == 5 * pair.coreLength)
        #expect(g1.graph.adjacency != g0.graph.adjacency)
        for (round, (h1, h0)) in refinementHistograms((g1.graph, g1.isClause), (g0.graph, g0.isClause)).enumerated() {
            #expect(h1 == h0, "round \(round)")
        }
    }
}

/// The EXP dataset's protocol: 10 splits over contiguous blocks (test 120, validation 108, train
/// 972 for 600 pairs), pairs never split, classes balanced, one-hot type features per node.
@Test func expSplitsFollowTheProtocol() throws {
    for split in [0, 3, 9] {
        let (train, validation, test) = ExpDataset.splitIndices(split: split, graphCount: 1200)
        #expect(test == Array((120 * split)..<(120 * split + 120)))
        #expect(train.count == 972 && validation.count == 108)
        #expect(Set(train + validation + test).count == 1200)
        #expect(validation.first! % 2 == 0 && validation.count % 2 == 0)
    }
    let splits = try DatasetSpec("exp(split=1,pairs=100)").loadSplits(directory: nil, key: RandomKey(seed: 3))
    #expect(splits.train.count == 162 && splits.validation?.count == 18 && splits.test.count == 20)
    #expect(splits.test.labels.filter { $0 == 1 }.count == 10)
    #expect(splits.train.signature == DataSignature(exampleShape: [2], classCount: 2, graphTask: .graphs))
    let indices = splits.test.batchIndices(size: 4, shuffledWith: nil)[0]
    let batch = try #require(try splits.test.graphBatch(indices))
    let (x, y) = splits.test.batch(indices)
    #expect(batch.graphCount == 4 && x.shape == [batch.graph.nodeCount, 2] && y == [1, 0, 1, 0])
    #expect(x.scalars.enumerated().allSatisfy { $0.offset % 2 == 1 || $0.element + x.scalars[$0.offset + 1] == 1 })
}

/// The contextual SBM: balanced classes, a mean degree near d, and edges inside classes about
/// p_in/p_out = (d + λ√d)/(d − λ√d) times as frequent as across (a count of ~2,500 edges: the
/// ratio's relative standard error is a few percent; 20% is allowed).
@Test func contextualSBMHasItsDegreesAndSignal() throws {
    let p = ContextualSBM.Parameters(n: 1000, classes: 2, features: 50, mu: 4, lambda: 1, degree: 5)
    let data = try ContextualSBM.sample(p, key: RandomKey(seed: 9))
    let graph = data.graph
    #expect(abs(Double(graph.edgeCount) / 1000 - 5) < 0.5)
    var within = 0, across = 0
    for u in 0..<1000 {
        for k in graph.adjacency.entries(ofRow: u) {
            if data.labels[u] == data.labels[Int(graph.adjacency.columnIndices[k])] { within += 1 } else { across += 1 }
        }
    }
    let expected = (5 + 5.0.squareRoot()) / (5 - 5.0.squareRoot())
    #expect(abs(Double(within) / Double(across) / expected - 1) < 0.2)
    let split = try data.semiSupervisedSplit(perClass: 20, validation: 200, test: 500, key: RandomKey(seed: 1))
    #expect(split.train.count == 40 && split.validation.count == 200 && split.test.count == 500)
    #expect(Set(split.train + split.validation + split.test).count == 740)
    #expect(split.train.filter { data.labels[$0] == 0 }.count == 20)
}

/// The k-nearest-neighbour graph against brute force in Double on random points: each node is
/// joined to exactly its k nearest others (and to whoever chose it), symmetric, unweighted.
@Test func nearestNeighbourGraphMatchesBruteForce() throws {
    let points = try Tensor.uniform([60, 7], key: RandomKey(seed: 4))
    let graph = try FashionMNISTKNN.neighbourGraph(points, k: 4)
    #expect(graph.isSymmetric && graph.adjacency.values.allSatisfy { $0 == 1 })
    var expected = Set<[Int]>()
    for i in 0..<60 {
        let distances = (0..<60).filter { $0 != i }.map { j in
            (j, (0..<7).reduce(0.0) { $0 + pow(Double(points[i, $1]) - Double(points[j, $1]), 2) })
        }
        for (j, _) in distances.sorted(by: { ($0.1, $0.0) < ($1.1, $1.0) }).prefix(4) {
            expected.insert([i, j])
            expected.insert([j, i])
        }
    }
    var found = Set<[Int]>()
    for i in 0..<60 { for k in graph.adjacency.entries(ofRow: i) { found.insert([i, Int(graph.adjacency.columnIndices[k])]) } }
    #expect(found == expected)
}

/// A user graph from files, and every bad input named with its file (and line for text).
@Test func userGraphFilesAreCheckedAgainstEachOther() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("initium-user-graph-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    func write(_ name: String, _ text: String) throws -> String {
        let path = directory.appendingPathComponent(name).path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
    let features = directory.appendingPathComponent("x.npy").path
    try NumPyFile.write(try Tensor(shape: [4, 2], scalars: [1, 0, 0, 1, 1, 1, 0, 0]), to: features)
    let edges = try write("edges.txt", "# a path\n0 1\n1 2 0.5\n\n2 3\n")
    let labels = try write("labels.txt", "0\n1\n0\n1\n")
    let data = try UserGraph.load(edges: edges, features: features, labels: labels, directed: false)
    #expect(data.graph.edgeCount == 6 && data.graph.adjacency[2, 1] == 0.5 && data.classCount == 2)
    func message(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        return "no error"
    }
    let outside = try write("outside.txt", "0 1\n1 4\n")
    #expect(message { _ = try UserGraph.load(edges: outside, features: features, labels: labels, directed: false) }
        .contains("outside.txt: line 2: node 4 is outside the 4 nodes"))
    let negative = try write("negative.txt", "0 1 -2\n")
    #expect(message { _ = try UserGraph.load(edges: negative, features: features, labels: labels, directed: false) }
        .contains("negative.txt: line 1: edge weight '-2'"))
    let infinite = try write("nan.txt", "0 1\n0 2 nan\n")
    #expect(message { _ = try UserGraph.load(edges: infinite, features: features, labels: labels, directed: false) }
        .contains("nan.txt: line 2"))
    let malformed = try write("malformed.txt", "0 1\n2\n")
    #expect(message { _ = try UserGraph.load(edges: malformed, features: features, labels: labels, directed: false) }
        .contains("malformed.txt: line 2: expected 'u v [weight]'"))
    let short = try write("short.txt", "0\n1\n0\n")
    #expect(message { _ = try UserGraph.load(edges: edges, features: features, labels: short, directed: false) }
        .contains("short.txt: 3 labels for the 4 nodes"))
    let gap = try write("gap.txt", "0\n2\n0\n2\n")
    #expect(message { _ = try UserGraph.load(edges: edges, features: features, labels: gap, directed: false) }
        .contains("gap.txt: class 1 has no labelled node"))
    let word = try write("word.txt", "0\n1\nx\n1\n")
    #expect(message { _ = try UserGraph.load(edges: edges, features: features, labels: word, directed: false) }
        .contains("word.txt: line 3"))
}

/// The README's data list is the dataset registry's catalog, line for line, and every family
/// parses its own syntax.
@Test func readmeListsTheRegisteredDatasets() throws {
    let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../README.md")
    let text = try String(contentsOf: readme, encoding: .utf8)
    for line in DatasetFamily.catalog.split(separator: "\n") {
        #expect(text.contains("  " + line), "README.md lacks: \(line)")
    }
    for family in DatasetFamily.registered where !family.syntax.contains("[") && !family.syntax.contains("FILE") {
        #expect(try DatasetSpec(family.syntax).family.name == family.name)
    }
}

/// The k-nearest-neighbour graph is the same for 1 and 2 threads (the distance product and the
/// per-row selection are shared over rows), and the work really is split.
@Test func nearestNeighbourGraphIsTheSameAtOneAndTwoThreads() throws {
    let points = try Tensor.uniform([700, 12], key: RandomKey(seed: 8))
    let one = try Parallel.withThreadCount(1) { try FashionMNISTKNN.neighbourGraph(points, k: 5) }
    let (two, split) = try Parallel.withThreadCount(2) { (try FashionMNISTKNN.neighbourGraph(points, k: 5), Parallel.widestSplit) }
    #expect(one == two && split == 2)
}
