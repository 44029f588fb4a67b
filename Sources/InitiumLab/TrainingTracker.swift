import Foundation
import InitiumCore
import InitiumNN
import InitiumPlot
import InitiumProbe
import InitiumSpec

/// A measurement taken on the model being trained, at initialization and after every epoch
/// (`train --track NAME[:ARGUMENT]`). ``TrainingRun/train(on:test:tracksRotation:trackers:progress:)``
/// calls ``record(_:epoch:train:test:)`` with epoch 0 before the first step and then after each
/// epoch; the tracker keeps its own history and reports it as JSON, text and figures.
public protocol TrainingTracker: AnyObject {
    /// The JSON key of the tracker's report in `train --json` (snake_case).
    var key: String { get }
    /// Measures the model now (epoch 0: at initialization).
    func record(_ model: any Module, epoch: Int, train: Dataset, test: Dataset) throws
    /// The human-readable lines of the history.
    var summary: [String] { get }
    /// Encodes the history (the value under ``key``).
    func encodeHistory(to encoder: any Encoder) throws
    /// The figures of the history, as (file name, SVG document).
    func figures() throws -> [(name: String, svg: String)]
}

/// The trackers `train --track` knows: `dse[:LAYER]` (``RepresentationEntropyTracker``) and
/// `mi[:LAYER,LAYER,…]` (``InformationPlaneTracker``).
public enum TrainingTrackers {
    /// The names a `--track` value may start with (besides `rotation`, which ``TrainingRun`` keeps).
    public static let names = ["dse", "mi"]

    /// The tracker a `--track` value names, or `nil` for `rotation`; unknown names throw, listing the valid ones.
    /// A value is `NAME[(key=value,…)][:ARGUMENT]`: `dse(sigma=S,t=T):LAYER` (σ 10 and t 1 by
    /// default, the reference's), `mi(estimator=binning|kernel,bins=B):LAYER,LAYER,…` (binning
    /// with 30 bins per unit by default, the paper's setting).
    public static func make(_ text: String, samples: Int, key: RandomKey) throws -> (any TrainingTracker)? {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1] : nil
        let spec = try InitiumError.reportingSpecErrors { try SpecSyntax(parsing: parts.first ?? "", kind: "tracker") }
        switch spec.name {
        case "rotation" where argument == nil && spec.arguments.isEmpty:
            return nil
        case "dse":
            try InitiumError.reportingSpecErrors { try spec.requireOnly(["sigma", "t"], kind: "tracker") }
            let sigma = try InitiumError.reportingSpecErrors { try spec.number("sigma", default: 10, kind: "tracker") }
            let t = try InitiumError.reportingSpecErrors { try spec.integer("t", default: 1, kind: "tracker") }
            return RepresentationEntropyTracker(measurement: RepresentationEntropy(
                measure: try DiffusionSpectralEntropy(sigma: sigma, steps: t), layer: argument, samples: samples, key: key))
        case "mi":
            try InitiumError.reportingSpecErrors { try spec.requireOnly(["estimator", "bins", "k"], kind: "tracker") }
            let estimator: MutualInformationEstimator
            switch spec.value("estimator") ?? "binning" {
            case "binning":
                estimator = .binning(bins: try InitiumError.reportingSpecErrors { try spec.integer("bins", default: 30, kind: "tracker") })
            case "kernel", "ksg":
                estimator = .kernel(neighbours: try InitiumError.reportingSpecErrors { try spec.integer("k", default: 3, kind: "tracker") })
            case let other:
                throw InitiumError.invalidArgument("unknown estimator '\(other)' in --track \(text); valid: binning, kernel")
            }
            let layers = argument.map { $0.split(separator: ",").map(String.init) } ?? []
            return InformationPlaneTracker(layers: layers, estimator: estimator, samples: samples)
        default:
            throw InitiumError.invalidArgument("unknown tracker '\(text)'; valid: rotation, dse[(sigma=S,t=T)][:LAYER], mi[(estimator=binning|kernel)][:LAYER,LAYER,…]")
        }
    }

    /// The first `samples` test examples (all of them when fewer), the examples trackers measure.
    static func examples(_ test: Dataset, samples: Int) throws -> Dataset {
        try test.prefix(samples)
    }
}

/// Encodes a tracker's history under its key (for `train --json`).
public struct TrackerHistory: Encodable {
    /// The tracker.
    public let tracker: any TrainingTracker
    /// Wraps a tracker.
    public init(_ tracker: any TrainingTracker) { self.tracker = tracker }
    /// The tracker's ``TrainingTracker/encodeHistory(to:)``.
    public func encode(to encoder: any Encoder) throws { try tracker.encodeHistory(to: encoder) }
}

/// A line plot of one or more series over epochs 0…E.
func epochCurve(title: String, yLabel: String, series: [(label: String, values: [Double])]) throws -> SVGPlot {
    let all = series.flatMap(\.values).filter(\.isFinite)
    let low = all.min() ?? 0, high = all.max() ?? 1
    let pad = max((high - low) * 0.1, 1e-3)
    let epochs = max(1, (series.map(\.values.count).max() ?? 1) - 1)
    var plot = try SVGPlot(title: title, xLabel: "epoch", yLabel: yLabel,
                           xRange: -0.2...Double(epochs) + 0.2, yRange: (low - pad)...(high + pad))
    for (i, s) in series.enumerated() {
        let points = s.values.enumerated().map { (x: Double($0.offset), y: $0.element) }
        let color = SVGPlot.Color.series[i % SVGPlot.Color.series.count]
        plot.addLine(points, label: s.label, color: color)
        plot.addMarkers(points, label: nil, color: color, radius: 3)
    }
    return plot
}
