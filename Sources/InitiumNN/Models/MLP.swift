/// A multilayer perceptron: Linear layers with an activation between them, stored under
/// `layers` so parameters read `layers.0.weight`, `layers.2.bias`, … as in a PyTorch
/// `nn.Sequential` of `Linear` and activation modules. Inputs of rank > 2 are flattened.
public final class MLP: Module {
    /// Linear, activation, Linear, …, Linear.
    public let layers: Sequential
    /// Input, hidden and output widths.
    public let widths: [Int]
    /// The hidden activation.
    public let activation: Activation

    /// An MLP with the given widths (`[784, 300, 100, 10]`), PyTorch-default initialized from `key`
    /// (layer *i* folds `layers.i`; `nil` starts every weight at zero, see ``Linear``). The first layer has role `.input`, the last `.classifier`.
    public init(widths: [Int], activation: Activation, bias: Bool = true, key: RandomKey?) throws {
        guard widths.count >= 2, widths.allSatisfy({ $0 > 0 }) else {
            throw InitiumError.invalidArgument("an MLP needs at least an input and an output width, all positive; got \(widths)")
        }
        var modules: [any Module] = []
        for (i, (fanIn, fanOut)) in zip(widths, widths.dropFirst()).enumerated() {
            let isLast = i == widths.count - 2
            // A maxout hidden layer computes k pre-activations per unit and keeps their maximum.
            let outputWidth = isLast ? fanOut : fanOut * activation.maxoutGroup
            let linear = Linear(fanIn, outputWidth, bias: bias, key: key?.fold("layers.\(modules.count)"))
            linear.roles = i == 0 ? [.input] : (isLast ? [.classifier] : [.hidden])
            if i == 0 && isLast { linear.roles = [.input, .classifier] }
            modules.append(linear)
            if !isLast { modules.append(ActivationLayer(activation)) }
        }
        layers = Sequential(modules)
        self.widths = widths
        self.activation = activation
    }

    public var children: [(name: String, module: any Module)] { [("layers", layers)] }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try forward(child: "layers", layers, input, context: context)
    }
}
