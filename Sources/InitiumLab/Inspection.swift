import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import InitiumPlot
import InitiumProbe
import InitiumTheory

/// `initium inspect` as a library call: builds and initializes the model of a ``TrainingRun``,
/// then measures signal propagation on one batch of real data, optionally the Jacobian spectrum
/// and the initial guessing bias over several seeds.
public struct Inspection: Sendable {
    /// Model, activation, scheme, data and seed (training settings are ignored).
    public var setup: TrainingRun
    /// Examples in the measured batch.
    public var batchSize: Int
    /// Whether to compute the Jacobian spectrum.
    public var computesJacobian: Bool
    /// Seeds for the guessing-bias measurement (empty: skipped).
    public var guessingBiasSeeds: Int

    /// An inspection.
    public init(setup: TrainingRun, batchSize: Int = 256, computesJacobian: Bool = false, guessingBiasSeeds: Int = 0) {
        self.setup = setup
        self.batchSize = batchSize
        self.computesJacobian = computesJacobian
        self.guessingBiasSeeds = guessingBiasSeeds
    }

    /// Runs the measurements.
    public func run() throws -> InspectionResult {
        guard batchSize >= 2 else { throw InitiumError.invalidArgument("`batchSize` must be at least 2 for statistics") }
        let (train, test) = try setup.loadData()
        let (model, _) = try setup.makeModel(for: train)
        let indices = train.randomIndices(batchSize, key: setup.key.fold("inspect"))
        let (inputs, labels) = train.batch(indices)
        if model.namedModules.contains(where: { $0.module is any MessagePassingLayer }) {
            guard let batch = try train.graphBatch(indices) else {
                throw InitiumError.invalidArgument("\(setup.model) is a graph model: inspect it on graph data")
            }
            guard !computesJacobian, guessingBiasSeeds == 0 else {
                throw InitiumError.invalidArgument("the Jacobian spectrum and the guessing bias are not available for graph models (drop `jacobian` and `igbSeeds`)")
            }
            let report = try GraphSignalReport(
                model: model, inputs: inputs, batch: batch, key: setup.key.fold("inspect-cotangent"),
                virgo: try Self.virgoLists(model, inputs: inputs, batch: batch))
            return InspectionResult(
                signal: nil, transformer: nil, graph: report, jacobian: nil, guessingBias: nil,
                description: "\(setup.model) act=\(setup.activation) init=\(setup.scheme) on \(setup.data), "
                    + (batch.isGraphTask ? "\(labels.count) graphs (\(batch.graph.nodeCount) nodes)" : "all \(batch.graph.nodeCount) nodes")
                    + ", random N(0,1) output cotangent, seed \(setup.seed)")
        }
        let isTransformer = model.namedModules.contains { $0.module is any AttentionLayer }
        if isTransformer, computesJacobian {
            throw InitiumError.invalidArgument("the input–output Jacobian needs continuous inputs; a transformer reads token ids (drop `jacobian`)")
        }
        let signal = isTransformer ? nil : try SignalPropagationReport(model: model, inputs: inputs, labels: labels, activation: setup.activation)
        let transformer = isTransformer ? try TransformerSignalReport(model: model, inputs: inputs, labels: labels) : nil
        let jacobian = computesJacobian ? try JacobianSpectrum(model: model, inputs: inputs, key: setup.key.fold("jacobian")) : nil
        var bias: GuessingBias?
        if guessingBiasSeeds > 0 {
            let probeInputs = try test.prefix(2000).inputs
            bias = try GuessingBias(
                seeds: (0..<UInt64(guessingBiasSeeds)).map { setup.seed &+ $0 }, inputs: probeInputs, classes: test.classCount
            ) { seed in
                var copy = setup
                copy.seed = seed
                return try copy.makeModel(for: train).model
            }
        }
        return InspectionResult(
            signal: signal, transformer: transformer, graph: nil, jacobian: jacobian, guessingBias: bias,
            description: "\(setup.model) act=\(setup.activation) init=\(setup.scheme) on \(setup.data), batch \(inputs.shape[0]), seed \(setup.seed)")
    }

    /// Virgo's (c2_for, c2_back) for the model's message-passing layers on this graph (first
    /// layer's widths as d_in and d_hid, last layer's output as C); `nil` when undefined (C < 2).
    static func virgoLists(_ model: any Module, inputs: Tensor, batch: GraphBatch) throws -> (forward: [Double], backward: [Double])? {
        let layers = model.namedModules.compactMap { $0.module as? any MessagePassingLayer }
        guard let first = layers.first, let last = layers.last, last.outFeatures >= 2 else { return nil }
        let virgo = try VirgoVariances(
            propagation: batch.symmetric, features: inputs, layers: layers.count, inputWidth: first.inFeatures,
            hiddenWidth: first.outFeatures, outputWidth: last.outFeatures)
        return (virgo.forward, virgo.backward)
    }
}

/// Everything an ``Inspection`` measured.
public struct InspectionResult: Sendable, Codable {
    /// Per-layer signal propagation against mean-field theory (feed-forward and convolutional models).
    public var signal: SignalPropagationReport?
    /// Per-block residual variance, rank collapse, attention entropy and gradient norms (transformers).
    public var transformer: TransformerSignalReport?
    /// Per-layer forward and backward variance against Virgo's prediction and Dirichlet energy (graph models).
    public var graph: GraphSignalReport?
    /// The Jacobian spectrum, when requested.
    public var jacobian: JacobianSpectrum?
    /// The initial guessing bias, when requested.
    public var guessingBias: GuessingBias?
    /// What was inspected.
    public var description: String
}

extension InspectionResult {
    /// The summary line of whichever report was measured.
    public var summary: String { signal?.summary ?? transformer?.summary ?? graph?.summary ?? "" }

    /// Writes `README.md`, `variance.svg` (measured vs predicted pre-activation variance per
    /// layer) and `gradients.svg` (gradient variance per layer) into `directory`, atomically; for
    /// a transformer, `README.md` and `blocks.svg` (``TransformerSignalReport``).
    @discardableResult
    public func writeReport(to directory: String) throws -> [String] {
        if let transformer { return try writeTransformerReport(transformer, to: directory) }
        if let graph { return try writeGraphReport(graph, to: directory) }
        guard let signal else { return [] }
        let layers = signal.layers
        let xs = layers.indices.map { Double($0 + 1) }
        func logScalePlot(title: String, yLabel: String, series: [(String, [Double?], SVGPlot.Color, Bool)]) throws -> SVGPlot {
            let values = series.flatMap { $0.1.compactMap { $0 } }.filter { $0 > 0 && $0.isFinite }.map(log10)
            let low = (values.min() ?? -1).rounded(.down) - 0.2, high = (values.max() ?? 1).rounded(.up) + 0.2
            var plot = try SVGPlot(title: title, xLabel: "layer", yLabel: yLabel,
                               xRange: 0.5...Double(max(layers.count, 1)) + 0.5, yRange: low...max(high, low + 1))
            for (label, ys, color, dashed) in series {
                let points = zip(xs, ys).compactMap { x, y -> (x: Double, y: Double)? in
                    guard let y, y > 0, y.isFinite else { return nil }
                    return (x, log10(y))
                }
                plot.addLine(points, label: label, color: color, dashed: dashed)
                plot.addMarkers(points, label: nil, color: color, radius: 2.5)
            }
            return plot
        }
        let variance = try logScalePlot(title: "Pre-activation variance per layer", yLabel: "log10 second moment", series: [
            ("measured", layers.map { $0.preVariance + $0.preMean * $0.preMean }, .blue, false),
            ("mean-field prediction", layers.map(\.predictedVariance), .red, true),
        ])
        let gradients = try logScalePlot(title: "Gradient variance per layer", yLabel: "log10 variance", series: [
            ("∂L/∂pre-activation", layers.map(\.gradientVariance), .green, false),
            ("∂L/∂W", layers.map(\.weightGradientVariance), .purple, false),
        ])
        var lines = ["# Initialization report", "", description, "", "**\(signal.summary)**", "",
                     "| layer | σ_w² | pre mean | pre var | predicted | dead | saturated | grad var | verdict |",
                     "|---|---|---|---|---|---|---|---|---|"]
        for l in layers {
            lines.append("| \(l.name) | \(fmt(l.weightVariance)) | \(fmt(l.preMean)) | \(fmt(l.preVariance)) | \(l.predictedVariance.map(fmt) ?? "—") | "
                + "\(fmt(l.deadFraction)) | \(fmt(l.saturatedFraction)) | \(l.gradientVariance.map(fmt) ?? "—") | \(l.verdict) |")
        }
        lines += ["", String(format: "Expected layer-to-layer fluctuation of the variance at this width: ±%.1f%% (√(2/N)).", 100 * signal.expectedFluctuation)]
        if let j = jacobian {
            lines += ["", "Jacobian \(j.from) → \(j.to) (\(j.rows)×\(j.columns), \(j.isExact ? "exact" : "Hutchinson estimate")): "
                + "mean σ² \(fmt(j.meanSquaredSingularValue)), var σ² \(j.varianceSquaredSingularValue.map(fmt) ?? "—"), "
                + "σ_max \(j.maximumSingularValue.map(fmt) ?? "—"), σ_min \(j.minimumSingularValue.map(fmt) ?? "—")."]
        }
        if let b = guessingBias {
            lines += ["", "Initial guessing bias over \(b.gMax.count) seeds: median G_max \(fmt(b.median)) (10–90%: \(fmt(b.lower))–\(fmt(b.upper))), chance \(fmt(b.chance)): \(b.verdict)."]
        }
        lines += ["", "![variance](variance.svg)", "", "![gradients](gradients.svg)", ""]
        let files = [("README.md", lines.joined(separator: "\n")), ("variance.svg", variance.render()), ("gradients.svg", gradients.render())]
        return try files.map { name, text in
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicWrite.write(text, to: path)
            return path
        }
    }

    private func writeTransformerReport(_ report: TransformerSignalReport, to directory: String) throws -> [String] {
        let xs = report.blocks.indices.map { Double($0 + 1) }
        let range = 0.5...Double(max(report.blocks.count, 1)) + 0.5
        let variances = report.blocks.map(\.variance).filter { $0 > 0 && $0.isFinite }.map(log10)
        var variance = try SVGPlot(title: "Residual-stream variance per block", xLabel: "block", yLabel: "log10 variance", xRange: range,
                                   yRange: ((variances.min() ?? -1) - 0.3).rounded(.down)...((variances.max() ?? 1) + 0.3).rounded(.up))
        let points = zip(xs, report.blocks.map(\.variance)).filter { $1 > 0 && $1.isFinite }.map { (x: $0, y: log10($1)) }
        variance.addLine(points, label: "variance", color: .blue)
        variance.addMarkers(points, label: nil, color: .blue, radius: 2.5)
        var geometry = try SVGPlot(title: "Token cosine and attention entropy", xLabel: "block", yLabel: "cosine; entropy / ln T",
                                   xRange: range, yRange: 0...1.05)
        let cosine = zip(xs, report.blocks.map(\.tokenCosine)).map { (x: $0, y: $1) }
        geometry.addLine(cosine, label: "mean pairwise token cosine", color: .red)
        let entropy = zip(xs, report.blocks).compactMap { x, b -> (x: Double, y: Double)? in
            guard !b.attentionEntropy.isEmpty, b.maximumEntropy > 0 else { return nil }
            return (x, b.attentionEntropy.reduce(0, +) / Double(b.attentionEntropy.count) / b.maximumEntropy)
        }
        geometry.addLine(entropy, label: "mean head entropy / ln T", color: .green, dashed: true)
        var lines = ["# Initialization report", "", description, "", "**\(report.summary)**", "",
                     "| block | variance | growth | token cosine | head entropy (nats) | grad norm | verdict |", "|---|---|---|---|---|---|---|"]
        for b in report.blocks {
            lines.append("| \(b.name) | \(fmt(b.variance)) | \(fmt(b.growth)) | \(fmt(b.tokenCosine)) | "
                + b.attentionEntropy.map { String(format: "%.2f", $0) }.joined(separator: " ") + " | \(fmt(b.gradientNorm)) | \(b.verdict) |")
        }
        lines += ["", String(format: "Embedding: variance %@, token cosine %@; uniform attention has entropy ln T = %.3f.",
                             fmt(report.embeddingVariance), fmt(report.embeddingCosine), report.blocks.first?.maximumEntropy ?? 0),
                  "", "![blocks](blocks.svg)", ""]
        let files = [("README.md", lines.joined(separator: "\n")), ("blocks.svg", SVGPlot.grid([variance, geometry], columns: 2))]
        return try files.map { name, text in
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicWrite.write(text, to: path)
            return path
        }
    }

    /// `README.md` (the table) and `variance.svg` (forward and backward variance relative to
    /// layer 1, measured and Virgo's prediction, and the relative Dirichlet energy, log scale).
    private func writeGraphReport(_ report: GraphSignalReport, to directory: String) throws -> [String] {
        let xs = report.layers.indices.map { Double($0 + 1) }
        let series: [(String, [Double?], SVGPlot.Color, Bool)] = [
            ("forward variance / layer 1", report.layers.map(\.forwardRatio), .blue, false),
            ("Virgo's forward prediction", report.layers.map(\.predictedForwardRatio), .blue, true),
            ("backward variance / layer 1", report.layers.map(\.backwardRatio), .red, false),
            ("Virgo's backward prediction", report.layers.map(\.predictedBackwardRatio), .red, true),
            ("relative Dirichlet energy E_a / input's", report.layers.map { report.inputRelativeEnergy > 0 ? $0.relativeEnergy / report.inputRelativeEnergy : nil }, .green, false),
        ]
        let logs = series.flatMap { $0.1.compactMap { $0 } }.filter { $0 > 0 && $0.isFinite }.map(log10)
        var plot = try SVGPlot(
            title: "Graph network at initialization", xLabel: "message-passing layer", yLabel: "log10 ratio",
            xRange: 0.5...Double(max(report.layers.count, 1)) + 0.5,
            yRange: ((logs.min() ?? -1).rounded(.down) - 0.2)...max((logs.max() ?? 1).rounded(.up) + 0.2, (logs.min() ?? -1) + 1))
        for (label, ys, color, dashed) in series {
            let points = zip(xs, ys).compactMap { x, y -> (x: Double, y: Double)? in
                guard let y, y > 0, y.isFinite else { return nil }
                return (x, log10(y))
            }
            plot.addLine(points, label: label, color: color, dashed: dashed)
        }
        var lines = ["# Initialization report", "", description, "", "**\(report.summary)**", "",
                     "Variances are second moments of each message-passing layer's output (before φ) and of the gradient of L = Σ R⊙output (R ~ N(0,1), every node) with respect to it; "
                        + "ratios are to layer 1; `pred` is Virgo's prediction from the layers' weight variances. E_a is the unnormalized "
                        + "Dirichlet energy (1/|V|)Σ aᵢⱼ‖xᵢ − xⱼ‖², `E_a rel` = E_a / mean‖xᵢ‖² (input: \(fmt(report.inputRelativeEnergy))), "
                        + "E_b = tr(Xᵀ(I − Â)X).", "",
                     "| layer | σ_w² | fwd var | fwd ratio | pred | bwd var | bwd ratio | pred | E_a | E_a rel | E_b | verdict |",
                     "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for l in report.layers {
            lines.append("| \(l.name) | \(fmt(l.weightVariance)) | \(fmt(l.forwardVariance)) | \(fmt(l.forwardRatio)) | \(l.predictedForwardRatio.map(fmt) ?? "—") | "
                + "\(fmt(l.backwardVariance)) | \(fmt(l.backwardRatio)) | \(l.predictedBackwardRatio.map(fmt) ?? "—") | \(fmt(l.energy)) | "
                + "\(fmt(l.relativeEnergy)) | \(fmt(l.normalizedEnergy)) | \(l.verdict) |")
        }
        lines += ["", "![variance](variance.svg)", ""]
        let files = [("README.md", lines.joined(separator: "\n")), ("variance.svg", plot.render())]
        return try files.map { name, text in
            let path = (directory as NSString).appendingPathComponent(name)
            try AtomicWrite.write(text, to: path)
            return path
        }
    }

    private func fmt(_ v: Double) -> String { String(format: "%.4g", v) }
}
