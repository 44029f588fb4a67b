import ArgumentParser
import InitiumPrune

/// `--scope`, `--include-classifier`, `--prunable`: which weights pruning may remove and how
/// thresholds are taken (`prune` and `lottery`).
struct PrunableOptions: ParsableArguments {
    @Option(help: "Thresholds: global (one over all layers) or layerwise.") var scope = "global"
    @Flag(help: "Make the classifier's weight prunable too (Synaptic-Flow prunes it; ShrinkBench and open_lth do not).")
    var includeClassifier = false
    @Option(help: "Comma-separated parameter paths to prune instead of the default set (e.g. layers.0.weight,layers.2.weight).")
    var prunable: String?

    /// The prunable parameters.
    var selection: PrunableSelection {
        PrunableSelection(includesClassifier: includeClassifier, paths: prunable.map { $0.split(separator: ",").map(String.init) })
    }

    /// The threshold scope.
    func maskScope() throws -> MaskScope { try MaskScope(parsing: scope) }
}
