import InitiumCore
import InitiumNN

/// What one forward and backward pass shows at each weighted layer (Linear, Conv2d, …): its
/// output (the pre-activation the next nonlinearity sees), the gradient of the loss with respect
/// to that output, and the weight gradient.
public struct LayerTrace: @unchecked Sendable {
    /// The layer's path in the model (`layers.4`).
    public var path: String
    /// The layer.
    public var layer: any WeightedLayer
    /// The layer's output for the batch.
    public var output: Tensor
    /// ∂L/∂output, when a backward pass ran.
    public var outputGradient: Tensor?
    /// ∂L/∂weight, when a backward pass ran.
    public var weightGradient: Tensor?
}

/// Runs a model on a batch while recording every weighted layer's output and gradient.
///
/// Each weighted layer's output y is replaced by y + Z with Z a tracked zero parameter of y's
/// shape (through ``ForwardContext/interceptor``), so after backward Z's gradient is exactly ∂L/∂y;
/// the forward values are unchanged. The model runs in inference mode (running statistics, no
/// dropout) with gradients recorded, and the model's own gradients are cleared afterwards.
public enum LayerTracer {
    /// What to differentiate.
    public enum Objective: Sendable {
        /// Mean softmax cross-entropy against labels.
        case crossEntropy(labels: [Int32])
        /// The sum of all outputs (label-free).
        case sumOfOutputs
        /// No backward pass.
        case none
    }

    /// Traces `model` on `inputs`; returns the traces in forward order and the model output.
    public static func trace(
        _ model: any Module, inputs: Tensor, objective: Objective
    ) throws -> (layers: [LayerTrace], output: Tensor) {
        let paths = Dictionary(model.namedModules.map { (ObjectIdentifier($0.module), $0.path) }, uniquingKeysWith: { a, _ in a })
        var recorded: [(path: String, layer: any WeightedLayer, output: Tensor, probe: Parameter)] = []
        let recordsGradients: Bool
        if case .none = objective { recordsGradients = false } else { recordsGradients = true }
        let context = ForwardContext(mode: .inference, recordsGradients: recordsGradients)
        context.interceptor = { module, y in
            guard let layer = module as? any WeightedLayer, let path = paths[ObjectIdentifier(module)] else { return y }
            let probe = Parameter(Tensor.zeros(y.shape))
            recorded.append((path, layer, y.detached(), probe))
            return recordsGradients ? try y + probe.tracked : y
        }
        model.zeroGradients()
        let output = try model.forward(inputs, context: context)
        switch objective {
        case let .crossEntropy(labels):
            try output.softmaxCrossEntropy(labels: labels).backward()
        case .sumOfOutputs:
            try output.sum().backward()
        case .none:
            break
        }
        let traces = recorded.map { entry in
            LayerTrace(
                path: entry.path, layer: entry.layer, output: entry.output, outputGradient: entry.probe.gradient,
                weightGradient: entry.layer.weight.gradient)
        }
        model.zeroGradients()
        return (traces, output.detached())
    }
}
