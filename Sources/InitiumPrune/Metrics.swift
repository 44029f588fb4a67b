import InitiumCore
import InitiumNN

/// One prunable tensor's density.
public struct LayerDensity: Sendable, Codable, Equatable {
    /// The parameter path (`layers.0.weight`).
    public var name: String
    /// Kept entries over entries.
    public var density: Double
    /// Kept entries.
    public var remaining: Int
    /// Entries.
    public var total: Int
}

extension PruningMask {
    /// The density of each tensor, by path.
    public var layerDensities: [LayerDensity] {
        zip(paths, zip(remainingCounts, totalCounts)).map { path, counts in
            LayerDensity(name: path, density: counts.1 == 0 ? 1 : Double(counts.0) / Double(counts.1), remaining: counts.0, total: counts.1)
        }
    }
}

/// ShrinkBench's report of a pruned model (Blalock, Gonzalez Ortiz, Frankle & Guttag, "What is the
/// State of Neural Network Pruning?", MLSys 2020; JJGO/shrinkbench `metrics/size.py`,
/// `metrics/flops.py`):
///
/// - compression ratio = all parameters / nonzero parameters, over every parameter of the model
///   (biases and normalization included), counting actual nonzero values;
/// - theoretical speedup = dense multiply-adds / nonzero multiply-adds, where a weighted layer's
///   multiply-adds per example are its weight count times the number of output positions (1 for
///   a linear layer, H·W for a convolution), read from one forward pass, and its nonzero
///   multiply-adds are that times the nonzero fraction of its weight ("all weights are symmetric,
///   so a rule of three"); other layers cost nothing;
/// - density per prunable tensor and overall, from the mask, and the collapsed layers.
public struct PruningMetrics: Sendable, Codable, Equatable {
    /// Kept prunable weights over prunable weights.
    public var density: Double
    /// Per prunable tensor.
    public var layers: [LayerDensity]
    /// All parameters over nonzero parameters.
    public var compressionRatio: Double
    /// Dense multiply-adds over nonzero multiply-adds.
    public var theoreticalSpeedup: Double
    /// Multiply-adds of one example through the dense weighted layers.
    public var denseMultiplyAdds: Int
    /// Prunable tensors with no weight left.
    public var collapsedLayers: [String]

    enum CodingKeys: String, CodingKey {
        case density, layers, compressionRatio = "compression_ratio", theoreticalSpeedup = "theoretical_speedup"
        case denseMultiplyAdds = "dense_multiply_adds", collapsedLayers = "collapsed_layers"
    }

    /// Measures `model` with `mask` installed on one example of the data `signature` describes
    /// (for graph data, one isolated node of its task).
    public static func measure(_ model: any Module, mask: PruningMask, for signature: DataSignature) throws -> PruningMetrics {
        let layers = mask.layerDensities
        let parameters = model.parameters
        let total = parameters.reduce(0) { $0 + $1.value.count }
        let nonzero = parameters.reduce(0) { $0 + nonzeroCount($1.value) }
        let (dense, sparse) = try multiplyAdds(model, exampleShape: signature.exampleShape, graphTask: signature.graphTask)
        return PruningMetrics(
            density: mask.density, layers: layers,
            compressionRatio: nonzero == 0 ? .infinity : Double(total) / Double(nonzero),
            theoreticalSpeedup: sparse == 0 ? .infinity : dense / sparse,
            denseMultiplyAdds: Int(dense), collapsedLayers: mask.collapsedPaths)
    }

    /// Dense and nonzero multiply-adds of one example, from the output shapes of one forward pass.
    static func multiplyAdds(_ model: any Module, exampleShape: [Int], graphTask: GraphTask? = nil) throws -> (dense: Double, nonzero: Double) {
        var outputPositions: [ObjectIdentifier: Int] = [:]
        let context = ForwardContext(mode: .inference)
        context.graph = try graphTask.map(GraphBatch.isolatedNode(task:))
        context.observer = { module, output in
            guard module is any WeightedLayer, output.rank >= 2, output.shape[1] > 0 else { return }
            outputPositions[ObjectIdentifier(module)] = output.count / (output.shape[0] * output.shape[1])
        }
        _ = try model.forward(Tensor.zeros([1] + exampleShape), context: context)
        var dense = 0.0, nonzero = 0.0
        for (path, module) in model.namedModules {
            guard let layer = module as? any WeightedLayer else { continue }
            guard let positions = outputPositions[ObjectIdentifier(module)] else {
                throw InitiumError.internalFailure("layer \(path) did not report its output, so its multiply-adds are unknown")
            }
            let weight = layer.weight.value
            let macs = Double(weight.count * positions)
            dense += macs
            nonzero += macs * Double(nonzeroCount(weight)) / Double(max(weight.count, 1))
        }
        return (dense, nonzero)
    }

    static func nonzeroCount(_ t: Tensor) -> Int {
        t.withUnsafeBufferPointer { p in p.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }
    }
}
