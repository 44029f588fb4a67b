import Foundation
import InitiumCore
import InitiumNN
import InitiumPlot
import InitiumProbe

/// `train --track mi[:LAYERS]`: the information plane of Shwartz-Ziv & Tishby (2017) as measured
/// by Chelombiev, Houghton & O'Donnell (ICLR 2019): for each layer T, I(X; T) against I(T; Y) on
/// the first test examples, at initialization and after every epoch, with a
/// ``MutualInformationEstimator`` (adaptive binning by default). X is the flattened input, Y the
/// label as one column.
public final class InformationPlaneTracker: TrainingTracker {
    /// Layer paths (empty: every weighted layer).
    public private(set) var layers: [String]
    /// The estimator.
    public let estimator: MutualInformationEstimator
    /// Examples measured.
    public let samples: Int
    /// `history[epoch][layer]` = (I(X;T), I(T;Y)) in nats.
    public private(set) var history: [[(inputInformation: Double, labelInformation: Double)]] = []

    /// A tracker of the given layers.
    public init(layers: [String], estimator: MutualInformationEstimator, samples: Int) {
        self.layers = layers
        self.estimator = estimator
        self.samples = samples
    }

    public var key: String { "information_plane" }

    public func record(_ model: any Module, epoch: Int, train: Dataset, test: Dataset) throws {
        if layers.isEmpty {
            layers = model.namedModules.filter { $0.module is any WeightedLayer }.map(\.path)
        }
        guard test.labelsPerExample == 1 else {
            throw InitiumError.invalidArgument("the information plane needs one class label per example")
        }
        let examples = try TrainingTrackers.examples(test, samples: samples)
        guard examples.graph == nil else {
            throw InitiumError.invalidArgument("the information plane needs one input row per example; graph data has none (use --track dse)")
        }
        let inputs = examples.inputs
        let n = examples.count
        let x = try inputs.reshaped([n, inputs.count / max(n, 1)])
        let y = try Tensor(shape: [n, 1], scalars: examples.labels.map(Float.init))
        let outputs = try LayerRepresentation.outputs(of: model, layers: layers, examples: examples)
        history.append(try layers.map { layer in
            let t = outputs[layer]!
            return (try estimator.estimate(x, t), try estimator.estimate(t, y))
        })
    }

    public var summary: [String] {
        layers.enumerated().map { l, name in
            "I(X;T), I(T;Y) of \(name) (nats, epochs 0…\(history.count - 1)): "
                + history.map { String(format: "(%.3f, %.3f)", $0[l].inputInformation, $0[l].labelInformation) }.joined(separator: " ")
        }
    }

    public func encodeHistory(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(estimator.description, forKey: .estimator)
        try c.encode(samples, forKey: .samples)
        try c.encode(layers.enumerated().map { l, name in
            LayerCurve(layer: name, inputInformation: history.map { $0[l].inputInformation },
                       labelInformation: history.map { $0[l].labelInformation })
        }, forKey: .layers)
    }

    enum Keys: String, CodingKey { case estimator, samples, layers }

    struct LayerCurve: Encodable {
        var layer: String
        var inputInformation: [Double]
        var labelInformation: [Double]
        enum CodingKeys: String, CodingKey { case layer, inputInformation = "i_x_t_nats", labelInformation = "i_t_y_nats" }
    }

    public func figures() throws -> [(name: String, svg: String)] {
        let xs = history.flatMap { $0.map(\.inputInformation) }, ys = history.flatMap { $0.map(\.labelInformation) }
        guard let xLow = xs.min(), let xHigh = xs.max(), let yLow = ys.min(), let yHigh = ys.max() else { return [] }
        let xPad = max((xHigh - xLow) * 0.1, 0.05), yPad = max((yHigh - yLow) * 0.1, 0.05)
        var plot = try SVGPlot(title: "Information plane (\(estimator), \(samples) test examples; markers: epochs, last larger)",
                               xLabel: "I(X; T) nats", yLabel: "I(T; Y) nats",
                               xRange: (xLow - xPad)...(xHigh + xPad), yRange: (yLow - yPad)...(yHigh + yPad))
        for (l, name) in layers.enumerated() {
            let points = history.map { (x: $0[l].inputInformation, y: $0[l].labelInformation) }
            let color = SVGPlot.Color.series[l % SVGPlot.Color.series.count]
            plot.addLine(points, label: name, color: color)
            plot.addMarkers(points, label: nil, color: color, radius: 3)
            if let last = points.last { plot.addMarkers([last], label: nil, color: color, radius: 6) }
        }
        return [("information-plane.svg", plot.render())]
    }
}
