import InitiumCore

/// A multilayer perceptron: Linear layers with an activation between them, stored under
/// `layers` so parameters read `layers.0.weight`, `layers.2.bias`, … as in a PyTorch
/// `nn.Sequential` of `Linear` and activation modules. Inputs of rank > 2 are flattened.
public final class MLP: SequentialModule {
    /// Linear, activation, Linear, …, Linear.
    public let layers: Sequential
    /// Input, hidden and output widths.
    public let widths: [Int]
    /// The hidden activation.
    public let activation: Activation
    /// The one child, `layers`.
    public let children: [(name: String, module: any Module)]

    /// An MLP with the given widths (`[784, 300, 100, 10]`), PyTorch-default initialized from the
    /// scope's key (layer *i* folds `layers.i`; no key starts every weight at zero, see ``Linear``).
    /// The first layer has role `.input`, the last `.classifier`.
    public init(widths: [Int], activation: Activation, bias: Bool = true, scope: Scope) throws {
        guard widths.count >= 2, widths.allSatisfy({ $0 > 0 }) else {
            throw InitiumError.invalidArgument("an MLP needs at least an input and an output width, all positive; got \(widths)")
        }
        var list = ChildList(scope)
        layers = try list.addGroup("layers") { scope in
            var layers = ChildList(scope)
            for (i, (fanIn, fanOut)) in zip(widths, widths.dropFirst()).enumerated() {
                let isLast = i == widths.count - 2
                // A maxout hidden layer computes k pre-activations per unit and keeps their maximum.
                let outputWidth = isLast ? fanOut : fanOut * activation.maxoutGroup
                let linear = try layers.append { Linear(fanIn, outputWidth, bias: bias, scope: $0) }
                linear.roles = i == 0 ? [.input] : (isLast ? [.classifier] : [.hidden])
                if i == 0 && isLast { linear.roles = [.input, .classifier] }
                if !isLast { try layers.append { _ in ActivationLayer(activation) } }
            }
            return Sequential(layers)
        }
        children = list.entries
        self.widths = widths
        self.activation = activation
    }
}

extension MLP {
    /// An MLP spec's widths, input first and classes last.
    public struct Configuration: ModelConfiguration, Hashable {
        /// Input, hidden and output widths.
        public let widths: [Int]

        /// The widths of an MLP spec.
        public init(widths: [Int]) { self.widths = widths }

        /// The MLP, after checking the first width against the data's features and the last
        /// against its classes.
        public func build(spec: String, activation: Activation, inputShape: [Int], classCount: Int, scope: Scope) throws -> any Module {
            let features = Shape.count(of: inputShape)
            guard widths.first == features else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: spec, reason: "input width \(widths[0]) does not match the data's \(features) features \(inputShape)")
            }
            guard widths.last == classCount else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: spec, reason: "output width \(widths.last!) does not match the data's \(classCount) classes")
            }
            if let wide = widths.first(where: { $0 > Int(Int32.max) }) {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: spec, reason: "width \(wide) exceeds 2³¹ − 1, the largest matrix dimension BLAS accepts")
            }
            return try MLP(widths: widths, activation: activation, scope: scope)
        }

        /// Every layer's weight and bias.
        public var parameterCount: Int? { Self.denseParameterCount(widths) }

        /// Parses `IN-H1-…-OUT`, where `WxN` repeats a width N times.
        static func parseWidths(_ body: String, spec: String) throws -> [Int] {
            var widths: [Int] = []
            for part in body.split(separator: "-", omittingEmptySubsequences: false) {
                let pieces = part.split(separator: "x", omittingEmptySubsequences: false)
                guard pieces.count == 1 || pieces.count == 2, let width = Int(pieces[0]), width > 0 else {
                    throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "'\(part)' is not a width (use W or WxN)")
                }
                let repeats = pieces.count == 2 ? Int(pieces[1]) : 1
                guard let repeats, repeats > 0, repeats <= 10_000 else {
                    throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "'\(part)': the repeat count must be a positive integer")
                }
                widths += Array(repeating: width, count: repeats)
            }
            guard widths.count >= 2 else {
                throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "an MLP needs at least an input and an output width")
            }
            return widths
        }
    }
}

extension ModelFamily {
    /// `mlp:IN-H1-…-OUT`, a multilayer perceptron.
    public static let mlp = ModelFamily(
        name: "mlp", syntax: "mlp:IN-H1-…-OUT", example: "mlp:784-256x20-10",
        summary: "multilayer perceptron with these widths (WxN repeats a width N times)", input: .features
    ) { lowercased, typed in
        guard lowercased.hasPrefix("mlp:") else { return nil }
        return MLP.Configuration(widths: try MLP.Configuration.parseWidths(String(lowercased.dropFirst(4)), spec: typed))
    }

    /// `lenet300`, the MLP 784-300-100-10 of LeCun et al. 1998.
    public static let lenet300 = ModelFamily(
        name: "lenet300", syntax: "lenet300", summary: "the MLP 784-300-100-10 (LeCun et al. 1998)", input: .features
    ) { lowercased, _ in
        lowercased == "lenet300" ? MLP.Configuration(widths: [784, 300, 100, 10]) : nil
    }
}
