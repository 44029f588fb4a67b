import Foundation
import InitiumCore
import InitiumNN

/// The parts of a transformer that its initialization recipes tell apart, found from layer roles
/// (``LayerRole``) and kinds, never from concrete types or parameter names.
public enum TransformerPart: String, Sendable, Hashable, CaseIterable {
    /// The token embedding table (role `.embedding`).
    case tokenEmbedding = "token-embedding"
    /// The learned positional embedding table (role `.positionEmbedding`).
    case positionEmbedding = "position-embedding"
    /// Any other embedding table (BERT's token types).
    case otherEmbedding = "other-embedding"
    /// Attention query, key and value projections (a fused projection is initialized slice by slice).
    case query, key, value
    /// Attention output projection (a residual branch's last layer).
    case attentionOutput = "attention-output"
    /// Feed-forward expansion.
    case feedForwardInput = "feed-forward-input"
    /// Feed-forward contraction (a residual branch's last layer).
    case feedForwardOutput = "feed-forward-output"
    /// The language-model head or classifier (role `.classifier`), when it owns a weight.
    case readout
    /// Any other weighted layer (BERT's pooler).
    case otherWeight = "other-weight"
}

/// How one weight is drawn: a distribution, or a rule computed from its `[out, in]` shape.
public enum TransformerDraw: Sendable, Hashable {
    /// N(0, std²).
    case normal(std: Double)
    /// U(−bound, bound).
    case uniform(bound: Double)
    /// Xavier (Glorot) uniform, bound gain·√(6/(fan_in + fan_out)).
    case xavierUniform(gain: Double)
    /// Xavier (Glorot) normal, std gain·√(2/(fan_in + fan_out)).
    case xavierNormal(gain: Double)
    /// All zeros.
    case zeros
    /// Another draw, multiplied by a factor.
    indirect case scaled(TransformerDraw, by: Double)

    /// The standard deviation this draw gives a `[fanOut, fanIn]` weight.
    public func standardDeviation(fanIn: Int, fanOut: Int) -> Double {
        let xavier = (2 / Double(fanIn + fanOut)).squareRoot()
        switch self {
        case let .normal(std): return std
        case let .uniform(bound): return bound / 3.0.squareRoot()
        case let .xavierUniform(gain), let .xavierNormal(gain): return gain * xavier
        case .zeros: return 0
        case let .scaled(draw, factor): return abs(factor) * draw.standardDeviation(fanIn: fanIn, fanOut: fanOut)
        }
    }

    /// Draws a tensor of `shape` whose fans are `fanIn`, `fanOut`.
    func sample(_ shape: [Int], fanIn: Int, fanOut: Int, key: RandomKey) throws -> Tensor {
        let xavier = (2 / Double(fanIn + fanOut)).squareRoot()
        switch self {
        case let .normal(std): return try Tensor.normal(shape, std: Float(std), key: key)
        case let .uniform(bound): return try Tensor.uniform(shape, low: Float(-bound), high: Float(bound), key: key)
        case let .xavierUniform(gain):
            let bound = Float(gain * xavier * 3.0.squareRoot())
            return try Tensor.uniform(shape, low: -bound, high: bound, key: key)
        case let .xavierNormal(gain): return try Tensor.normal(shape, std: Float(gain * xavier), key: key)
        case .zeros: return Tensor.zeros(shape)
        case let .scaled(draw, factor):
            return try draw.sample(shape, fanIn: fanIn, fanOut: fanOut, key: key).mapped { $0 * Float(factor) }
        }
    }

    /// The draw as a log entry.
    var description: String {
        switch self {
        case let .normal(std): return "N(0, \(format(std))²)"
        case let .uniform(bound): return "U(±\(format(bound)))"
        case let .xavierUniform(gain): return "xavier-uniform(gain=\(format(gain)))"
        case let .xavierNormal(gain): return "xavier-normal(gain=\(format(gain)))"
        case .zeros: return "zeros"
        case let .scaled(draw, factor): return "\(draw.description)·\(format(factor))"
        }
    }

    private func format(_ x: Double) -> String { String(format: "%.4g", x) }
}

/// What a transformer recipe reads from the model: depth, width, heads, direction and norms.
public struct TransformerShape: Sendable, Hashable {
    /// Blocks L (one attention layer each).
    public var layers: Int
    /// Residual-stream width d (the token embedding's columns).
    public var width: Int
    /// Heads and features per head of the (first) attention layer.
    public var heads: Int, headDimension: Int
    /// Whether attention is causal (decoder-only) rather than bidirectional (encoder-only).
    public var isCausal: Bool
    /// The blocks' normalization placements.
    public var normalizations: Set<TransformerNorm>
    /// Whether the readout owns its weight (false when tied to the token embedding).
    public var hasOwnReadout: Bool
}

/// A recipe's decisions for one model: a draw per part and the model-level settings.
public struct TransformerPlan: Sendable {
    /// The draw for each part (parts absent here keep their construction-time values).
    public var draws: [TransformerPart: TransformerDraw]
    /// Every attention layer's logit scale, when the recipe sets it.
    public var logitScale: Float?
    /// Every block's skip factor α, when the recipe sets it.
    public var skipScale: Float?
    /// Learning-rate multipliers per part, for the optimizer (μP); parts absent are 1.
    public var learningRateMultipliers: [TransformerPart: Float] = [:]
    /// Numbers the log reports (α, β, width multiplier…).
    public var values: [String: Double] = [:]
}

/// A transformer initialization recipe: from the model's shape to a plan.
protocol TransformerRecipe: Sendable {
    /// The scheme's name in logs.
    var name: String { get }
    /// The plan for a model of `shape`; throws when the recipe does not apply (naming why).
    func plan(for shape: TransformerShape) throws -> TransformerPlan
}

/// Applies a ``TransformerRecipe`` to any transformer model: classifies every weight by role, draws
/// it with `key.fold(path)` (a fused q/k/v projection slice by slice, with per-slice fans
/// `[d, d]`, as Xavier on separate q, k, v would), zeroes biases and an embedding's padding row,
/// sets normalization weights to 1 and biases to 0, then applies the plan's logit scale and skip
/// factor and records its learning-rate multipliers in the log.
struct TransformerInitializer: ModelInitializer {
    let recipe: any TransformerRecipe

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        let modules = model.namedModules
        let shape = try Self.shape(of: model)
        let plan = try recipe.plan(for: shape)
        var log = InitializationLog()
        for (path, module) in modules {
            guard let weight = module.localParameters.first(where: { $0.name == "weight" })?.parameter else { continue }
            let weightPath = path.isEmpty ? "weight" : path + ".weight"
            if case .normalization = module.kind {
                weight.value = Tensor(shape: weight.shape, repeating: 1)
                log.entries.append(.init(path: weightPath, action: "\(recipe.name): ones"))
            } else if let parts = Self.parts(of: module), case let draws = parts.compactMap({ plan.draws[$0] }), draws.count == parts.count {
                weight.value = try Self.draw(draws, shape: weight.shape, embedding: Self.isEmbedding(module), key: context.key.fold(weightPath))
                if let padding = (module as? any EmbeddingTable)?.paddingIndex {
                    weight.value = try Self.zeroingRow(padding, of: weight.value)
                }
                let multiplier = parts.compactMap { plan.learningRateMultipliers[$0] }.first
                if let multiplier, multiplier != 1 {
                    log.learningRateMultipliers[weightPath] = multiplier
                }
                var values = ["std": Self.standardDeviation(draws[0], shape: weight.shape, parts: parts.count)]
                if let multiplier { values["lr_multiplier"] = Double(multiplier) }
                log.entries.append(.init(
                    path: weightPath, action: "\(recipe.name): " + zip(parts, draws).map { "\($0.rawValue) \($1.description)" }.joined(separator: ", "),
                    values: values))
            }
            for (name, parameter) in module.localParameters where name == "bias" {
                parameter.value = Tensor.zeros(parameter.shape)
                log.entries.append(.init(path: path.isEmpty ? name : path + "." + name, action: "\(recipe.name): zeros"))
            }
        }
        for (path, module) in modules {
            if let attention = module as? any AttentionLayer, let scale = plan.logitScale {
                attention.logitScale = scale
                log.entries.append(.init(path: path, action: "\(recipe.name): attention logit scale", values: ["scale": Double(scale)]))
            }
            if let block = module as? any TransformerBlockLayer, let alpha = plan.skipScale {
                block.skipScale = alpha
                log.entries.append(.init(path: path, action: "\(recipe.name): skip scale α", values: ["alpha": Double(alpha)]))
            }
        }
        if !plan.values.isEmpty {
            log.entries.append(.init(path: "", action: recipe.name, values: plan.values))
        }
        return log
    }

    /// The shape a recipe needs, or an error when `model` is not a transformer.
    static func shape(of model: any Module) throws -> TransformerShape {
        let modules = model.namedModules.map(\.module)
        let attention = modules.compactMap { $0 as? any AttentionLayer }
        let blocks = modules.compactMap { $0 as? any TransformerBlockLayer }
        guard let first = attention.first, !blocks.isEmpty,
              let embedding = modules.first(where: { $0.roles.contains(.embedding) }),
              let table = embedding.localParameters.first(where: { $0.name == "weight" })?.parameter, table.shape.count == 2
        else {
            throw InitiumError.invalidArgument(
                "this scheme initializes transformers (gpt:…, bert:…): the model has no attention layers, blocks or token embedding")
        }
        let readoutOwnsWeight = modules.contains { module in
            module.roles.contains(.classifier) && module.localParameters.contains { $0.name == "weight" }
        }
        return TransformerShape(
            layers: blocks.count, width: table.shape[1], heads: first.headCount, headDimension: first.headDimension,
            isCausal: first.isCausal, normalizations: Set(blocks.map(\.normalization)), hasOwnReadout: readoutOwnsWeight)
    }

    /// The parts a module's weight holds (three for a fused q/k/v projection), or `nil` when the
    /// module is not one a recipe draws.
    static func parts(of module: any Module) -> [TransformerPart]? {
        let roles = module.roles
        if roles.contains(.embedding) { return [.tokenEmbedding] }
        if roles.contains(.positionEmbedding) { return [.positionEmbedding] }
        if isEmbedding(module) { return [.otherEmbedding] }
        guard module is any WeightedLayer else { return nil }
        if roles.contains(.attentionQueryKeyValue) { return [.query, .key, .value] }
        let single: [(LayerRole, TransformerPart)] = [
            (.attentionQuery, .query), (.attentionKey, .key), (.attentionValue, .value), (.attentionOutput, .attentionOutput),
            (.feedForwardInput, .feedForwardInput), (.feedForwardOutput, .feedForwardOutput), (.classifier, .readout),
        ]
        return [single.first { roles.contains($0.0) }?.1 ?? .otherWeight]
    }

    static func isEmbedding(_ module: any Module) -> Bool {
        module is any EmbeddingTable || (module as? any WeightedLayer)?.weightKind == .embedding
    }

    /// Draws `draws.count` row blocks of `shape` (fans per block: `[rows/k, columns]`); an
    /// embedding `[count, dim]` has fan_in = dim, fan_out = count as `torch.nn.init` computes them.
    static func draw(_ draws: [TransformerDraw], shape: [Int], embedding: Bool, key: RandomKey) throws -> Tensor {
        guard shape.count == 2, shape[0] % draws.count == 0 else {
            throw InitiumError.invalidShape(operation: "transformer initialization", shape: shape, reason: "expected [out, in] with \(draws.count) row blocks")
        }
        let rows = shape[0] / draws.count
        let blocks = try draws.enumerated().map { index, draw in
            try draw.sample([rows, shape[1]], fanIn: shape[1], fanOut: rows, key: draws.count == 1 ? key : key.fold(index))
        }
        return blocks.count == 1 ? blocks[0] : try Tensor.concatenate(blocks, axis: 0)
    }

    static func standardDeviation(_ draw: TransformerDraw, shape: [Int], parts: Int) -> Double {
        draw.standardDeviation(fanIn: shape.count == 2 ? shape[1] : 1, fanOut: shape.count == 2 ? shape[0] / parts : 1)
    }

    static func zeroingRow(_ row: Int, of table: Tensor) throws -> Tensor {
        guard table.rank == 2, row >= 0, row < table.shape[0] else { return table }
        var result = table
        let width = table.shape[1]
        result.withUnsafeMutableBufferPointer { p in
            for j in 0..<width { p[row * width + j] = 0 }
        }
        return result
    }
}
