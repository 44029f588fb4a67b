import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import InitiumPlot

/// μP's coordinate check (Yang, Hu et al., "Tensor Programs V", 2022; microsoft/mup
/// `coord_check.py`): the same model at several widths, each trained for a few steps on one fixed
/// batch, recording after every layer the mean absolute activation l1 = mean(|x|) during the
/// forward pass of step t (t = 1 is at initialization, before any update). Under a correct μP every
/// layer's l1 is flat in width at every step; under the standard parametrization with Adam the
/// output logits grow with width from t = 2 on.
///
/// The width is the model spec's `width=` key, replaced per run (the other keys, heads included,
/// stay). Layers are every reported module except attention probabilities, plus the model's output
/// as `logits`; values are averaged over seeds (seed s uses the template's seed + s for weights;
/// the batch is the same for all).
public struct CoordinateCheck: Sendable {
    /// Model (with a `width=` key), scheme, data, optimizer and seed.
    public var template: TrainingRun
    /// The widths to build.
    public var widths: [Int]
    /// Training steps per width (the forward pass of each is recorded).
    public var steps: Int
    /// Seeds averaged per width.
    public var seeds: Int

    /// A coordinate check.
    public init(template: TrainingRun, widths: [Int], steps: Int = 5, seeds: Int = 1) {
        self.template = template
        self.widths = widths
        self.steps = steps
        self.seeds = seeds
    }

    /// Runs every width; `progress` receives (runs done, runs in total).
    public func run(progress: ((Int, Int) -> Void)? = nil) throws -> CoordinateCheckResult {
        guard !widths.isEmpty, widths.allSatisfy({ $0 >= 1 }) else {
            throw InitiumError.invalidArgument("`widths` must list at least one positive width")
        }
        guard steps >= 1 else { throw InitiumError.invalidArgument("`steps` must be at least 1, got \(steps)") }
        guard seeds >= 1 else { throw InitiumError.invalidArgument("`seeds` must be at least 1, got \(seeds)") }
        let models = try widths.map { try template.model.settingKeys([(key: "width", value: String($0))]) }
        let (train, _) = try template.loadData()
        let batch = train.randomBatch(template.training.batchSize, key: template.key.fold("coord-check"))
        var order: [String] = []
        var sums: [String: [Int: [Double]]] = [:]
        var done = 0
        for (width, model) in zip(widths, models) {
            for s in 0..<seeds {
                var run = template
                run.model = model
                run.seed = template.seed &+ UInt64(s)
                let scales = try Self.scales(of: run, train: train, batch: batch, steps: steps)
                for (name, values) in scales {
                    if sums[name] == nil { order.append(name); sums[name] = [:] }
                    let previous = sums[name]![width] ?? [Double](repeating: 0, count: steps)
                    sums[name]![width] = zip(previous, values).map { $0 + $1 / Double(seeds) }
                }
                done += 1
                progress?(done, widths.count * seeds)
            }
        }
        let layers = order.map { name in
            CoordinateCheckResult.Layer(name: name, scales: Dictionary(uniqueKeysWithValues: (sums[name] ?? [:]).map { (String($0.key), $0.value) }))
        }
        return CoordinateCheckResult(widths: widths, steps: steps, layers: layers, description: "\(template.model) init=\(template.scheme) "
            + "\(template.training.optimizer.kind.rawValue) lr \(template.training.optimizer.learningRate), batch \(batch.inputs.shape[0]), "
            + "\(steps) steps, \(seeds) seed(s)")
    }

    /// l1 per layer (in forward order) at each of `steps` training steps of one model.
    private static func scales(of run: TrainingRun, train: Dataset, batch: (inputs: Tensor, labels: [Int32]), steps: Int) throws -> [(String, [Double])] {
        let (model, log) = try run.makeModel(for: train)
        let paths = Dictionary(model.namedModules.map { (ObjectIdentifier($0.module), $0.path) }, uniquingKeysWith: { a, _ in a })
        var configuration = run.training.optimizer
        configuration.learningRateMultipliers.merge(log.learningRateMultipliers) { typed, _ in typed }
        let optimizer = try configuration.makeOptimizer(for: model)
        let parameters = model.parameters
        var order: [String] = []
        var values: [String: [Double]] = [:]
        func record(_ name: String, _ y: Tensor) {
            if values[name] == nil { order.append(name) }
            var sum = 0.0
            y.withUnsafeBufferPointer { p in for v in p { sum += Double(Swift.abs(v)) } }
            values[name, default: []].append(sum / Double(max(y.count, 1)))
        }
        for step in 0..<steps {
            let context = ForwardContext(mode: .training, key: run.key.fold("coord-check-step").fold(step))
            context.observer = { module, y in
                guard !(module.kind == .attentionProbabilities), let path = paths[ObjectIdentifier(module)] else { return }
                record(path, y)
            }
            let output = try model.forward(batch.inputs, context: context)
            record("logits", output)
            let loss = try run.training.loss(output, labels: batch.labels)
            guard loss.scalar.isFinite else {
                throw InitiumError.nonFiniteLoss(step: step + 1, value: loss.scalar)
            }
            model.zeroGradients()
            try loss.backward()
            try optimizer.step(parameters)
        }
        return order.map { ($0, values[$0] ?? []) }
    }
}

/// What a ``CoordinateCheck`` measured: l1 per layer, width and step.
public struct CoordinateCheckResult: Sendable, Codable {
    /// One layer's curves.
    public struct Layer: Sendable, Codable {
        /// The module path (`transformer.h.0.attn.c_attn`), or `logits` for the model's output.
        public var name: String
        /// Width (as a string key) → l1 at steps 1…T.
        public var scales: [String: [Double]]
    }

    /// The widths, in order.
    public var widths: [Int]
    /// Steps recorded per width.
    public var steps: Int
    /// The layers in forward order, `logits` last.
    public var layers: [Layer]
    /// What was checked.
    public var description: String

    enum CodingKeys: String, CodingKey { case widths, layers }

    /// Encodes `{"widths": […], "layers": [{"name": …, "scales": {"64": […], …}}, …]}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(widths, forKey: .widths)
        try container.encode(layers, forKey: .layers)
    }

    /// Decodes the JSON of ``encode(to:)``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        widths = try container.decode([Int].self, forKey: .widths)
        layers = try container.decode([Layer].self, forKey: .layers)
        steps = layers.first?.scales.values.first?.count ?? 0
        description = ""
    }

    init(widths: [Int], steps: Int, layers: [Layer], description: String) {
        self.widths = widths
        self.steps = steps
        self.layers = layers
        self.description = description
    }

    /// max/min of a layer's l1 across widths at `step` (1-based): the spread a flat curve keeps near 1.
    public func spread(of layer: Layer, atStep step: Int) -> Double {
        let values = widths.compactMap { layer.scales[String($0)]?[step - 1] }.filter { $0 > 0 && $0.isFinite }
        guard let low = values.min(), let high = values.max() else { return .nan }
        return high / low
    }

    /// The least-squares slope of log₂ l1 against log₂ width at `step` (mup's test statistic).
    public func slope(of layer: Layer, atStep step: Int) -> Double {
        let points = widths.compactMap { w -> (Double, Double)? in
            guard let v = layer.scales[String(w)]?[step - 1], v > 0, v.isFinite else { return nil }
            return (log2(Double(w)), log2(v))
        }
        guard points.count >= 2 else { return .nan }
        let mx = points.map(\.0).reduce(0, +) / Double(points.count), my = points.map(\.1).reduce(0, +) / Double(points.count)
        let sxy = points.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +), sxx = points.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
        return sxx > 0 ? sxy / sxx : .nan
    }

    /// One panel per step: log₁₀ l1 against log₂ width, one line per layer (logits drawn thick).
    public func plot() throws -> String {
        let all = layers.flatMap { $0.scales.values.flatMap { $0 } }.filter { $0 > 0 && $0.isFinite }.map(log10)
        let low = ((all.min() ?? -1) - 0.2).rounded(.down), high = ((all.max() ?? 1) + 0.2).rounded(.up)
        let xs = widths.map { log2(Double($0)) }
        let xRange = (xs.min() ?? 0) - 0.3...(xs.max() ?? 1) + 0.3
        let panels = try (1...max(steps, 1)).map { step -> SVGPlot in
            var plot = try SVGPlot(title: "step \(step)", xLabel: "log2 width", yLabel: "log10 mean |x|", xRange: xRange, yRange: low...max(high, low + 1))
            for (index, layer) in layers.enumerated() {
                let points = widths.compactMap { w -> (x: Double, y: Double)? in
                    guard let v = layer.scales[String(w)]?[step - 1], v > 0, v.isFinite else { return nil }
                    return (log2(Double(w)), log10(v))
                }
                let isLogits = layer.name == "logits"
                let color = isLogits ? SVGPlot.Color.black : SVGPlot.Color.series[index % SVGPlot.Color.series.count]
                plot.addLine(points, label: step == 1 && (isLogits || layers.count <= 12) ? layer.name : nil, color: color, width: isLogits ? 3 : 1.2)
                plot.addMarkers(points, label: nil, color: color, radius: 2)
            }
            plot.width = 420
            plot.height = 340
            return plot
        }
        return SVGPlot.grid(panels, columns: min(3, panels.count))
    }
}
