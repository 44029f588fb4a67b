import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// A stand-in for an embedding table: a weighted module whose weight is looked up, marked by role.
private final class TableStandIn: Module {
    let weight = Parameter(Tensor(shape: [5, 3], repeating: 1))
    var localParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }
    var roles: Set<LayerRole> { [.embedding] }
    var kind: LayerKind { .weighted }
    func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor { input }
}

/// Linear (weight, bias), LayerNorm (weight, bias) and an embedding table, every value 1, every
/// gradient 0: one AdamW step moves only what decays, by w·(1 − ηλ).
private func modelAfterOneDecayStep(decaysAll: Bool) throws -> [String: Float] {
    let model = Sequential([Linear(3, 2, scope: Scope(key: RandomKey(seed: 1))), try LayerNorm([2]), TableStandIn()])
    for p in model.parameters {
        p.value = Tensor(shape: p.shape, repeating: 1)
        p.gradient = Tensor(shape: p.shape, repeating: 0)
    }
    let configuration = OptimizerConfiguration(kind: .adamw, learningRate: 0.1, weightDecay: 0.5, decaysAllParameters: decaysAll)
    try configuration.makeOptimizer(for: model).step(model.parameters)
    return Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.path, $0.parameter.value[flat: 0]) })
}

@Test func weightDecayAppliesOnlyToWeightsOfWeightedLayersByDefault() throws {
    let values = try modelAfterOneDecayStep(decaysAll: false)
    let decayed: Float = 1 * (1 - 0.1 * 0.5)
    #expect(values == ["0.weight": decayed, "0.bias": 1, "1.weight": 1, "1.bias": 1, "2.weight": 1])
}

@Test func decayingAllParametersDecaysBiasesNormsAndEmbeddings() throws {
    let values = try modelAfterOneDecayStep(decaysAll: true)
    let decayed: Float = 1 * (1 - 0.1 * 0.5)
    #expect(values.values.allSatisfy { $0 == decayed } && values.count == 5)
    #expect(throws: InitiumError.self) {
        try OptimizerConfiguration(kind: .adamw, learningRate: 0.1, decaysAllParameters: true).validate()
    }
}

/// SGD without momentum moves w by −η·m·g: multiplier 0 leaves the parameter where it is, 0.5
/// moves it half as far as multiplier 1; a path that is not a parameter is refused by name.
@Test func learningRateMultipliersScaleEachParametersStep() throws {
    let model = Sequential([Linear(2, 2, scope: Scope(key: RandomKey(seed: 1)))])
    let before = model.namedParameters.map { ($0.path, $0.parameter.value) }
    for p in model.parameters { p.gradient = Tensor(shape: p.shape, repeating: 1) }
    let configuration = OptimizerConfiguration(
        kind: .sgd, learningRate: 0.2, learningRateMultipliers: ["0.weight": 0.5, "0.bias": 0])
    try configuration.makeOptimizer(for: model).step(model.parameters)
    let after = Dictionary(uniqueKeysWithValues: model.namedParameters.map { ($0.path, $0.parameter.value) })
    for (path, value) in before {
        let moved = zip(value.scalars, after[path]!.scalars).map { $0 - $1 }
        let expected: Float = path == "0.weight" ? 0.2 * 0.5 : 0
        #expect(moved.allSatisfy { abs($0 - expected) < 1e-6 }, "\(path): \(moved)")
    }
    let unknown = OptimizerConfiguration(kind: .sgd, learningRate: 0.2, learningRateMultipliers: ["layers.9.weight": 2])
    #expect(throws: InitiumError.self) { try unknown.makeOptimizer(for: model) }
}

/// Gradients (3, 4) and (12): global norm 13, so clipping at 1 scales both by 1/(13 + 10⁻⁶)
/// (clip_grad_norm_'s coefficient); clipping at 20 leaves them alone; a masked entry does not count.
@Test func clippingScalesAllGradientsByTheGlobalNorm() throws {
    let a = Parameter(Tensor.zeros([2])), b = Parameter(Tensor.zeros([1]))
    a.gradient = try Tensor(shape: [2], scalars: [3, 4])
    b.gradient = try Tensor(shape: [1], scalars: [12])
    #expect(GradientClipping.clip([a, b], maxNorm: 20) == 13)
    #expect(a.gradient!.scalars == [3, 4] && b.gradient!.scalars == [12])
    #expect(GradientClipping.clip([a, b], maxNorm: 1) == 13)
    let c = Float(1 / (13 + 1e-6))
    #expect(a.gradient!.scalars == [3 * c, 4 * c] && b.gradient!.scalars == [12 * c])

    let masked = Parameter(Tensor.zeros([2]))
    masked.mask = try Tensor(shape: [2], scalars: [1, 0])
    masked.gradient = try Tensor(shape: [2], scalars: [5, 100])
    #expect(GradientClipping.clip([masked], maxNorm: 10) == 5)
}

/// An optimizer built with `clipNorm` clips before its update: SGD with η = 1 and gradient
/// (30, 40) clipped at 5 moves the parameter by (3, 4) (to float precision of 5/(50 + 10⁻⁶)).
@Test func optimizersClipBeforeTheirUpdate() throws {
    let p = Parameter(Tensor.zeros([2]))
    p.gradient = try Tensor(shape: [2], scalars: [30, 40])
    try OptimizerConfiguration(kind: .sgd, learningRate: 1, clipNorm: 5).makeOptimizer().step([p])
    #expect(abs(p.value[flat: 0] + 3) < 1e-5 && abs(p.value[flat: 1] + 4) < 1e-5)
    #expect(throws: InitiumError.self) { try OptimizerConfiguration(kind: .sgd, learningRate: 1, clipNorm: 0).validate() }
}

/// Issue 11's schedule: η_t = 0.003 · min(1, (t+1)/100) · ½(1 + cos(πt/1000)) over 1,000 steps.
@Test func warmUpMultipliesTheCosineSchedule() throws {
    let configuration = TrainingConfiguration(
        epochs: 1, batchSize: 1, optimizer: OptimizerConfiguration(kind: .adamw, learningRate: 0.003),
        schedule: .cosine(minimum: 0), key: RandomKey(seed: 0), warmupSteps: 100)
    func rate(_ t: Int) -> Float { configuration.learningRate(atStep: t, totalSteps: 1000, stepsPerEpoch: 10) }
    #expect(abs(rate(0) - 0.003 / 100) < 1e-9)
    #expect(abs(rate(49) - Float(0.003 * 0.5 * (1 + cos(Double.pi * 0.049)) / 2)) < 1e-9)
    #expect(abs(rate(99) - Float(0.003 * (1 + cos(Double.pi * 0.099)) / 2)) < 1e-9)
    #expect(abs(rate(500) - 0.0015) < 1e-9)
    #expect(abs(rate(999) - Float(0.003 * (1 + cos(Double.pi * 0.999)) / 2)) < 1e-10)
    var constant = configuration
    constant.schedule = .constant
    #expect(constant.learningRate(atStep: 9, totalSteps: 1000, stepsPerEpoch: 10) == Float(0.003 * 0.1))
    #expect(constant.learningRate(atStep: 300, totalSteps: 1000, stepsPerEpoch: 10) == 0.003)
}

/// `steps` = 25 over 10 batches per epoch: three epochs, the last stopping after 5 steps, a new
/// order every epoch, the schedule over the 25 steps, evaluation only after the last epoch.
@Test func aRunOfStepsContinuesOverEpochsAndStops() throws {
    let (train, test) = try DatasetSpec("blobs(n=100)").load(directory: nil, key: RandomKey(seed: 1))
    let mlp = try MLP(widths: [2, 8, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 2)))
    let batch = (train.count + 9) / 10
    let configuration = TrainingConfiguration(
        epochs: 1, batchSize: batch, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.1),
        schedule: .cosine(minimum: 0), key: RandomKey(seed: 3), evaluatesEveryEpoch: false, steps: 25)
    #expect(configuration.stepsPerEpoch(for: train) == 10)
    #expect(configuration.totalSteps(for: train) == 25 && configuration.epochCount(for: train) == 3)
    var seen: [ScheduledStep] = []
    try configuration.forEachStep(over: train) { seen.append($0) }
    #expect(seen.map(\.step) == Array(0..<25))
    #expect(seen.map(\.epoch) == Array(repeating: 1, count: 10) + Array(repeating: 2, count: 10) + Array(repeating: 3, count: 5))
    #expect(Array(seen[0].batch) != Array(seen[10].batch))
    #expect(abs(seen[24].learningRate - Float(0.1 * (1 + cos(Double.pi * 24 / 25)) / 2)) < 1e-7)
    let result = try Trainer(model: mlp, configuration: configuration).run(train: train, test: test)
    #expect(result.steps == 25)
    #expect(result.epochs.map(\.epoch) == [1, 2, 3])
    #expect(result.epochs.map { $0.testLoss != nil } == [false, false, true])
    var invalid = configuration
    invalid.steps = 0
    #expect(throws: InitiumError.self) { try invalid.validate() }
}

/// An output head tied to an embedding table: a weighted layer holding the table's parameter
/// (owning none itself). The shared tensor is the table's and is not decayed.
private final class TiedHeadStandIn: WeightedLayer {
    let weight: Parameter
    var bias: Parameter? { nil }
    var weightKind: WeightKind { .linear }
    var roles: Set<LayerRole> { [.classifier] }
    var kind: LayerKind { .weighted }
    init(tiedTo weight: Parameter) { self.weight = weight }
    func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor { input }
}

@Test func aHeadTiedToTheEmbeddingDoesNotMakeTheTableDecay() throws {
    let table = TableStandIn()
    let model = Sequential([table, TiedHeadStandIn(tiedTo: table.weight)])
    #expect(model.parameters.count == 1)
    let groups = try ParameterGroups(model: model, configuration: OptimizerConfiguration(kind: .adamw, learningRate: 0.1, weightDecay: 0.1))
    #expect(groups[table.weight].decays == false)
}
