import InitiumCore

/// Zachary's karate club (W. W. Zachary, "An Information Flow Model for Conflict and Fission in
/// Small Groups", Journal of Anthropological Research 33, 452–473, 1977): 34 members of a
/// university karate club, 78 undirected friendship edges, labelled by the club each member joined
/// after the split (0: Mr. Hi's, 1: the officers'). The edges and factions are the public data as
/// NetworkX's `karate_club_graph` distributes them (its `club` attribute; an edge wherever matrix
/// E has a nonzero entry on either side), unweighted as in PyTorch Geometric's `KarateClub`.
///
/// Node classification, full-batch: features are the one-hot node id (the identity `[34, 34]`,
/// as PyG's `KarateClub`); the training nodes are the two leaders, node 0 (Mr. Hi) and node 33
/// (the club president), one per class (Kipf & Welling's semi-supervised demonstration); the
/// other 32 members are the test set.
public enum KarateClub {
    /// The number of members.
    public static let nodeCount = 34

    /// The 78 friendships (u < v, 0-based).
    public static let edges: [(Int, Int)] = [
        (0, 1), (0, 2), (0, 3), (0, 4), (0, 5), (0, 6),
        (0, 7), (0, 8), (0, 10), (0, 11), (0, 12), (0, 13),
        (0, 17), (0, 19), (0, 21), (0, 31), (1, 2), (1, 3),
        (1, 7), (1, 13), (1, 17), (1, 19), (1, 21), (1, 30),
        (2, 3), (2, 7), (2, 8), (2, 9), (2, 13), (2, 27),
        (2, 28), (2, 32), (3, 7), (3, 12), (3, 13), (4, 6),
        (4, 10), (5, 6), (5, 10), (5, 16), (6, 16), (8, 30),
        (8, 32), (8, 33), (9, 33), (13, 33), (14, 32), (14, 33),
        (15, 32), (15, 33), (18, 32), (18, 33), (19, 33), (20, 32),
        (20, 33), (22, 32), (22, 33), (23, 25), (23, 27), (23, 29),
        (23, 32), (23, 33), (24, 25), (24, 27), (24, 31), (25, 31),
        (26, 29), (26, 33), (27, 33), (28, 31), (28, 33), (29, 32),
        (29, 33), (30, 32), (30, 33), (31, 32), (31, 33), (32, 33),
    ]

    /// The faction of each member after the fission: 0 Mr. Hi's club, 1 the officers' club.
    public static let factions: [Int32] = [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0,
        0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    ]

    /// The labelled training nodes: the two leaders.
    public static let trainingNodes = [0, 33]

    /// What a model for the club reads and predicts: a node's one-hot id, 2 factions.
    public static let signature = DataSignature(exampleShape: [nodeCount], classCount: 2, graphTask: .nodes)

    /// The undirected friendship graph.
    public static func graph() throws -> Graph {
        try Graph(nodeCount: nodeCount, edges: edges.map { ($0.0, $0.1, 1) })
    }

    /// The training set (the two leaders) and the test set (every other member), named `name`.
    public static func load(name: String) throws -> DatasetSplits {
        let data = try NodeClassification(graph: graph(), features: Tensor.eye(nodeCount), labels: factions, classCount: 2)
        let testNodes = (0..<nodeCount).filter { !trainingNodes.contains($0) }
        return try data.datasets(NodeClassification.Split(train: trainingNodes, validation: [], test: testNodes), name: name)
    }
}

extension DatasetFamily {
    /// `karate`: Zachary's karate club, node classification (``KarateClub``).
    public static let karate = DatasetFamily(
        name: "karate", keys: [], syntax: "karate",
        summary: "Zachary's karate club (34 members, 78 friendships, 2 factions), node classification; "
            + "one-hot node features, trained on the two leaders, tested on the other 32",
        signature: { _ in KarateClub.signature }
    ) { parameters, _ in
        try KarateClub.load(name: parameters.description)
    }
}
