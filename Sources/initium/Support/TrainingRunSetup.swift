import ArgumentParser
import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN

/// The options of a command that trains one network (`train`, `prune`, `lottery`, `supermask`):
/// the network, its data, the optimization, the seed and threads, with the family's defaults.
struct TrainingRunOptions<Defaults: ModelDefaults & OptimizationDefaults>: ParsableArguments {
    @OptionGroup var network: NetworkOptions<Defaults>
    @OptionGroup var data: DataOptions
    @OptionGroup var optimization: OptimizationOptions<Defaults>
    @OptionGroup var runOptions: RunOptions

    /// The seed.
    var seed: UInt64 { runOptions.seed }

    /// Sets the thread count (``ThreadOptions/apply()``).
    func applyThreads() throws { try runOptions.applyThreads() }

    /// The run these options describe.
    func makeRun() throws -> TrainingRun {
        try makeTrainingRun(
            network.architecture, scheme: try Scheme(network.initialization), data,
            training: try optimization.configuration(key: RandomKey(seed: seed)), seed: seed)
    }
}

/// The run of `scheme` on the architecture and data the options describe, with the training
/// settings `training`. Names are parsed in the order they are typed: model, activation, scheme, data.
func makeTrainingRun<Defaults: ModelDefaults>(
    _ architecture: ModelOptions<Defaults>, scheme: @autoclosure () throws -> Scheme, _ data: DataOptions,
    training: TrainingConfiguration, seed: UInt64
) throws -> TrainingRun {
    TrainingRun(
        model: try architecture.modelSpec(), activation: try architecture.activation.engineActivation(),
        scheme: try scheme(), data: try data.recipe(), training: training, seed: seed)
}

/// The run of a command that only measures at initialization (`inspect`, `cka`, `proxies`): one
/// epoch of plain SGD that is never performed, with the measured batch as its batch size.
func makeMeasurementRun(
    _ network: NetworkOptions<MeasurementDefaults>, _ data: DataOptions, batch: Int, _ run: RunOptions
) throws -> TrainingRun {
    let training = TrainingConfiguration(
        epochs: 1, batchSize: batch, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.1),
        key: RandomKey(seed: run.seed))
    return try makeTrainingRun(
        network.architecture, scheme: try Scheme(network.initialization), data, training: training, seed: run.seed)
}
