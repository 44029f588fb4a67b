import Foundation
import InitiumCore
import InitiumNN
import InitiumProbe

/// DSE (and DSMI with the labels) of one layer's representations of a fixed set of examples
/// (``DiffusionSpectralEntropy``; Liao, Liu et al. 2023): `initium dse --model …` and
/// `train --track dse[:LAYER]`.
public struct RepresentationEntropy: Sendable {
    /// The entropy's bandwidth and diffusion steps.
    public var measure: DiffusionSpectralEntropy
    /// The layer path (`nil`: ``LayerRepresentation/defaultLayer(of:)``, the penultimate representation).
    public var layer: String?
    /// Examples measured: the first `samples` of the set given.
    public var samples: Int
    /// Draws DSMI's random subsets.
    public var key: RandomKey

    /// A measurement.
    public init(measure: DiffusionSpectralEntropy, layer: String?, samples: Int, key: RandomKey) {
        self.measure = measure
        self.layer = layer
        self.samples = samples
        self.key = key
    }

    /// One measurement.
    public struct Result: Sendable, Codable {
        /// The layer measured.
        public var layer: String
        /// Examples used.
        public var samples: Int
        /// DSE in bits.
        public var dse: Double
        /// DSMI with the class labels in bits.
        public var dsmi: Double?
    }

    /// Measures `model`'s layer on the first ``samples`` examples of `data` (DSMI when `withLabels`).
    public func run(model: any Module, on data: Dataset, withLabels: Bool = true) throws -> Result {
        guard samples >= 2 else { throw InitiumError.invalidArgument("`samples` must be at least 2, got \(samples)") }
        let name = try layer ?? LayerRepresentation.defaultLayer(of: model).orThrow("the model has no layer to measure")
        let examples = try TrainingTrackers.examples(data, samples: samples)
        let labels = examples.labels
        let points = try LayerRepresentation.outputs(of: model, layers: [name], examples: examples)[name]!
        let dse = try measure.entropy(of: points, key: key)
        let dsmi = withLabels && data.labelsPerExample == 1
            ? try measure.mutualInformation(points: points, labels: labels, key: key.fold("dsmi")) : nil
        return Result(layer: name, samples: points.shape[0], dse: dse, dsmi: dsmi)
    }
}

extension Optional {
    func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw InitiumError.invalidArgument(message) }
        return self
    }
}

/// `train --track dse[:LAYER]`: DSE and DSMI of a layer on the first test examples at
/// initialization and after every epoch.
public final class RepresentationEntropyTracker: TrainingTracker {
    /// What is measured.
    public let measurement: RepresentationEntropy
    /// One result per recorded epoch (0: initialization).
    public private(set) var history: [RepresentationEntropy.Result] = []

    /// A tracker of `measurement`.
    public init(measurement: RepresentationEntropy) { self.measurement = measurement }

    public var key: String { "dse" }

    public func record(_ model: any Module, epoch: Int, train: Dataset, test: Dataset) throws {
        history.append(try measurement.run(model: model, on: test))
    }

    public var summary: [String] {
        guard let layer = history.first?.layer else { return [] }
        return ["DSE of \(layer) (bits, epochs 0…\(history.count - 1)): " + history.map { String(format: "%.4f", $0.dse) }.joined(separator: " ")]
            + (history.first?.dsmi == nil ? [] : ["DSMI with labels (bits): " + history.map { String(format: "%.4f", $0.dsmi ?? .nan) }.joined(separator: " ")])
    }

    public func encodeHistory(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(history.first?.layer, forKey: .layer)
        try c.encode(history.first?.samples, forKey: .samples)
        try c.encode(measurement.measure, forKey: .settings)
        try c.encode(history.map(\.dse), forKey: .dse)
        if history.first?.dsmi != nil { try c.encode(history.map { $0.dsmi ?? .nan }, forKey: .dsmi) }
    }

    enum Keys: String, CodingKey { case layer, samples, settings, dse, dsmi }

    public func figures() throws -> [(name: String, svg: String)] {
        guard let layer = history.first?.layer else { return [] }
        var series = [(label: "DSE", values: history.map(\.dse))]
        if history.first?.dsmi != nil { series.append((label: "DSMI(Z; Y)", values: history.map { $0.dsmi ?? .nan })) }
        return [("dse.svg", try epochCurve(title: "Diffusion spectral entropy of \(layer)", yLabel: "bits", series: series).render())]
    }
}
