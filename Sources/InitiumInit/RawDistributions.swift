import InitiumCore
import InitiumNN

/// Schemes that ignore fans: a constant, or draws from a fixed distribution (validated when
/// the scheme is parsed, by ``rule(drawingFrom:)``).
enum FixedDistributionInitializer: TensorInitializer {
    case constant(Float)
    case random(Distribution)

    /// A scheme rule drawing from `distribution`, which must be valid.
    static func rule(drawingFrom distribution: Distribution) throws -> Scheme.Rule {
        try distribution.validate()
        return .tensor(FixedDistributionInitializer.random(distribution))
    }

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        var w = Tensor(uninitializedShape: layout.shape)
        try fill(&w, layout: layout, key: key, context: context)
        return w
    }

    func fill(_ tensor: inout Tensor, layout: WeightLayout, key: RandomKey, context: InitializationContext) throws {
        switch self {
        case let .constant(value): tensor = Tensor(shape: layout.shape, repeating: value)
        case let .random(distribution): tensor.fillRandom(distribution, key: key)
        }
    }
}

extension SchemeCatalog {
    static let rawDistributionEntries: [Entry] = [
        Entry(name: "constant", parameters: [ParameterInfo(name: "value", defaultValue: "0", summary: "the constant")],
              summary: "every weight equal to value", reference: "torch.nn.init.constant_") { spec in
            .tensor(FixedDistributionInitializer.constant(Float(try spec.number("value", default: 0, kind: kind))))
        },
        Entry(name: "zeros", parameters: [], summary: "all weights 0", reference: "torch.nn.init.zeros_") { _ in
            .tensor(FixedDistributionInitializer.constant(0))
        },
        Entry(name: "ones", parameters: [], summary: "all weights 1", reference: "torch.nn.init.ones_") { _ in
            .tensor(FixedDistributionInitializer.constant(1))
        },
        Entry(name: "uniform",
              parameters: [ParameterInfo(name: "low", defaultValue: "0", summary: "lower bound"),
                           ParameterInfo(name: "high", defaultValue: "1", summary: "upper bound")],
              summary: "U(low, high)", reference: "torch.nn.init.uniform_") { spec in
            try FixedDistributionInitializer.rule(drawingFrom:
                .uniform(low: Float(try spec.number("low", default: 0, kind: kind)), high: Float(try spec.number("high", default: 1, kind: kind))))
        },
        Entry(name: "normal",
              parameters: [ParameterInfo(name: "mean", defaultValue: "0", summary: "mean"),
                           ParameterInfo(name: "std", defaultValue: "1", summary: "standard deviation")],
              summary: "N(mean, std²)", reference: "torch.nn.init.normal_") { spec in
            try FixedDistributionInitializer.rule(drawingFrom:
                .normal(mean: Float(try spec.number("mean", default: 0, kind: kind)), std: Float(try spec.number("std", default: 1, kind: kind))))
        },
        Entry(name: "truncated-normal",
              parameters: [ParameterInfo(name: "mean", defaultValue: "0", summary: "mean"),
                           ParameterInfo(name: "std", defaultValue: "1", summary: "standard deviation before truncation"),
                           ParameterInfo(name: "a", defaultValue: "-2", summary: "lower bound (absolute, as PyTorch)"),
                           ParameterInfo(name: "b", defaultValue: "2", summary: "upper bound (absolute, as PyTorch)")],
              summary: "N(mean, std²) conditioned on [a, b], by inverse CDF", reference: "torch.nn.init.trunc_normal_") { spec in
            try FixedDistributionInitializer.rule(drawingFrom: .truncatedNormal(
                mean: Float(try spec.number("mean", default: 0, kind: kind)), std: Float(try spec.number("std", default: 1, kind: kind)),
                lower: Float(try spec.number("a", default: -2, kind: kind)), upper: Float(try spec.number("b", default: 2, kind: kind))))
        },
    ]
}
