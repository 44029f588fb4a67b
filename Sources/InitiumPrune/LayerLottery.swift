import Foundation
import InitiumCore
import InitiumInit
import InitiumNN

/// One unit a layer-level ticket keeps or removes: a weighted layer with the activation,
/// normalization and dropout that follow it, or a residual block; pooling and reshaping are
/// units that are never removed.
public struct LayerUnit: Sendable, Codable, Equatable {
    /// The unit's name: the path of its first module (`layers.2`, `conv2`, `stages.1.blocks.0`).
    public var name: String
    /// The paths of its modules, in order.
    public var modules: [String]
    /// The shape of one example entering and leaving it.
    public var inputShape: [Int], outputShape: [Int]
    /// Whether it can be replaced by the identity: it has weights, is not the classifier, and
    /// maps its input shape to the same shape.
    public var removable: Bool
    /// Its parameters.
    public var parameterCount: Int
    /// The criterion's mean score per weight at initialization (removable units only).
    public var score: Double?

    enum CodingKeys: String, CodingKey {
        case name, modules, inputShape = "input_shape", outputShape = "output_shape", removable
        case parameterCount = "parameter_count", score
    }
}

/// A sequential network with some of its units removed, i.e. replaced by the identity: the
/// remaining modules of the original (the same objects, so the same weights) run in order,
/// under their original paths, so parameters keep their names (`layers.4.weight`).
final class LayerSkippingNetwork: SequentialModule {
    let children: [(name: String, module: any Module)]

    init(_ modules: [(name: String, module: any Module)]) { children = modules }
}

/// "When layers play the lottery": tickets made of whole layers, found at initialization.
///
/// Jordão, de Araújo, de Almeida Maia & Pedrini, "When Layers Play the Lottery, all Tickets Win
/// at Initialization", ICCV Workshops 2023: score every removable layer (the paper's residual
/// blocks) of the freshly initialized network with a data-driven pruning-at-initialization
/// criterion (GraSP-style), remove the lowest-scored ones, and train the shallower network from
/// the original initialization; the paper finds such tickets match the dense network while
/// training faster.
///
/// Here a unit is removable when it has weights, is not the classifier, and maps an example's
/// shape to itself (a 64→64 convolution with "same" padding, a 256→256 fully connected layer, a
/// residual block without a projection), so removing it leaves a network that still runs. A
/// unit's score is the mean over its weights of the criterion's per-weight score
/// (``PruningMethod/score``, GraSP by default) on the scoring batch; the paper's exact
/// aggregation is not public as code. Level k removes the k lowest-scored units (k = 0 … K, K
/// removable units or ``maximumRemoved``); every level trains θ₀ restricted to its units, and
/// the control removes the same number of units chosen at random
/// (`RandomKey(seed:).fold("random-layers.k")`).
///
/// The model must run its layers in sequence (``SequentialModule``, nested to any depth: the MLP,
/// LeNet and lottery-ticket convnet families); blocks inside are units of their own.
public struct LayerLotteryStudy: Sendable {
    /// The per-weight criterion whose mean scores each unit.
    public var criterion: PruningMethod
    /// The most units removed (nil: all removable ones).
    public var maximumRemoved: Int?
    /// Whether to train the random-removal control at each level ≥ 1.
    public var runsControls: Bool
    /// Builds θ₀ from `RandomKey(seed:)`.
    public var recipe: ModelRecipe
    /// The training run of every level (data order of the seed).
    public var training: TrainingConfiguration
    /// The seed of θ₀, the scoring batch and the data order.
    public var seed: UInt64
    /// Examples in the scoring batch (nil: 10 per class).
    public var scoringSamples: Int?

    /// A study.
    public init(
        criterion: PruningMethod = .grasp, maximumRemoved: Int? = nil, runsControls: Bool = true, recipe: ModelRecipe,
        training: TrainingConfiguration, seed: UInt64, scoringSamples: Int? = nil
    ) {
        self.criterion = criterion
        self.maximumRemoved = maximumRemoved
        self.runsControls = runsControls
        self.recipe = recipe
        self.training = training
        self.seed = seed
        self.scoringSamples = scoringSamples
    }

    /// The modules of `model` in the order its forward pass runs them, with their paths: the
    /// children of sequential containers, recursively. Throws unless `model` is sequential.
    public static func sequence(of model: any Module, name: String) throws -> [(path: String, module: any Module)] {
        guard model is any SequentialModule else {
            throw InitiumError.invalidArgument(
                "layer-level pruning needs a model whose layers run in sequence (mlp, lenet300, lenet5, conv2/4/6, vgg); \(name) runs its own forward pass")
        }
        func leaves(_ module: any Module, _ path: String) -> [(path: String, module: any Module)] {
            guard module is any SequentialModule else { return [(path, module)] }
            return module.children.flatMap { leaves($0.module, path.isEmpty ? $0.name : path + "." + $0.name) }
        }
        return leaves(model, "")
    }

    /// The units of `model`, with their shapes measured on one example of `exampleShape`.
    public static func units(of model: any Module, name: String, exampleShape: [Int]) throws -> [LayerUnit] {
        let modules = try sequence(of: model, name: name)
        var groups: [[(path: String, module: any Module)]] = []
        for entry in modules {
            switch entry.module.kind {
            case .activation, .normalization, .dropout:
                if groups.isEmpty { groups.append([entry]) } else { groups[groups.count - 1].append(entry) }
            default:
                groups.append([entry])
            }
        }
        var x = Tensor.zeros([1] + exampleShape)
        let context = ForwardContext(mode: .inference)
        return try groups.map { group in
            let input = Array(x.shape.dropFirst())
            for (_, module) in group { x = try module.forward(x, context: context) }
            let output = Array(x.shape.dropFirst())
            let first = group[0].module
            let hasWeights = first.kind == .weighted || first.kind == .block
            let isClassifier = group.contains { $0.module.namedModules.contains { $0.module.roles.contains(.classifier) } }
            return LayerUnit(
                name: group[0].path, modules: group.map(\.path), inputShape: input, outputShape: output,
                removable: hasWeights && !isClassifier && input == output,
                parameterCount: group.reduce(0) { $0 + $1.module.parameterCount }, score: nil)
        }
    }

    /// θ₀ with the units named in `removed` replaced by the identity.
    func network(removing removed: Set<String>, units: [LayerUnit], train: Dataset) throws -> any Module {
        let model = try recipe.make(key: RandomKey(seed: seed), for: train, batchSize: training.batchSize)
        let byPath = Dictionary(uniqueKeysWithValues: try Self.sequence(of: model, name: recipe.model.text).map { ($0.path, $0.module) })
        let kept = units.filter { !removed.contains($0.name) }.flatMap(\.modules)
        return LayerSkippingNetwork(try kept.map { path in
            guard let module = byPath[path] else { throw InitiumError.internalFailure("layer lottery: no module at \(path)") }
            return (path, module)
        })
    }

    /// Scores the units of θ₀, then trains every level (and control); `completed` is called as
    /// each level finishes.
    public func run(
        train: Dataset, test: Dataset, progress: ((Int, Bool, TrainingProgress) -> Void)? = nil,
        completed: ((LayerLotteryLevel) -> Void)? = nil
    ) throws -> LayerLotteryResult {
        let key = RandomKey(seed: seed)
        let model = try recipe.make(key: key, for: train, batchSize: training.batchSize)
        var units = try Self.units(of: model, name: recipe.model.text, exampleShape: train.exampleShape)
        let removable = units.indices.filter { units[$0].removable }
        if let maximumRemoved, maximumRemoved < 0 {
            throw InitiumError.invalidArgument("`maximumRemoved` must be ≥ 0, got \(maximumRemoved)")
        }
        if !removable.isEmpty {
            let weights = try PrunableSelection.allWeights.weights(of: model)
            let data = try ScoringData.sample(scoringSamples ?? 10 * train.classCount, from: train, key: key.fold("prune"))
            let scores = try criterion.score.scores(model: model, weights: weights, data: data)
            for i in removable {
                let prefixes = units[i].modules
                var sum = 0.0, count = 0
                for (weight, score) in zip(weights, scores)
                where prefixes.contains(where: { weight.layerPath == $0 || weight.layerPath.hasPrefix($0 + ".") }) {
                    score.withUnsafeBufferPointer { p in for v in p { sum += Double(v) } }
                    count += score.count
                }
                units[i].score = count > 0 ? sum / Double(count) : 0
            }
        }
        let order = removable.sorted { (units[$0].score ?? 0, $0) < (units[$1].score ?? 0, $1) }.map { units[$0].name }
        let levelCount = Swift.min(maximumRemoved ?? order.count, order.count)
        var configuration = training.dataOrder(ofSeed: seed)
        configuration.evaluatesEveryEpoch = false
        let weightedLayers = units.filter { $0.parameterCount > 0 }.count

        func trainLevel(_ removed: Set<String>, level: Int, control: Bool) throws -> (accuracy: Double, parameters: Int, seconds: Double) {
            let network = try network(removing: removed, units: units, train: train)
            let result = try Trainer(model: network, configuration: configuration).run(
                train: train, test: test, progress: progress.map { p in { p(level, control, $0) } })
            return (result.testAccuracy, network.parameterCount, result.trainingSeconds)
        }
        var levels: [LayerLotteryLevel] = []
        for k in 0...levelCount {
            let removed = Array(order.prefix(k))
            let ticket = try trainLevel(Set(removed), level: k, control: false)
            var level = LayerLotteryLevel(
                removed: k, layersKept: weightedLayers - k, removedLayers: removed, parameters: ticket.parameters,
                testAccuracy: ticket.accuracy, trainingSeconds: ticket.seconds, randomRemovalAccuracy: nil, randomRemovedLayers: nil)
            if runsControls && k >= 1 {
                let shuffled = Tensor.permutation(order.count, key: key.fold("random-layers.\(k)")).prefix(k).map { order[$0] }
                level.randomRemovedLayers = shuffled
                level.randomRemovalAccuracy = try trainLevel(Set(shuffled), level: k, control: true).accuracy
            }
            levels.append(level)
            completed?(level)
        }
        return LayerLotteryResult(criterion: criterion.rawValue, units: units, levels: levels)
    }
}

/// One level of a layer-level lottery study: k units removed.
public struct LayerLotteryLevel: Sendable, Codable, Equatable {
    /// Units removed (k).
    public var removed: Int
    /// Units with weights kept.
    public var layersKept: Int
    /// The removed units, lowest score first.
    public var removedLayers: [String]
    /// Parameters of the trained network.
    public var parameters: Int
    /// The ticket's test accuracy.
    public var testAccuracy: Double
    /// Seconds of training.
    public var trainingSeconds: Double
    /// The random-removal control's test accuracy (k ≥ 1 with controls).
    public var randomRemovalAccuracy: Double?
    /// The units the control removed.
    public var randomRemovedLayers: [String]?

    enum CodingKeys: String, CodingKey {
        case removed, layersKept = "layers_kept", removedLayers = "removed_layers", parameters
        case testAccuracy = "test_accuracy", trainingSeconds = "training_seconds"
        case randomRemovalAccuracy = "random_removal_accuracy", randomRemovedLayers = "random_removed_layers"
    }
}

/// The outcome of a ``LayerLotteryStudy``.
public struct LayerLotteryResult: Sendable, Codable, Equatable {
    /// The criterion's name.
    public var criterion: String
    /// Every unit of the network, with scores for the removable ones.
    public var units: [LayerUnit]
    /// Level 0 (dense) to K.
    public var levels: [LayerLotteryLevel]
}
