import InitiumCore
import InitiumNN

/// The outputs of named layers of a model on a set of examples, as [N, features] rows: what DSE,
/// DSMI and the information plane measure. Any module that reports its output on the shared
/// forward path (``LayerKind/reportsOutput``: weighted layers, activations, normalizations,
/// pooling, blocks) can be named by its path (`features.relu2`, `fc1`).
public enum LayerRepresentation {
    /// The paths that can be measured, in declaration order.
    public static func names(of model: any Module) -> [String] {
        model.namedModules.filter { !$0.path.isEmpty && $0.module.kind.reportsOutput }.map(\.path)
    }

    /// The default layer of representation measurements: the last reporting module that is not
    /// the classifier (the penultimate representation), else the last one.
    public static func defaultLayer(of model: any Module) -> String? {
        let reporting = model.namedModules.filter { !$0.path.isEmpty && $0.module.kind.reportsOutput }
        let classifier = reporting.last { $0.module.roles.contains(.classifier) }?.path
        return reporting.last { $0.path != classifier && !($0.module.roles.contains(.classifier)) }?.path ?? reporting.last?.path
    }

    /// Checks that every name is a measurable layer; the error lists the valid names.
    public static func validate(_ layers: [String], in model: any Module) throws {
        let valid = names(of: model)
        if let unknown = layers.first(where: { !valid.contains($0) }) {
            throw InitiumError.invalidArgument("no layer '\(unknown)' in the model; valid layers: \(valid.joined(separator: ", "))")
        }
    }

    /// The outputs of `layers` on `inputs` ([N, …]), inference mode, in batches of `batchSize`;
    /// each flattened to [N, features].
    public static func outputs(
        of model: any Module, layers: [String], inputs: Tensor, batchSize: Int = 256
    ) throws -> [String: Tensor] {
        let n = inputs.shape.first ?? 0
        let batches = stride(from: 0, to: n, by: max(batchSize, 1)).map { start in
            (start, min(n, start + max(batchSize, 1)))
        }
        return try outputs(of: model, layers: layers, rows: n, batches: batches.map { range in
            { (try inputs.slice(axis: 0, range.0..<range.1), ForwardContext(mode: .inference)) }
        })
    }

    /// The outputs of `layers` on every example of `examples`, inference mode, one row per
    /// example: for node tasks of graph data the rows of the labelled nodes (the whole graph runs
    /// once), for every other set the rows of its mini-batches of `batchSize`.
    public static func outputs(
        of model: any Module, layers: [String], examples: Dataset, batchSize: Int = 256
    ) throws -> [String: Tensor] {
        let batches = examples.batchIndices(size: batchSize, shuffledWith: nil)
        return try outputs(of: model, layers: layers, rows: examples.count, batches: batches.map { indices in
            { (examples.batch(indices).inputs, try examples.forwardContext(for: indices, mode: .inference)) }
        })
    }

    /// Runs each batch (inputs and context) and stacks the outputs of `layers`; a graph batch's
    /// node-level outputs are reduced to its ``GraphBatch/outputNodes``.
    private static func outputs(
        of model: any Module, layers: [String], rows n: Int, batches: [() throws -> (Tensor, ForwardContext)]
    ) throws -> [String: Tensor] {
        try validate(layers, in: model)
        let wanted = Set(layers)
        var paths: [ObjectIdentifier: String] = [:]
        for (path, module) in model.namedModules where wanted.contains(path) { paths[ObjectIdentifier(module)] = path }
        var rows: [String: [Float]] = [:]
        var widths: [String: Int] = [:]
        for makeBatch in batches {
            let (batch, context) = try makeBatch()
            var failure: (any Error)?
            context.observer = { module, output in
                guard let path = paths[ObjectIdentifier(module)], failure == nil else { return }
                var y = output
                if let graph = context.graph, let selected = graph.outputNodes, y.shape.first == graph.graph.nodeCount {
                    do { y = try y.indexSelect(axis: 0, selected) } catch { failure = error; return }
                }
                let width = y.count / max(y.shape.first ?? 1, 1)
                if widths[path] == nil { widths[path] = width }
                guard widths[path] == width, rows[path, default: []].count < n * width else { return }
                rows[path, default: []].append(contentsOf: y.scalars)
            }
            _ = try model.forward(batch, context: context)
            if let failure { throw failure }
        }
        var result: [String: Tensor] = [:]
        for layer in layers {
            guard let values = rows[layer], let width = widths[layer], values.count == n * width else {
                throw InitiumError.invalidArgument("layer '\(layer)' did not give one output row per example on the forward pass")
            }
            result[layer] = try Tensor(shape: [n, width], scalars: values)
        }
        return result
    }
}
