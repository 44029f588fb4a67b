import InitiumNN
/// Every scheme Initium knows, with its parameters, defaults and a one-line description — what
/// `initium schemes` lists and what ``Scheme/init(_:)`` parses.
public enum SchemeCatalog {
    /// A parameter a scheme accepts.
    public struct ParameterInfo: Sendable, Codable {
        /// The key users type.
        public var name: String
        /// The default, as typed.
        public var defaultValue: String
        /// What it does.
        public var summary: String

        enum CodingKeys: String, CodingKey { case name, defaultValue = "default", summary }
    }

    /// One catalog entry.
    public struct Entry: Sendable {
        /// The scheme's name.
        public var name: String
        /// Its parameters.
        public var parameters: [ParameterInfo]
        /// One line: the formula.
        public var summary: String
        /// The paper or source.
        public var reference: String
        /// Builds the rule from a parsed spec.
        let make: @Sendable (SpecSyntax) throws -> Scheme.Rule
    }

    /// All entries, in the order `initium schemes` prints them.
    public static let entries: [Entry] = varianceScalingEntries + rawDistributionEntries

    /// The entry for a name, if any.
    public static func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }
}

extension SchemeCatalog {
    static let kind = "initialization scheme"

    static func gain(_ spec: SpecSyntax, default fallback: Gain) throws -> Gain {
        guard let raw = spec.value("gain") else { return fallback }
        return try Gain(raw)
    }

    /// A variance-scaling preset: σ² = gain²·factor/n for the named mode and shape.
    static func preset(
        _ name: String, mode: VarianceScaling.Mode, shape: VarianceScaling.Shape, defaultGain: Gain, factor: Double,
        modeParameter: Bool, summary: String, reference: String
    ) -> Entry {
        var parameters = [ParameterInfo(name: "gain", defaultValue: defaultGain.description, summary: "number or activation name (PyTorch's gain table)")]
        if modeParameter {
            parameters.append(ParameterInfo(name: "mode", defaultValue: mode.rawValue, summary: "fan-in, fan-out or fan-avg"))
        }
        return Entry(name: name, parameters: parameters, summary: summary, reference: reference) { spec in
            let g = try gain(spec, default: defaultGain).resolved()
            let chosenMode = try spec.value("mode").map { raw in
                guard let m = VarianceScaling.Mode(rawValue: raw) else {
                    throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "mode must be fan-in, fan-out or fan-avg")
                }
                return m
            } ?? mode
            return .tensor(try VarianceScaling(scale: g * g * factor, mode: chosenMode, shape: shape))
        }
    }

    static let varianceScalingEntries: [Entry] = {
        let glorot = "Glorot & Bengio, AISTATS 2010"
        let he = "He et al., ICCV 2015"
        let lecun = "LeCun et al., Efficient BackProp, 1998"
        var entries: [Entry] = []
        for shape in VarianceScaling.Shape.allCases {
            let suffix = shape.rawValue
            let lecunSummary = "variance 1/fan_in (\(suffix))"
            entries.append(preset("lecun-\(suffix)", mode: .fanIn, shape: shape, defaultGain: .value(1), factor: 1, modeParameter: false, summary: lecunSummary, reference: lecun))
            for family in ["glorot", "xavier"] {
                entries.append(preset("\(family)-\(suffix)", mode: .fanAverage, shape: shape, defaultGain: .value(1), factor: 1, modeParameter: false,
                                      summary: "variance gain²·2/(fan_in+fan_out) (\(suffix))", reference: glorot))
            }
            for family in ["he", "kaiming"] {
                entries.append(preset("\(family)-\(suffix)", mode: .fanIn, shape: shape, defaultGain: .relu, factor: 1, modeParameter: true,
                                      summary: "variance gain²/fan (\(suffix)); gain √2 for ReLU", reference: he))
            }
        }
        entries.append(Entry(
            name: "torch-default", parameters: [],
            summary: "PyTorch's Linear/Conv default: weight and bias U(±1/√fan_in)",
            reference: "torch.nn.Linear.reset_parameters (kaiming_uniform_(a=√5))"
        ) { _ in .tensor(TorchDefaultInitializer()) })
        entries.append(Entry(
            name: "variance-scaling",
            parameters: [
                ParameterInfo(name: "scale", defaultValue: "1", summary: "σ² = scale/n"),
                ParameterInfo(name: "mode", defaultValue: "fan-in", summary: "fan-in, fan-out or fan-avg"),
                ParameterInfo(name: "distribution", defaultValue: "truncated-normal", summary: "normal, uniform or truncated-normal"),
            ],
            summary: "σ² = scale/n with n = fan_in, fan_out or their mean",
            reference: "JAX jax.nn.initializers.variance_scaling"
        ) { spec in
            let scale = try spec.number("scale", default: 1, kind: kind)
            guard let mode = VarianceScaling.Mode(rawValue: spec.value("mode") ?? "fan-in") else {
                throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "mode must be fan-in, fan-out or fan-avg")
            }
            guard let shape = VarianceScaling.Shape(rawValue: spec.value("distribution") ?? "truncated-normal") else {
                throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "distribution must be normal, uniform or truncated-normal")
            }
            return .tensor(try VarianceScaling(scale: scale, mode: mode, shape: shape))
        })
        return entries
    }()
}
