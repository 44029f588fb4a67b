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
        try validate(layers, in: model)
        let wanted = Set(layers)
        var paths: [ObjectIdentifier: String] = [:]
        for (path, module) in model.namedModules where wanted.contains(path) { paths[ObjectIdentifier(module)] = path }
        let n = inputs.shape.first ?? 0
        var rows: [String: [Float]] = [:]
        var widths: [String: Int] = [:]
        var start = 0
        while start < n {
            let end = min(n, start + batchSize)
            let batch = try inputs.slice(axis: 0, start..<end)
            let context = ForwardContext(mode: .inference)
            context.observer = { module, y in
                guard let path = paths[ObjectIdentifier(module)], widths[path] == nil || rows[path]!.count < end * widths[path]! else { return }
                widths[path] = y.count / max(y.shape.first ?? 1, 1)
                rows[path, default: []].append(contentsOf: y.scalars)
            }
            _ = try model.forward(batch, context: context)
            start = end
        }
        var result: [String: Tensor] = [:]
        for layer in layers {
            guard let values = rows[layer], let width = widths[layer], values.count == n * width else {
                throw InitiumError.invalidArgument("layer '\(layer)' did not run on the forward pass")
            }
            result[layer] = try Tensor(shape: [n, width], scalars: values)
        }
        return result
    }
}
