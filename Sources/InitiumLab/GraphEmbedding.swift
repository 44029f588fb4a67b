import Foundation
import InitiumCore
import InitiumInit
import InitiumNN

/// A node-embedding experiment (`initium embed-graph`): learn one vector per node of a graph
/// dataset from its structure alone (``LINEEmbedder``, from a random or a graph-partition table,
/// ``NodeEmbeddingInitialization``), then evaluate it by node classification (a ``LinearProbe``
/// trained on the split's training nodes, accuracy on its test nodes) and link prediction (AUC on
/// edges held out before anything is computed, ``LinkPredictionSplit``).
///
/// Keys: the held-out edges from `key.fold("link-prediction")`, the initial table from
/// `key.fold("initialization")` (for the partition, METIS's seed and the abstract graph's
/// training too), training from `key.fold("training")`, the probe from `key.fold("probe")`: the
/// random and the partition arm of one seed hold out the same edges and shuffle alike.
public struct GraphEmbedding: Sendable {
    /// The graph dataset (a node-classification task: karate, csbm, fashion-mnist-knn, graph(...)).
    public var data: DataRecipe
    /// The embedder (dimension, epochs, batch, rate, negatives).
    public var embedder: LINEEmbedder
    /// How the table starts.
    public var initialization: NodeEmbeddingInitialization
    /// The fraction of undirected edges held out for link prediction (Initium's default 0.1).
    public var heldOutFraction: Double
    /// The probe.
    public var probe: LinearProbe
    /// The run's root key.
    public var key: RandomKey

    /// An experiment.
    public init(
        data: DataRecipe, embedder: LINEEmbedder, initialization: NodeEmbeddingInitialization, heldOutFraction: Double = 0.1,
        probe: LinearProbe = LinearProbe(), key: RandomKey
    ) {
        self.data = data
        self.embedder = embedder
        self.initialization = initialization
        self.heldOutFraction = heldOutFraction
        self.probe = probe
        self.key = key
    }

    /// What is being trained when `progress` is called.
    public enum Stage: String, Sendable {
        /// The partition initialization's abstract graph.
        case abstractGraph = "abstract graph"
        /// The graph itself.
        case graph
    }

    /// Loads the data, embeds and evaluates; `progress` sees every training step, of the
    /// abstract graph (partition initialization) and of the graph.
    public func run(progress: ((Stage, TrainingProgress) -> Void)? = nil) throws -> GraphEmbeddingResult {
        try embedder.validate()
        let (train, test) = try data.load(key: key.fold("data"))
        guard case let .nodes(whole, trainNodes)? = train.graph, case let .nodes(_, testNodes)? = test.graph else {
            throw InitiumError.invalidArgument(
                "graph embedding needs a node-classification graph dataset (karate, csbm(...), fashion-mnist-knn(...), graph(...)), got '\(data)'")
        }
        let graph = whole.graph
        let split = try LinkPredictionSplit(graph, fraction: heldOutFraction, key: key.fold("link-prediction"))
        let began = DispatchTime.now()
        let initialKey = key.fold("initialization")
        var table: Tensor
        var partition: GraphPartition?
        switch initialization {
        case .random:
            table = try embedder.randomTable(nodeCount: graph.nodeCount, key: initialKey)
        case let .partition(recipe):
            let made = try recipe.initialTable(
                for: split.trainingGraph, embedder: embedder, key: initialKey, progress: progress.map { report in { report(.abstractGraph, $0) } })
            table = made.table
            partition = made.partition
        }
        let initializationSeconds = Self.seconds(since: began)
        let initialAUC = split.areaUnderCurve(table: table)
        var aucCurve: [Double] = [], epochSeconds: [Double] = []
        var evaluationNanoseconds: UInt64 = 0
        let trained = try embedder.train(
            split.trainingGraph, from: table, key: key.fold("training"), progress: progress.map { report in { report(.graph, $0) } }
        ) { _, current in
            let start = DispatchTime.now()
            epochSeconds.append(Self.seconds(since: began) - Double(evaluationNanoseconds) / 1e9)
            if let auc = split.areaUnderCurve(table: current) { aucCurve.append(auc) }
            evaluationNanoseconds += DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds
        }
        let seconds = Self.seconds(since: began) - Double(evaluationNanoseconds) / 1e9
        table = trained.table
        let accuracy = try probe.accuracy(
            table: table, trainNodes: trainNodes, trainLabels: train.labels, testNodes: testNodes, testLabels: test.labels,
            classCount: train.classCount, key: key.fold("probe"))
        return GraphEmbeddingResult(
            table: table, data: data.description, initialization: initialization.description, nodes: graph.nodeCount,
            trainingEdges: split.trainingEdgeCount,
            heldOutEdges: split.heldOutEdges.count, dimension: embedder.dimension, epochs: embedder.epochs, steps: trained.steps,
            nodeAccuracy: accuracy, linkAUC: split.areaUnderCurve(table: table), initialLinkAUC: initialAUC,
            lossCurve: trained.epochLosses, linkAUCCurve: aucCurve, epochSeconds: epochSeconds, seconds: seconds, initializationSeconds: initializationSeconds,
            trainingSeconds: trained.seconds, parts: partition?.partCount, edgeCut: partition?.edgeCut)
    }

    private static func seconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    }
}

/// What a ``GraphEmbedding`` run measured (the JSON of `initium embed-graph`).
public struct GraphEmbeddingResult: Sendable, Encodable {
    /// The trained table `[nodes, dimension]` (written to `.npy`, not encoded).
    public var table: Tensor
    /// The dataset and the initialization, as typed.
    public var data: String, initialization: String
    /// Nodes, undirected training edges (held-out edges excluded) and held-out edges.
    public var nodes: Int, trainingEdges: Int, heldOutEdges: Int
    /// The embedding dimension, epochs and optimizer steps on the real graph.
    public var dimension: Int, epochs: Int, steps: Int
    /// The linear probe's test accuracy.
    public var nodeAccuracy: Double
    /// The link-prediction AUC of the trained table (`nil` with nothing held out) and of the initial table.
    public var linkAUC: Double?, initialLinkAUC: Double?
    /// The mean training loss of every epoch on the real graph.
    public var lossCurve: [Double]
    /// The link-prediction AUC after every epoch (empty with nothing held out) and the seconds
    /// of initialization plus training at the end of every epoch (its AUC computation excluded):
    /// the time a run takes to reach a given quality.
    public var linkAUCCurve: [Double], epochSeconds: [Double]
    /// Wall-clock seconds of initialization plus training (evaluation excluded), and of each.
    public var seconds: Double, initializationSeconds: Double, trainingSeconds: Double
    /// For the partition initialization: the number of parts and the edge cut.
    public var parts: Int?, edgeCut: Int?

    enum CodingKeys: String, CodingKey {
        case data, initialization, nodes, trainingEdges = "training_edges", heldOutEdges = "held_out_edges", dimension, epochs, steps
        case nodeAccuracy = "node_accuracy", linkAUC = "link_auc", initialLinkAUC = "initial_link_auc", lossCurve = "loss_curve"
        case linkAUCCurve = "link_auc_curve", epochSeconds = "epoch_seconds"
        case seconds, initializationSeconds = "initialization_seconds", trainingSeconds = "training_seconds", parts, edgeCut = "edge_cut"
    }
}
