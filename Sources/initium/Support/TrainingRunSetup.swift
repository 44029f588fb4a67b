import InitiumInit
import InitiumLab
import InitiumNN

/// The run that the network, data and run options describe, with the training settings `training`.
func makeTrainingRun<Defaults: ModelDefaults>(
    _ network: NetworkOptions<Defaults>, _ data: DataOptions, training: TrainingConfiguration, seed: UInt64
) throws -> TrainingRun {
    try makeTrainingRun(
        network.architecture, scheme: try Scheme(network.initialization), data, training: training, seed: seed)
}

/// The run of `scheme` on the architecture and data the options describe, with the training
/// settings `training`. Names are parsed in the order they are typed: model, activation, scheme, data.
func makeTrainingRun<Defaults: ModelDefaults>(
    _ architecture: ModelOptions<Defaults>, scheme: @autoclosure () throws -> Scheme, _ data: DataOptions,
    training: TrainingConfiguration, seed: UInt64
) throws -> TrainingRun {
    var run = TrainingRun(
        model: try architecture.modelSpec(), activation: try architecture.activation.engineActivation(),
        scheme: try scheme(), data: try data.source.datasetSpec(), dataDirectory: data.source.dataDir,
        trainLimit: data.limitTrain, standardizesInputs: data.source.standardize, training: training, seed: seed)
    run.centersFeatures = data.centerFeatures
    return run
}

/// The run of a command that trains: its network, data, optimization and run options.
func makeTrainingRun<Model: ModelDefaults, Optimization: OptimizationDefaults>(
    _ network: NetworkOptions<Model>, _ data: DataOptions, _ optimization: OptimizationOptions<Optimization>,
    _ run: RunOptions
) throws -> TrainingRun {
    try makeTrainingRun(
        network, data, training: try optimization.configuration(key: RandomKey(seed: run.seed)), seed: run.seed)
}

/// The run of a command that only measures at initialization (`inspect`, `cka`, `proxies`): one
/// epoch of plain SGD that is never performed, with the measured batch as its batch size.
func makeMeasurementRun(
    _ network: NetworkOptions<MeasurementDefaults>, _ data: DataOptions, batch: Int, _ run: RunOptions
) throws -> TrainingRun {
    let training = TrainingConfiguration(
        epochs: 1, batchSize: batch, optimizer: OptimizerConfiguration(kind: .sgd, learningRate: 0.1),
        key: RandomKey(seed: run.seed))
    return try makeTrainingRun(network, data, training: training, seed: run.seed)
}
