import ArgumentParser
import InitiumCore
import InitiumNN

/// `--data`, `--data-dir`, `--standardize`: where examples come from and how inputs are scaled
/// (every command that reads a dataset; `init --model` reads one for data-dependent schemes).
struct DataSourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp(DatasetFamily.optionHelp))
    var data = "fashion-mnist"

    @Option(help: "Folder with the Fashion-MNIST IDX files (default: $INITIUM_DATA or /usr/share/datasets/fashion-mnist), or with the fortune files (default: /usr/share/games/fortunes).")
    var dataDir: String?

    @Flag(inversion: .prefixedNo, help: "Standardize inputs with the training set's mean and standard deviation (variance-preserving inits assume unit-variance inputs).")
    var standardize = true

    /// The dataset; `--data-dir` with a synthetic dataset is refused (it would be ignored: only
    /// Fashion-MNIST and the fortune datasets are read from a folder).
    func datasetSpec() throws -> DatasetSpec {
        let spec = try DatasetSpec(data)
        if let dataDir, !spec.readsDirectory {
            let readers = DatasetFamily.registered.filter(\.readsDirectory).map(\.name)
            throw InitiumError.invalidArgument(
                "--data-dir \(dataDir) applies only to --data " + readers.dropLast().joined(separator: ", ") + " or " + readers.last!
                    + ", not to '\(data)'")
        }
        return spec
    }

    /// The data these options describe, whole (no limit, no centring).
    func recipe() throws -> DataRecipe {
        DataRecipe(try datasetSpec(), directory: dataDir, standardizesInputs: standardize)
    }
}

/// The data options of the commands that train or measure on a dataset: the source, plus
/// `--limit-train` and `--center-features`.
struct DataOptions: ParsableArguments {
    @OptionGroup var source: DataSourceOptions

    @Option(help: "Train on the first N training examples only (for quick checks).")
    var limitTrain: Int?

    @Flag(help: "Subtract the training set's per-feature (per-pixel) mean from every input.")
    var centerFeatures = false

    /// The data these options describe.
    func recipe() throws -> DataRecipe {
        DataRecipe(
            try source.datasetSpec(), directory: source.dataDir, trainLimit: limitTrain,
            standardizesInputs: source.standardize, centersFeatures: centerFeatures)
    }
}
