import InitiumCore

/// Multinomial logistic regression: one fully connected layer `fc` from the input features to the
/// class logits, softmax in the loss, y = x·Wᵀ + b (Cox, "The Regression Analysis of Binary
/// Sequences", JRSS B 1958). The layer has PyTorch's default initialization and roles `.input`
/// and `.classifier`; parameters `fc.weight` `[classes, features]` and `fc.bias`. Inputs of rank
/// > 2 are flattened. Spec: `linear:in=784,out=10`.
public final class LinearClassifier: SequentialModule {
    /// The one layer.
    public let fc: Linear
    /// The one child, `fc`.
    public let children: [(name: String, module: any Module)]

    /// A classifier from `inFeatures` to `classCount` logits, initialized from the scope's key.
    public init(inFeatures: Int, classCount: Int, scope: Scope) throws {
        var list = ChildList(scope)
        fc = try list.add("fc") { Linear(inFeatures, classCount, scope: $0) }
        fc.roles = [.input, .classifier]
        children = list.entries
    }

    /// A `linear:` spec's sizes.
    public struct Configuration: ModelConfiguration, Hashable {
        /// Input features.
        public let inFeatures: Int
        /// Classes.
        public let classCount: Int

        /// The weight and the bias.
        public var parameterCount: Int? { Self.denseParameterCount([inFeatures, classCount]) }

        /// The classifier, after checking the sizes against the data.
        public func build(spec: String, activation: Activation, inputShape: [Int], classCount: Int, scope: Scope) throws -> any Module {
            let features = Shape.count(of: inputShape)
            guard inFeatures == features, self.classCount == classCount else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: spec,
                    reason: "in=\(inFeatures), out=\(self.classCount) do not match the data's \(features) features and \(classCount) classes")
            }
            return try LinearClassifier(inFeatures: inFeatures, classCount: classCount, scope: scope)
        }
    }
}

extension ModelFamily {
    /// `linear:in=IN,out=OUT`, logistic regression.
    public static let linear = ModelFamily.keyed(
        "linear", syntax: "linear:in=IN,out=OUT", example: "linear:in=784,out=10",
        summary: "logistic regression, one linear layer", input: .features, keys: ["in", "out"]
    ) { values in
        LinearClassifier.Configuration(inFeatures: values["in"]!, classCount: values["out"]!)
    }
}
