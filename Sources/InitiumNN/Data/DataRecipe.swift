import InitiumCore

/// How a dataset spec and its options become the training and test sets of a run, and the input
/// shape and class count a model is built for: the one place data is loaded, limited and
/// standardized (`TrainingRun`, `ModelInitialization` and `TrainingBenchmark` all use it;
/// `ModelRecipe` is the model half).
///
/// With a run's root key `key`, synthetic data is drawn with `key.fold("dataset")`. The steps, in
/// order: keep the first ``trainLimit`` training examples; standardize both splits with the
/// (limited) training set's scalar mean and standard deviation (``Dataset/standardization``); then
/// subtract the training set's per-feature means from both (``Dataset/featureMeans``). Graph data's
/// inputs are node features, so the constants are those of every node of the training graph(s)
/// (for a node task, the whole graph, whose features every split shares). Token
/// inputs (``Dataset/tokenVocabularySize``) are ids: they are never standardized, and centring them
/// is refused.
public struct DataRecipe: Sendable, CustomStringConvertible {
    /// The dataset.
    public var dataset: DatasetSpec
    /// Where real datasets live (`nil`: `$INITIUM_DATA` or the Debian location).
    public var directory: String?
    /// Keep the first N training examples only (quick checks); `nil` keeps all.
    public var trainLimit: Int?
    /// Standardize inputs with the training set's scalar mean and standard deviation.
    public var standardizesInputs: Bool
    /// Subtract the training set's per-feature mean from every input (after standardizing).
    public var centersFeatures: Bool

    /// A recipe.
    public init(
        _ dataset: DatasetSpec, directory: String? = nil, trainLimit: Int? = nil, standardizesInputs: Bool = false,
        centersFeatures: Bool = false
    ) {
        self.dataset = dataset
        self.directory = directory
        self.trainLimit = trainLimit
        self.standardizesInputs = standardizesInputs
        self.centersFeatures = centersFeatures
    }

    /// The dataset spec (what reports name the data by).
    public var description: String { dataset.description }

    /// The input shape and class count a model for this data is built for, without loading it.
    public func signature() throws -> DataSignature { try dataset.signature() }

    /// The training and test sets, synthetic ones drawn with `key.fold("dataset")` (`key` is the
    /// run's root key), limited, standardized and centred as the options say.
    public func load(key: RandomKey) throws -> (train: Dataset, test: Dataset) {
        let splits = try loadSplits(key: key)
        return (splits.train, splits.test)
    }

    /// ``load(key:)`` with the validation set too, where the data has one (graph node tasks,
    /// EXP): standardized and centred with the training set's constants like the test set.
    public func loadSplits(key: RandomKey) throws -> DatasetSplits {
        if let trainLimit, trainLimit <= 0 {
            throw InitiumError.invalidArgument("`trainLimit` must be positive, got \(trainLimit)")
        }
        var splits = try dataset.loadSplits(directory: directory, key: key.fold("dataset"))
        if let trainLimit { splits.train = try splits.train.prefix(trainLimit) }
        let holdsTokens = splits.train.tokenVocabularySize != nil
        if centersFeatures, holdsTokens {
            throw InitiumError.invalidArgument("`centersFeatures` does not apply to \(dataset), whose inputs are token ids")
        }
        if standardizesInputs, !holdsTokens {
            let s = splits.train.standardization
            splits.train.standardize(mean: s.mean, std: s.std)
            splits.test.standardize(mean: s.mean, std: s.std)
            splits.validation?.standardize(mean: s.mean, std: s.std)
        }
        if centersFeatures {
            let means = splits.train.featureMeans
            try splits.train.subtractFeatureMeans(means)
            try splits.test.subtractFeatureMeans(means)
            try splits.validation?.subtractFeatureMeans(means)
        }
        return splits
    }
}
