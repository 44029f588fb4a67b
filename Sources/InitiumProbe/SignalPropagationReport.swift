import Foundation
import InitiumCore
import InitiumNN
import InitiumTheory

/// Per-layer signal-propagation diagnostics at initialization, measured on a real batch and set
/// against the mean-field prediction (Poole et al., NeurIPS 2016; Schoenholz et al., ICLR 2017).
///
/// For weighted layer l with input second moment m_l, the prediction of the pre-activation
/// variance is q_l = σ²_w,l · m_l + σ²_b,l, where σ²_w,l = fan_in · mean(W²) and σ²_b,l = mean(b²)
/// are read from the layer's actual weights. The first layer uses the batch's own m₁ = mean(x²);
/// a later layer that follows its predecessor through one activation φ uses
/// m_l = E[φ(√q_{l−1} z)²], z ~ N(0, 1), so the prediction is propagated from the input through
/// the whole depth. Layers with anything else in between (pooling, normalization, residual sums)
/// get no prediction.
///
/// Verdicts (first that applies), with thresholds that allow for finite width: at width N a
/// single random draw moves the log-variance by about √(2/N) per layer for strongly correlated
/// inputs, a random walk whose spread after l layers is s_l = √(2l/N). A deviation is flagged
/// only beyond a factor 10 plus four such standard deviations, t_l = ln 10 + 4 s_l:
/// - `dead`: more than half the units of a ReLU-like layer are ≤ 0 for every example of the batch;
/// - `saturated`: more than half the activations of a bounded (tanh/sigmoid-like) layer sit where
///   φ′ < 5% of its peak;
/// - `vanishing` / `exploding`: the forward variance ln(q_l/q₁) or the backward gradient variance
///   ln(g_l/g_L) (relative to the last layer) is below −t or above +t.
public struct SignalPropagationReport: Sendable, Codable {
    /// One weighted layer's measurements.
    public struct Layer: Sendable, Codable {
        /// The layer's path.
        public var name: String
        /// fan-in and width (output units or channels).
        public var fanIn: Int, width: Int
        /// σ²_w = fan_in·mean(W²) and σ²_b = mean(b²) of the actual weights.
        public var weightVariance: Double, biasVariance: Double
        /// Mean and variance of the pre-activations over the batch and units.
        public var preMean: Double, preVariance: Double
        /// The mean-field prediction of the pre-activation second moment, when there is one.
        public var predictedVariance: Double?
        /// Relative error |measured − predicted|/predicted (second moments).
        public var relativeError: Double?
        /// The relative fluctuation one random draw of this width gives, √(2/width).
        public var expectedFluctuation: Double
        /// Fraction of units that are ≤ 0 for every example (ReLU-like activations).
        public var deadFraction: Double
        /// Fraction of activations where φ′ is below 5% of its maximum (bounded activations).
        public var saturatedFraction: Double
        /// Fraction of exactly-zero activations after the nonlinearity.
        public var sparsity: Double
        /// Variance of ∂L/∂pre-activation and of ∂L/∂W.
        public var gradientVariance: Double?, weightGradientVariance: Double?
        /// ‖∂L/∂W‖ / ‖W‖.
        public var gradientToWeightRatio: Double?
        /// `ok`, `vanishing`, `exploding`, `saturated` or `dead`.
        public var verdict: String

        enum CodingKeys: String, CodingKey {
            case name, fanIn = "fan_in", width, weightVariance = "sigma_w2", biasVariance = "sigma_b2"
            case preMean = "pre_mean", preVariance = "pre_var", predictedVariance = "predicted_var"
            case relativeError = "relative_error", expectedFluctuation = "expected_fluctuation", deadFraction = "dead_fraction", saturatedFraction = "saturated_fraction"
            case sparsity, gradientVariance = "grad_var", weightGradientVariance = "weight_grad_var"
            case gradientToWeightRatio = "grad_to_weight", verdict
        }
    }

    /// The layers in forward order.
    public var layers: [Layer]
    /// One line for the whole network.
    public var summary: String
    /// The geometric mean per-layer factor of the forward variance over the hidden layers.
    public var forwardFactorPerLayer: Double?
    /// The median and maximum relative error of the predictions over the hidden layers (the
    /// classifier, a few units wide, fluctuates by √(2/K) and is reported but not summarized).
    public var medianRelativeError: Double?, maximumRelativeError: Double?
    /// Expected relative fluctuation of one layer's variance at this width: √(2/N).
    public var expectedFluctuation: Double

    enum CodingKeys: String, CodingKey {
        case layers, summary, forwardFactorPerLayer = "forward_factor_per_layer"
        case medianRelativeError = "median_relative_error", maximumRelativeError = "max_relative_error"
        case expectedFluctuation = "expected_fluctuation"
    }
}

extension SignalPropagationReport {
    /// Measures `model` on `inputs` (with `labels` the backward pass uses cross-entropy, else the
    /// sum of outputs) and predicts each layer's variance for the hidden `activation`.
    public init(model: any Module, inputs: Tensor, labels: [Int32]?, activation: InitiumNN.Activation) throws {
        let objective: LayerTracer.Objective = labels.map { .crossEntropy(labels: $0) } ?? .sumOfOutputs
        let (traces, _) = try LayerTracer.trace(model, inputs: inputs, objective: objective)
        let predictable = Self.predictableLayers(model: model)
        let theoryActivation = MeanFieldActivation(activation.spec)
        let integrator = GaussianIntegrator()
        let inputSecondMoment = inputs.moments.meanSquare
        let function = activation.function
        var layers: [Layer] = []
        var previousPrediction: Double?
        for (index, trace) in traces.enumerated() {
            let layout = try trace.layer.weightLayout
            let weightMoments = trace.layer.weight.value.moments
            let sigmaW2 = Double(layout.fanIn) * weightMoments.meanSquare
            let sigmaB2 = trace.layer.bias.map { $0.value.moments.meanSquare } ?? 0
            let measured = trace.output.moments
            var prediction: Double?
            if index == 0 {
                prediction = sigmaW2 * inputSecondMoment + sigmaB2
            } else if predictable.contains(trace.path), let previous = previousPrediction {
                let m = try theoryActivation.expectation(of: .secondMoment, variance: previous, integrator: integrator)
                prediction = sigmaW2 * m + sigmaB2
            }
            previousPrediction = prediction
            let width = trace.output.rank >= 2 ? trace.output.shape[1] : 1
            let after = function.map { $0.apply(trace.output) }
            let isLast = index == traces.count - 1
            layers.append(Layer(
                name: trace.path, fanIn: layout.fanIn, width: width, weightVariance: sigmaW2, biasVariance: sigmaB2,
                preMean: measured.mean, preVariance: measured.variance, predictedVariance: prediction,
                relativeError: prediction.map { abs(measured.meanSquare - $0) / max($0, 1e-30) },
                expectedFluctuation: (2 / Double(max(width, 1))).squareRoot(),
                deadFraction: isLast ? 0 : Self.deadFraction(trace.output, function: function),
                saturatedFraction: isLast ? 0 : Self.saturatedFraction(trace.output, function: function),
                sparsity: isLast ? 0 : (after.map { t in Double(t.scalars.filter { $0 == 0 }.count) / Double(max(t.count, 1)) } ?? 0),
                gradientVariance: trace.outputGradient.map { $0.moments.variance },
                weightGradientVariance: trace.weightGradient.map { $0.moments.variance },
                gradientToWeightRatio: trace.weightGradient.map { Statistics.norm($0) / max(Statistics.norm(trace.layer.weight.value), 1e-30) },
                verdict: "ok"))
        }
        let hiddenWidths = layers.dropLast().map(\.width)
        let width = Double(hiddenWidths.isEmpty ? (layers.first?.width ?? 1) : hiddenWidths.reduce(0, +) / hiddenWidths.count)
        self.init(layers: layers, summary: "", forwardFactorPerLayer: nil, medianRelativeError: nil,
                  maximumRelativeError: nil, expectedFluctuation: (2 / max(width, 1)).squareRoot())
        assignVerdicts(width: width)
    }

    /// Paths of weighted layers whose input is their predecessor's output through exactly one
    /// activation layer (so the mean-field map applies).
    static func predictableLayers(model: any Module) -> Set<String> {
        var result = Set<String>()
        var sinceLastWeighted: [any Module] = []
        var sawWeighted = false
        for (path, module) in model.namedModules where module.children.isEmpty {
            if module is any WeightedLayer {
                if sawWeighted, sinceLastWeighted.count == 1, sinceLastWeighted[0].kind.activation != nil { result.insert(path) }
                sawWeighted = true
                sinceLastWeighted = []
            } else if module.kind != .reshape {
                sinceLastWeighted.append(module)
            }
        }
        return result
    }

    static func isReLULike(_ function: PointwiseFunction?) -> Bool {
        switch function {
        case .relu?, .shiftedReLU?, .clippedReLU?: return true
        default: return false
        }
    }

    static func deadFraction(_ pre: Tensor, function: PointwiseFunction?) -> Double {
        guard isReLULike(function), pre.rank >= 2 else { return 0 }
        let n = pre.shape[0], units = pre.count / max(n, 1)
        let threshold: Float
        switch function {
        case let .shiftedReLU(tau)?, let .clippedReLU(tau, _)?: threshold = tau
        default: threshold = 0
        }
        return pre.withUnsafeBufferPointer { p in
            var alive = [Bool](repeating: false, count: units)
            for i in 0..<n {
                for u in 0..<units where p[i * units + u] > threshold { alive[u] = true }
            }
            return Double(alive.filter { !$0 }.count) / Double(max(units, 1))
        }
    }

    static func saturatedFraction(_ pre: Tensor, function: PointwiseFunction?) -> Double {
        let limit: Float
        switch function {
        case .tanh?: limit = 2.178  // tanh′(x) = 1 − tanh² < 0.05 for |x| > 2.178
        case .sigmoid?: limit = 2.887  // σ′(x)/σ′(0) < 0.05 for |x| > 2.887
        default: return 0
        }
        return pre.withUnsafeBufferPointer { p in Double(p.filter { abs($0) > limit }.count) / Double(max(p.count, 1)) }
    }

    mutating func assignVerdicts(width: Double) {
        guard !layers.isEmpty else { summary = "no weighted layers"; return }
        let q1 = max(layers[0].preVariance + layers[0].preMean * layers[0].preMean, 1e-30)
        // Backward reference: the last hidden layer. The classifier's gradient (softmax − one-hot
        // over a handful of outputs) has a different scale by construction, so it is not checked.
        let reference = layers.count >= 2 ? layers.count - 2 : layers.count - 1
        let gLast = layers[reference].gradientVariance
        func threshold(_ steps: Int) -> Double { log(10) + 4 * (2 * Double(steps) / max(width, 1)).squareRoot() }
        var firstProblem: (index: Int, verdict: String)?
        for i in layers.indices {
            let l = layers[i]
            var verdict = "ok"
            let q = l.preVariance + l.preMean * l.preMean
            let forward = log(max(q, 1e-300) / q1)
            let backward = zip([l.gradientVariance], [gLast]).compactMap { g, last -> Double? in
                guard let g, let last, last > 0 else { return nil }
                return log(max(g, 1e-300) / last)
            }.first
            if l.deadFraction > 0.5 {
                verdict = "dead"
            } else if l.saturatedFraction > 0.5 {
                verdict = "saturated"
            } else if forward < -threshold(i) || (i < reference && backward.map { $0 < -threshold(reference - i) } ?? false) {
                verdict = "vanishing"
            } else if forward > threshold(i) || (i < reference && backward.map { $0 > threshold(reference - i) } ?? false) {
                verdict = "exploding"
            }
            layers[i].verdict = verdict
            if verdict != "ok", firstProblem == nil { firstProblem = (i, verdict) }
        }
        let hidden = Array(layers.dropLast())
        if hidden.count >= 2 {
            let first = hidden[0], last = hidden[hidden.count - 1]
            let qFirst = first.preVariance + first.preMean * first.preMean
            let qLast = last.preVariance + last.preMean * last.preMean
            forwardFactorPerLayer = pow(max(qLast, 1e-300) / max(qFirst, 1e-300), 1 / Double(hidden.count - 1))
        }
        let errors = (layers.count >= 2 ? Array(layers.dropLast()) : layers).compactMap(\.relativeError)
        medianRelativeError = Statistics.median(errors)
        maximumRelativeError = errors.max()
        let factor = forwardFactorPerLayer.map { String(format: "variance changes ×%.3g per layer", $0) } ?? "single hidden layer"
        if let problem = firstProblem {
            summary = "\(factor): \(problem.verdict) by layer \(problem.index + 1) (\(layers[problem.index].name)) of \(layers.count)"
        } else {
            summary = "\(factor): healthy through all \(layers.count) layers"
        }
        if let median = medianRelativeError {
            summary += String(format: "; mean-field prediction median error %.1f%%", 100 * median)
        }
    }
}
