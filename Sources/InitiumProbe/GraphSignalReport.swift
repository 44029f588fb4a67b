import Foundation
import InitiumCore
import InitiumNN

/// Signal propagation through a graph network at initialization, layer by layer, on one graph
/// batch: each message-passing layer's output y (``MessagePassingLayer``, before φ) is measured
/// for its second moment E[y²] over all entries (forward; the quantity Virgo's c5 = Σ h² tracks),
/// the second moment of ∂L/∂y (backward), both Dirichlet energies (``DirichletEnergy``), and
/// Virgo's predicted ratios beside the measured ones when Virgo's c2 lists are given.
///
/// The backward signal is label-free: L = Σ R ⊙ output with R i.i.d. N(0, 1) drawn from `key`,
/// over the output of every node for node tasks (the batch's output nodes are ignored) or every
/// graph for graph tasks, so the error enters at every node as Virgo's backward analysis assumes
/// (a loss on a few labelled nodes would measure how far their error has spread instead).
///
/// Virgo's prediction (Li, Song, Song & Wipf, ICML 2023): a layer whose weights have variance
/// s_l multiplies the forward variance by s_l/c2_for[l] and the backward variance flowing into
/// the layer below by s_l/c2_back[l] (ratio 1 under Virgo's one-sided variances), so relative to
/// layer 1: forward ∏_{k=2..l} s_k/c2_for[k], backward ∏_{k=2..l} c2_back[k]/s_k. s_l is the mean
/// weight variance of the layer's ``MessagePassingLayer/featureTransforms``.
///
/// Verdicts per layer: `forward drift` / `backward drift` when the measured variance leaves
/// [½, 2] × layer 1's (the last layer's output gradient is the seed R itself, not a propagated
/// signal: it is reported but not judged, and left out of ``backwardSpread``); `over-smoothing` when the unnormalized energy relative to the features'
/// mean square, E_a/mean‖xᵢ‖², falls below 1% of the input features' value; `non-finite`.
public struct GraphSignalReport: Sendable, Codable {
    /// One message-passing layer's measurements.
    public struct Layer: Sendable, Codable {
        /// The layer's path (`convs.3`, `head`).
        public var name: String
        /// Mean weight variance of its feature transforms, s_l.
        public var weightVariance: Double
        /// E[y²] of the layer's output over all entries.
        public var forwardVariance: Double
        /// E[(∂L/∂y)²].
        public var backwardVariance: Double
        /// forwardVariance / layer 1's.
        public var forwardRatio: Double
        /// backwardVariance / layer 1's.
        public var backwardRatio: Double
        /// Virgo's predicted forward ratio to layer 1, when c2 lists were given.
        public var predictedForwardRatio: Double?
        /// Virgo's predicted backward ratio to layer 1.
        public var predictedBackwardRatio: Double?
        /// Unnormalized Dirichlet energy (1/|V|) Σ aᵢⱼ‖xᵢ − xⱼ‖².
        public var energy: Double
        /// Augmented-normalized energy tr(Xᵀ(I − Â)X).
        public var normalizedEnergy: Double
        /// energy / mean ‖xᵢ‖² (scale-free).
        public var relativeEnergy: Double
        /// `ok` or the problems found.
        public var verdict: String

        enum CodingKeys: String, CodingKey {
            case name, weightVariance = "weight_variance", forwardVariance = "forward_variance", backwardVariance = "backward_variance"
            case forwardRatio = "forward_ratio", backwardRatio = "backward_ratio"
            case predictedForwardRatio = "predicted_forward_ratio", predictedBackwardRatio = "predicted_backward_ratio"
            case energy = "dirichlet_energy", normalizedEnergy = "normalized_dirichlet_energy", relativeEnergy = "relative_dirichlet_energy"
            case verdict
        }
    }

    /// The layers in forward order.
    public var layers: [Layer]
    /// The unnormalized and relative energy of the input node features.
    public var inputEnergy: Double, inputRelativeEnergy: Double
    /// max over layers of max(ratio, 1/ratio) for the forward and backward variances (backward:
    /// every layer but the last, whose output gradient is the seed).
    public var forwardSpread: Double, backwardSpread: Double
    /// One line on the whole network.
    public var summary: String

    enum CodingKeys: String, CodingKey {
        case layers, inputEnergy = "input_dirichlet_energy", inputRelativeEnergy = "input_relative_dirichlet_energy"
        case forwardSpread = "forward_spread", backwardSpread = "backward_spread", summary
    }

    /// Measures `model` on node features `inputs` of the graph `batch`, the backward pass seeded
    /// from `key`; `virgo` are Virgo's (c2_for, c2_back) lists for the model's message-passing
    /// layers, when known.
    public init(
        model: any Module, inputs: Tensor, batch: GraphBatch, key: RandomKey, virgo: (forward: [Double], backward: [Double])? = nil
    ) throws {
        let batch = batch.isGraphTask ? batch : try batch.selecting(nil)
        let paths = Dictionary(model.namedModules.map { (ObjectIdentifier($0.module), $0.path) }, uniquingKeysWith: { a, _ in a })
        var recorded: [(path: String, layer: any MessagePassingLayer, output: Tensor, probe: Parameter)] = []
        let context = ForwardContext(mode: .inference, recordsGradients: true)
        context.graph = batch
        context.interceptor = { module, y in
            guard let layer = module as? any MessagePassingLayer, let path = paths[ObjectIdentifier(module)] else { return y }
            let probe = Parameter(Tensor.zeros(y.shape))
            recorded.append((path, layer, y.detached(), probe))
            return try y + probe.tracked
        }
        model.zeroGradients()
        let output = try model.forward(inputs, context: context)
        try output.backward(seed: try Tensor.normal(output.shape, key: key))
        model.zeroGradients()
        guard !recorded.isEmpty else { throw InitiumError.invalidArgument("the model has no message-passing layers to report on") }
        if let virgo, virgo.forward.count != recorded.count || virgo.backward.count != recorded.count {
            throw InitiumError.internalFailure("Virgo lists for \(virgo.forward.count) layers, model has \(recorded.count)")
        }
        func relative(_ energy: Double, _ x: Tensor) -> Double {
            let meanSquare = x.moments.meanSquare * Double(x.shape[1])
            return meanSquare > 0 ? energy / meanSquare : 0
        }
        let adjacency = batch.graph.adjacency
        inputEnergy = try DirichletEnergy.unnormalized(inputs, adjacency: adjacency)
        inputRelativeEnergy = relative(inputEnergy, inputs)
        var layers: [Layer] = []
        var predictedForward = 1.0, predictedBackward = 1.0
        for (index, entry) in recorded.enumerated() {
            let transforms = entry.layer.featureTransforms
            let s = transforms.map { $0.weight.value.moments.variance }.reduce(0, +) / Double(max(transforms.count, 1))
            let gradient = entry.probe.gradient.map { $0.moments.meanSquare } ?? 0
            let energy = try DirichletEnergy.unnormalized(entry.output, adjacency: adjacency)
            if let virgo, index > 0 {
                predictedForward *= s / virgo.forward[index]
                predictedBackward *= virgo.backward[index] / s
            }
            layers.append(Layer(
                name: entry.path, weightVariance: s, forwardVariance: entry.output.moments.meanSquare, backwardVariance: gradient,
                forwardRatio: 1, backwardRatio: 1, predictedForwardRatio: virgo == nil ? nil : predictedForward,
                predictedBackwardRatio: virgo == nil ? nil : predictedBackward,
                energy: energy, normalizedEnergy: try DirichletEnergy.normalized(entry.output, propagation: batch.symmetric),
                relativeEnergy: relative(energy, entry.output), verdict: "ok"))
        }
        let (forward0, backward0) = (layers[0].forwardVariance, layers[0].backwardVariance)
        for i in layers.indices {
            layers[i].forwardRatio = forward0 > 0 ? layers[i].forwardVariance / forward0 : .nan
            layers[i].backwardRatio = backward0 > 0 ? layers[i].backwardVariance / backward0 : .nan
            var problems: [String] = []
            let l = layers[i]
            if !(l.forwardVariance.isFinite && l.backwardVariance.isFinite && l.energy.isFinite) { problems.append("non-finite") }
            if !(0.5...2).contains(l.forwardRatio) { problems.append("forward drift") }
            if i < layers.count - 1, !(0.5...2).contains(l.backwardRatio) { problems.append("backward drift") }
            if inputRelativeEnergy > 0, l.relativeEnergy < 0.01 * inputRelativeEnergy { problems.append("over-smoothing") }
            layers[i].verdict = problems.isEmpty ? "ok" : problems.joined(separator: ", ")
        }
        self.layers = layers
        func spread(_ ratios: [Double]) -> Double { ratios.map { $0 > 0 ? Swift.max($0, 1 / $0) : .infinity }.max() ?? 1 }
        forwardSpread = spread(layers.map(\.forwardRatio))
        backwardSpread = spread(layers.dropLast().map(\.backwardRatio))
        let last = layers[layers.count - 1]
        let flagged = layers.filter { $0.verdict != "ok" }
        summary = String(
            format: "%d message-passing layers: forward variance within ×%.3g of layer 1, backward within ×%.3g; relative Dirichlet energy %.3g (input) → %.3g (last)%@",
            layers.count, forwardSpread, backwardSpread, inputRelativeEnergy, last.relativeEnergy,
            flagged.isEmpty ? "; no layer flagged" : "; \(flagged.count) layers flagged (first: \(flagged[0].name): \(flagged[0].verdict))")
    }
}
