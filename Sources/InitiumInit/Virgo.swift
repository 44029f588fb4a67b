import Foundation
import InitiumCore
import InitiumNN

/// Virgo's per-layer weight variances (Li, Song, Song & Wipf, "On the Initialization of Graph
/// Neural Networks", ICML 2023; the formulas of `LspongebobJH/virgo_icml2023` `utils.py`):
/// with Â = D̃^{-1/2}(A + I)D̃^{-1/2} (the batch's ``GraphPropagation/symmetric`` matrix, for
/// every architecture, as the code does) and a scalar node signal h₀, 0-based
/// c5[k] = Σᵢ ((Â^{k+1} h₀)ᵢ)², k = 0…L−1;
/// - forward (h₀ = each node's mean input feature): c2_for = [2/d_in, (2/d_hid)·c5[0]/c5[1], …,
///   (2/d_hid)·c5[L−2]/c5[L−1]];
/// - backward (h₀ = 1): the list [N/((C−1)·c5[0]), (2/d_hid)·c5[0]/c5[1], …] reversed, so the last
///   layer gets N/((C−1)·c5[0]) (N nodes, C the last layer's output width: the classes of a node
///   task, the embedding width of a graph task, as the scripts pass);
/// - combined: harmonic mean 2/(1/c2_for + 1/c2_back) (default), arithmetic mean, or one side.
public struct VirgoVariances: Sendable, Equatable {
    /// How the two conditions are combined.
    public enum Mode: String, Sendable, CaseIterable {
        /// 2/(1/c2_for + 1/c2_back), the paper's default.
        case harmonic
        /// (c2_for + c2_back)/2 (`mean_method='normal'`).
        case mean
        /// c2_for only (`virgofor`).
        case forward
        /// c2_back only (`virgoback`).
        case backward
    }

    /// c5 for h₀ = the mean input feature.
    public let forwardEnergies: [Double]
    /// c5 for h₀ = 1.
    public let backwardEnergies: [Double]
    /// c2_for per layer.
    public let forward: [Double]
    /// c2_back per layer.
    public let backward: [Double]

    /// The lists for `layers` layers on the graph `propagation` (Â) with node features `[nodes,
    /// features]`; `inputWidth` d_in, `hiddenWidth` d_hid, `outputWidth` C.
    public init(propagation: SparseMatrix, features: Tensor, layers: Int, inputWidth: Int, hiddenWidth: Int, outputWidth: Int) throws {
        let nodes = propagation.rowCount
        guard propagation.columnCount == nodes, features.rank == 2, features.shape[0] == nodes, features.shape[1] > 0 else {
            throw InitiumError.invalidArgument("virgo needs node features [\(nodes), features] for a graph of \(nodes) nodes, got \(features.shape)")
        }
        guard layers >= 1, nodes >= 1 else { throw InitiumError.invalidArgument("virgo needs at least one layer and one node") }
        guard outputWidth >= 2 else {
            throw InitiumError.invalidArgument("virgo's backward condition divides by C − 1: the last layer needs at least 2 outputs, got \(outputWidth)")
        }
        let width = features.shape[1]
        let means: [Double] = features.withUnsafeBufferPointer { x in
            (0..<nodes).map { i in (0..<width).reduce(0.0) { $0 + Double(x[i * width + $1]) } / Double(width) }
        }
        forwardEnergies = Self.energies(propagation, start: means, layers: layers)
        backwardEnergies = Self.energies(propagation, start: [Double](repeating: 1, count: nodes), layers: layers)
        guard (forwardEnergies + backwardEnergies).allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw InitiumError.invalidArgument(
                "virgo: the propagated signal vanishes (c5 = 0; node features with zero mean on every node?), so the variance ratios are undefined")
        }
        let hidden = 2 / Double(hiddenWidth)
        func ratios(_ c5: [Double]) -> [Double] { (1..<layers).map { hidden * c5[$0 - 1] / c5[$0] } }
        forward = [2 / Double(inputWidth)] + ratios(forwardEnergies)
        backward = ([Double(nodes) / (Double(outputWidth - 1) * backwardEnergies[0])] + ratios(backwardEnergies)).reversed()
    }

    /// The combined variance per layer.
    public func variances(_ mode: Mode) -> [Double] {
        zip(forward, backward).map { f, b in
            switch mode {
            case .harmonic: return 2 / (1 / f + 1 / b)
            case .mean: return (f + b) / 2
            case .forward: return f
            case .backward: return b
            }
        }
    }

    /// c5[k] = ‖Â^{k+1} h₀‖², in Double.
    static func energies(_ a: SparseMatrix, start: [Double], layers: Int) -> [Double] {
        var h = start, next = [Double](repeating: 0, count: start.count), result: [Double] = []
        for _ in 0..<layers {
            for row in 0..<a.rowCount {
                var s = 0.0
                for k in a.rowOffsets[row]..<a.rowOffsets[row + 1] { s += Double(a.values[k]) * h[Int(a.columnIndices[k])] }
                next[row] = s
            }
            swap(&h, &next)
            result.append(h.reduce(0) { $0 + $1 * $1 })
        }
        return result
    }
}

/// Virgo over a graph model: every ``MessagePassingLayer`` (in forward order, the node head
/// included) gets U(−a, a), a = √(3·c2_l), on all its ``MessagePassingLayer/featureTransforms``
/// (GCN `lin`, SAGE `lin_l` and `lin_r`, GIN's first and last MLP Linear, one bound per layer as
/// in the code); biases and other layers (encoder, graph readout) keep their construction-time
/// values, as in the reference scripts. d_in and d_hid are the first layer's input and output
/// widths, C the last layer's output width. Data-dependent: it reads the training graph
/// (``InitializationContext/graph``) and its node features (``InitializationContext/batch``).
struct VirgoRecipe: ModelInitializer {
    let mode: VirgoVariances.Mode

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        let layers = model.namedModules.compactMap { path, module in (module as? any MessagePassingLayer).map { (path, $0) } }
        guard let first = layers.first, let last = layers.last else {
            throw InitiumError.invalidArgument("virgo initializes graph networks (gcn, sage, gin): the model has no message-passing layers")
        }
        guard let graph = context.graph, let features = context.batch else {
            throw InitiumError.invalidArgument("virgo is data-dependent: it needs the training graph and its node features in the initialization context")
        }
        let statistics = try VirgoVariances(
            propagation: graph.symmetric, features: features, layers: layers.count,
            inputWidth: first.1.inFeatures, hiddenWidth: first.1.outFeatures, outputWidth: last.1.outFeatures)
        let variances = statistics.variances(mode)
        var log = InitializationLog()
        for (index, (path, layer)) in layers.enumerated() {
            let bound = (3 * variances[index]).squareRoot()
            for linear in layer.featureTransforms {
                let weightPath = model.namedParameters.first { $0.parameter === linear.weight }?.path ?? path + ".weight"
                linear.weight.value = try Tensor.uniform(linear.weight.shape, low: Float(-bound), high: Float(bound), key: context.key.fold(weightPath))
                log.entries.append(.init(
                    path: weightPath, action: "virgo(\(mode.rawValue)): U(±√(3·c2))",
                    values: ["c2": variances[index], "c2_forward": statistics.forward[index], "c2_backward": statistics.backward[index],
                             "bound": bound, "layer": Double(index)]))
            }
        }
        return log
    }
}

extension SchemeCatalog {
    static let virgoEntry = Entry(
        name: "virgo",
        parameters: [ParameterInfo(name: "mode", defaultValue: "harmonic", summary: "harmonic, mean, forward or backward")],
        summary: "graph networks: U(±√(3·c2)) per message-passing layer, c2 from Â-power energies c5 of the training graph (forward and backward)",
        reference: "Li, Song, Song & Wipf, ICML 2023", level: .model
    ) { spec in
        let text = spec.value("mode") ?? "harmonic"
        guard let mode = VirgoVariances.Mode(rawValue: text) else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "mode must be harmonic, mean, forward or backward, got '\(text)'")
        }
        return .model(VirgoRecipe(mode: mode))
    }
}
