import InitiumNN
/// Schemes that ignore fans: constants and fixed distributions.
struct FixedDistributionInitializer: TensorInitializer {
    let distribution: Distribution?
    let constant: Float

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        guard let distribution else { return Tensor(shape: layout.shape, repeating: constant) }
        return try Tensor.random(layout.shape, distribution, key: key)
    }

    func fill(_ tensor: inout Tensor, layout: WeightLayout, key: RandomKey, context: InitializationContext) throws {
        guard let distribution else {
            tensor = Tensor(shape: layout.shape, repeating: constant)
            return
        }
        try distribution.validate()
        tensor.fillRandom(distribution, key: key)
    }
}

extension SchemeCatalog {
    static let rawDistributionEntries: [Entry] = [
        Entry(name: "constant", parameters: [ParameterInfo(name: "value", defaultValue: "0", summary: "the constant")],
              summary: "every weight equal to value", reference: "torch.nn.init.constant_") { spec in
            .tensor(FixedDistributionInitializer(distribution: nil, constant: Float(try spec.number("value", default: 0, kind: kind))))
        },
        Entry(name: "zeros", parameters: [], summary: "all weights 0", reference: "torch.nn.init.zeros_") { _ in
            .tensor(FixedDistributionInitializer(distribution: nil, constant: 0))
        },
        Entry(name: "ones", parameters: [], summary: "all weights 1", reference: "torch.nn.init.ones_") { _ in
            .tensor(FixedDistributionInitializer(distribution: nil, constant: 1))
        },
        Entry(name: "uniform",
              parameters: [ParameterInfo(name: "low", defaultValue: "0", summary: "lower bound"),
                           ParameterInfo(name: "high", defaultValue: "1", summary: "upper bound")],
              summary: "U(low, high)", reference: "torch.nn.init.uniform_") { spec in
            let d = Distribution.uniform(low: Float(try spec.number("low", default: 0, kind: kind)), high: Float(try spec.number("high", default: 1, kind: kind)))
            try d.validate()
            return .tensor(FixedDistributionInitializer(distribution: d, constant: 0))
        },
        Entry(name: "normal",
              parameters: [ParameterInfo(name: "mean", defaultValue: "0", summary: "mean"),
                           ParameterInfo(name: "std", defaultValue: "1", summary: "standard deviation")],
              summary: "N(mean, std²)", reference: "torch.nn.init.normal_") { spec in
            let d = Distribution.normal(mean: Float(try spec.number("mean", default: 0, kind: kind)), std: Float(try spec.number("std", default: 1, kind: kind)))
            try d.validate()
            return .tensor(FixedDistributionInitializer(distribution: d, constant: 0))
        },
        Entry(name: "truncated-normal",
              parameters: [ParameterInfo(name: "mean", defaultValue: "0", summary: "mean"),
                           ParameterInfo(name: "std", defaultValue: "1", summary: "standard deviation before truncation"),
                           ParameterInfo(name: "a", defaultValue: "-2", summary: "lower bound (absolute, as PyTorch)"),
                           ParameterInfo(name: "b", defaultValue: "2", summary: "upper bound (absolute, as PyTorch)")],
              summary: "N(mean, std²) conditioned on [a, b], by inverse CDF", reference: "torch.nn.init.trunc_normal_") { spec in
            let d = Distribution.truncatedNormal(
                mean: Float(try spec.number("mean", default: 0, kind: kind)), std: Float(try spec.number("std", default: 1, kind: kind)),
                lower: Float(try spec.number("a", default: -2, kind: kind)), upper: Float(try spec.number("b", default: 2, kind: kind)))
            try d.validate()
            return .tensor(FixedDistributionInitializer(distribution: d, constant: 0))
        },
    ]
}
