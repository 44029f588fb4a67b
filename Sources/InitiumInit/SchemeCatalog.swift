import InitiumCore
import InitiumNN
import InitiumSpec

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

        /// A parameter description.
        public init(name: String, defaultValue: String, summary: String) {
            self.name = name
            self.defaultValue = defaultValue
            self.summary = summary
        }

        enum CodingKeys: String, CodingKey { case name, defaultValue = "default", summary }
    }

    /// What a scheme applies to.
    public enum Level: String, Sendable, Codable {
        /// One tensor at a time; a model gets the same rule in every layer.
        case tensor
        /// One tensor at a time, plus a model-level recipe (roles, depth or data decide each layer).
        case tensorAndModel = "tensor+model"
        /// Only whole models of one family (the transformer recipes): no single-tensor rule.
        case model
    }

    /// One catalog entry.
    public struct Entry: Sendable, Encodable {
        /// The scheme's name.
        public var name: String
        /// Its parameters.
        public var parameters: [ParameterInfo]
        /// One line: the formula.
        public var summary: String
        /// The paper or source.
        public var reference: String
        /// Whether it also has a model-level recipe.
        public var level: Level
        /// Builds the rule from a parsed spec.
        let make: @Sendable (SpecSyntax) throws -> Scheme.Rule

        init(
            name: String, parameters: [ParameterInfo], summary: String, reference: String, level: Level = .tensor,
            make: @escaping @Sendable (SpecSyntax) throws -> Scheme.Rule
        ) {
            self.name = name
            self.parameters = parameters
            self.summary = summary
            self.reference = reference
            self.level = level
            self.make = make
        }

        enum CodingKeys: String, CodingKey { case name, parameters, summary, reference, level }
    }

    /// All entries, in the order `initium schemes` prints them.
    public static let entries: [Entry] =
        varianceScalingEntries + rawDistributionEntries + structuredEntries + paperEntries + transformerEntries

    /// The entry for a name, if any.
    public static func entry(named name: String) -> Entry? {
        entries.first { $0.name == name }
    }
}

extension SchemeCatalog {
    /// The schemes from papers beyond the classic families.
    static let paperEntries: [Entry] = [
        lsuvEntry, fixupEntry, zeroEntry, idinitEntry, convolutionAwareEntry, sirenEntry, vi3nrEntry, winnerEntry, fourierFeaturesEntry, maxoutEntry,
        spectralEntry, architectureAwareEntry, loraEntry, edgeOfChaosEntry, virgoEntry, rniEntry,
        pseudoIIDLowRankEntry, pseudoIIDSparseEntry,
    ]

    static let kind = "initialization scheme"

    static func gain(_ spec: SpecSyntax, default fallback: Gain) throws -> Gain {
        guard let raw = spec.value("gain") else { return fallback }
        return try Gain(raw)
    }

    /// The gain parameter's description, shared by every scheme that takes one.
    static func gainParameter(default fallback: Gain) -> ParameterInfo {
        ParameterInfo(name: "gain", defaultValue: fallback.description,
                      summary: "a number, an activation (PyTorch's gain table) or exact (1/√E[φ(z)²] for the network's activation)")
    }

    /// A non-negative number parameter (scales, standard deviations), with a clear error otherwise.
    static func nonNegative(_ spec: SpecSyntax, _ key: String, default fallback: Double) throws -> Double {
        let v = try spec.number(key, default: fallback, kind: kind)
        guard v >= 0 else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "'\(key)' must be ≥ 0, got \(SpecSyntax.format(v))")
        }
        return v
    }

    /// A positive number parameter.
    static func positive(_ spec: SpecSyntax, _ key: String, default fallback: Double) throws -> Double {
        let v = try spec.number(key, default: fallback, kind: kind)
        guard v > 0 else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "'\(key)' must be > 0, got \(SpecSyntax.format(v))")
        }
        return v
    }

    /// A positive integer parameter, or nil when absent.
    static func positiveInteger(_ spec: SpecSyntax, _ key: String) throws -> Int? {
        guard spec.value(key) != nil else { return nil }
        let v = try spec.integer(key, default: 1, kind: kind)
        guard v >= 1 else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "'\(key)' must be a positive integer, got \(v)")
        }
        return v
    }

    /// A fan mode parameter.
    static func mode(_ spec: SpecSyntax, default fallback: VarianceScaling.Mode) throws -> VarianceScaling.Mode {
        guard let raw = spec.value("mode") else { return fallback }
        guard let m = VarianceScaling.Mode(rawValue: raw) else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "mode must be fan-in, fan-out or fan-avg")
        }
        return m
    }

    /// A variance-scaling preset: σ² = gain²/n for the named mode and distribution family.
    static func preset(
        _ name: String, mode: VarianceScaling.Mode, family: VarianceScaling.DistributionFamily, defaultGain: Gain,
        modeParameter: Bool, summary: String, reference: String
    ) -> Entry {
        var parameters = [gainParameter(default: defaultGain)]
        if modeParameter {
            parameters.append(ParameterInfo(name: "mode", defaultValue: mode.rawValue, summary: "fan-in, fan-out or fan-avg"))
        }
        return Entry(name: name, parameters: parameters, summary: summary, reference: reference) { spec in
            .tensor(GainedVarianceScaling(gain: try gain(spec, default: defaultGain), mode: try self.mode(spec, default: mode), family: family))
        }
    }

    static let varianceScalingEntries: [Entry] = {
        let glorot = "Glorot & Bengio, AISTATS 2010"
        let he = "He et al., ICCV 2015"
        let lecun = "LeCun et al., Efficient BackProp, 1998"
        var entries: [Entry] = []
        for family in VarianceScaling.DistributionFamily.allCases {
            let suffix = family.rawValue
            entries.append(preset("lecun-\(suffix)", mode: .fanIn, family: family, defaultGain: .value(1), modeParameter: false,
                                  summary: "variance gain²/fan_in (\(suffix))", reference: lecun))
            for name in ["glorot", "xavier"] {
                entries.append(preset("\(name)-\(suffix)", mode: .fanAverage, family: family, defaultGain: .value(1), modeParameter: false,
                                      summary: "variance gain²·2/(fan_in+fan_out) (\(suffix))", reference: glorot))
            }
            for name in ["he", "kaiming"] {
                entries.append(preset("\(name)-\(suffix)", mode: .fanIn, family: family, defaultGain: .relu, modeParameter: true,
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
            guard let family = VarianceScaling.DistributionFamily(rawValue: spec.value("distribution") ?? "truncated-normal") else {
                throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "distribution must be normal, uniform or truncated-normal")
            }
            return .tensor(try VarianceScaling(scale: scale, mode: try mode(spec, default: .fanIn), family: family))
        })
        return entries
    }()
}
