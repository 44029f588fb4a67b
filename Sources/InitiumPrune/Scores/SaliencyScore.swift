import InitiumCore
import InitiumNN

/// What a saliency score may read besides the model: a labelled batch for data-driven scores,
/// one example's shape for data-free ones, and a key for random ones.
public struct ScoringData: Sendable {
    /// Inputs `[n, …]`, or `nil` for data-free scoring.
    public var inputs: Tensor?
    /// One label per input row.
    public var labels: [Int32]?
    /// The shape of one example (SynFlow feeds a single all-ones example of this shape).
    public var exampleShape: [Int]
    /// The key for random scores.
    public var key: RandomKey
    /// For graph data: the structure of ``inputs`` (``Dataset/graphBatch(_:)``), else `nil`.
    public var graph: GraphBatch?
    /// For graph data: whether examples are nodes or graphs (data-free scores feed one isolated
    /// node, ``GraphBatch/isolatedNode(task:)``), else `nil`.
    public var graphTask: GraphTask?

    /// Scoring data; `inputs` and `labels` may be omitted for data-free scores.
    public init(inputs: Tensor? = nil, labels: [Int32]? = nil, exampleShape: [Int], key: RandomKey) {
        self.inputs = inputs
        self.labels = labels
        self.exampleShape = exampleShape
        self.key = key
    }

    /// `n` examples of `dataset` drawn without replacement with `key` (Synaptic-Flow's prune
    /// loader: `prune_dataset_ratio · classes` random training examples, 10 per class by default).
    public static func sample(_ n: Int, from dataset: Dataset, key: RandomKey) throws -> ScoringData {
        guard n >= 1 else { throw InitiumError.invalidArgument("the scoring batch needs at least one example, got \(n)") }
        let indices = dataset.randomIndices(n, key: key.fold("scoring-batch"))
        let (x, y) = dataset.batch(indices)
        var data = ScoringData(inputs: x, labels: y, exampleShape: dataset.exampleShape, key: key)
        data.graph = try dataset.graphBatch(indices)
        data.graphTask = dataset.graph?.task
        return data
    }

    /// The labelled batch, or an error naming the score that needs it.
    func labelledBatch(for score: String) throws -> (inputs: Tensor, labels: [Int32]) {
        guard let inputs, let labels else {
            throw InitiumError.invalidArgument("\(score) needs a labelled batch of training data")
        }
        return (inputs, labels)
    }
}

/// A saliency score: one number per prunable weight, larger meaning more important. Pruning
/// methods and zero-cost proxies are both built from scores (Synaptic-Flow `Pruners/pruners.py`,
/// zero-cost-nas `foresight/pruners/measures`): a pruner keeps the top scores, a proxy sums them.
///
/// Scores are computed on the model as it is, masks in effect: removed weights are exactly zero
/// and gradients are taken as ∂L/∂(w⊙m), zero at removed entries, as in `torch.nn.utils.prune`.
public protocol SaliencyScore: Sendable {
    /// The name users type (`snip`).
    var name: String { get }
    /// Whether the score reads a labelled batch.
    var needsData: Bool { get }
    /// One score tensor per weight, each of its weight's shape.
    func scores(model: any Module, weights: [PrunableWeight], data: ScoringData) throws -> [Tensor]
}

/// The pruning-at-initialization methods by the names `initium prune --method` accepts.
public enum PruningMethod: String, Sendable, Codable, CaseIterable {
    /// Uniformly random scores (Synaptic-Flow `Rand`).
    case random
    /// |θ| (Synaptic-Flow `Mag`; Han et al. 2015).
    case magnitude
    /// |θ ⊙ ∇L| (Lee et al., ICLR 2019).
    case snip
    /// θ ⊙ Hg on logits/200 (Wang et al., ICLR 2020).
    case grasp
    /// |θ ⊙ ∂R/∂θ| on |θ| and an all-ones input (Tanaka et al., NeurIPS 2020).
    case synflow
    /// Entries sampled without replacement with probability ∝ the SynFlow score, the randomized
    /// mask of Bar & Giryes, "Pruning at Initialization — A Sketching Perspective", 2023 (``SketchScore``).
    case sketch

    /// Parses a method name; throws with the list of methods.
    public init(parsing name: String) throws {
        guard let method = PruningMethod(rawValue: name.lowercased()) else {
            throw InitiumError.invalidArgument(
                "unknown pruning method '\(name)'; choose " + PruningMethod.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self = method
    }

    /// The score, as Synaptic-Flow configures it for pruning (eval mode, GraSP's T = 200).
    public var score: any SaliencyScore {
        switch self {
        case .random: return RandomScore()
        case .magnitude: return MagnitudeScore()
        case .snip: return SNIPScore()
        case .grasp: return GraSPScore()
        case .synflow: return SynFlowScore()
        case .sketch: return SketchScore()
        }
    }

    /// Pruning rounds by default: 100 for SynFlow (Synaptic-Flow `--prune-epochs 100` in
    /// `Results/data/*/args.json`) and for the sketch over it (a fresh sample each round, so
    /// layers do not collapse), 1 (single shot) for the others, as in the SynFlow paper.
    public var defaultRounds: Int { self == .synflow || self == .sketch ? 100 : 1 }
}
