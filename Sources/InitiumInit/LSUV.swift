import Foundation
import InitiumCore
import InitiumNN

/// Layer-sequential unit-variance initialization (Mishkin & Matas, "All you need is a good init",
/// ICLR 2016), data-dependent:
/// 1. every weighted layer gets an orthonormal weight (``OrthogonalInitializer``, the paper's
///    orthonormal pre-init; the reference code's SVD variant draws from the same Haar
///    distribution) and a zero bias;
/// 2. layer by layer in model order, a mini-batch (``InitializationContext/batch``) is run through
///    the model, the layer's output B (its pre-activation, seen through
///    ``ForwardContext/observer``) is measured, and while |Var(B) − 1| > `tol` the weight is
///    scaled by 1/√Var(B), at most `max-iter` times.
/// The tolerance is on the variance, as in the paper (the PyTorch port's `std_tol` is on the
/// standard deviation); defaults `tol=0.1`, `max-iter=10` (Initium's choice; the Caffe
/// original uses 0.02 and 20). Only W is rescaled, as in the paper (the
/// PyTorch port also shifts biases). The log has, per layer, `iterations` (rescales applied),
/// `initial_variance`, `variance` (final), `mean` and `converged` (1 or 0).
///
/// On a single tensor (no data) the inputs are taken to be white with unit variance, for which
/// Var(B) is the mean squared row norm of the flattened weight and one rescale is exact:
/// W = Q·√(rows/‖Q‖²_F).
struct LSUVInitializer: TensorInitializer {
    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        let (rows, columns) = layout.flattenedMatrix
        let scale = rows <= columns ? 1 : (Double(rows) / Double(columns)).squareRoot()
        return try OrthogonalInitializer(gain: .value(scale)).weight(for: layout, key: key, context: context)
    }
}

/// LSUV over a model and a batch.
struct LSUVRecipe: ModelInitializer {
    let tolerance: Double
    let maximumIterations: Int

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        guard let batch = context.batch else {
            throw InitiumError.invalidArgument("lsuv is data-dependent: it needs a batch of inputs in the initialization context")
        }
        let sites = try ModelWalk.weightedLayers(of: model)
        guard !sites.isEmpty else { throw InitiumError.invalidArgument("lsuv found no weighted layers in the model") }
        let orthonormal = OrthogonalInitializer(gain: .value(1))
        for site in sites {
            try site.setWeight(try orthonormal.weight(for: site.layout, key: context.key.fold(site.weightPath), context: context), by: "lsuv")
            if let bias = site.layer.bias { try site.setBias(Tensor.zeros(bias.shape), by: "lsuv") }
        }
        var log = InitializationLog()
        for site in sites {
            var (mean, variance) = try measure(site, model: model, batch: batch, graph: context.graph)
            let initial = variance
            var iterations = 0
            while abs(variance - 1) > tolerance && iterations < maximumIterations {
                guard variance > 0, variance.isFinite else {
                    throw InitiumError.invalidArgument(
                        "lsuv: the output of \(site.path) has variance \(variance); the batch does not reach this layer (all-zero or non-finite activations)")
                }
                site.layer.weight.value.scaleInPlace(by: Float(1 / variance.squareRoot()))
                iterations += 1
                (mean, variance) = try measure(site, model: model, batch: batch, graph: context.graph)
            }
            let converged = abs(variance - 1) <= tolerance
            log.entries.append(.init(
                path: site.weightPath,
                action: String(format: "lsuv: %d rescale(s), variance %.4g → %.4g%@", iterations, initial, variance, converged ? "" : " (not converged)"),
                values: ["iterations": Double(iterations), "initial_variance": initial, "variance": variance, "mean": mean,
                         "converged": converged ? 1 : 0]))
        }
        return log
    }

    /// Mean and variance of the layer's output on the batch (inference mode, no gradients). The
    /// forward pass stops once the layer has produced its output: the interceptor throws a
    /// private marker that containers pass through (they only rewrap ``InitiumError``s). A graph
    /// model runs on the batch's `graph`.
    func measure(_ site: LayerSite, model: any Module, batch: Tensor, graph: GraphBatch? = nil) throws -> (mean: Double, variance: Double) {
        let context = ForwardContext(mode: .inference)
        context.graph = graph
        let target = ObjectIdentifier(site.layer)
        var captured: Tensor?
        context.interceptor = { module, output in
            guard ObjectIdentifier(module) == target else { return output }
            captured = output
            throw OutputCaptured()
        }
        do {
            _ = try model.forward(batch, context: context)
        } catch is OutputCaptured {}
        guard let output = captured else {
            throw InitiumError.invalidArgument("lsuv: layer \(site.path) produced no output in the forward pass (its kind must report its output, and its parent must run it through forward(child:))")
        }
        let summary = WeightSummary(output)
        return (summary.mean, summary.std * summary.std)
    }
}

/// Ends an LSUV measurement's forward pass at the measured layer.
private struct OutputCaptured: Error {}

extension SchemeCatalog {
    static let lsuvEntry = Entry(
        name: "lsuv",
        parameters: [ParameterInfo(name: "tol", defaultValue: "0.1", summary: "accepted |Var(output) − 1|"),
                     ParameterInfo(name: "max-iter", defaultValue: "10", summary: "rescales per layer at most")],
        summary: "orthonormal pre-init, then per layer W /= √Var(output) on a data batch until |Var − 1| ≤ tol",
        reference: "Mishkin & Matas, ICLR 2016", level: .tensorAndModel
    ) { spec in
        let tol = try positive(spec, "tol", default: 0.1)
        let maxIter = try positiveInteger(spec, "max-iter") ?? 10
        return .both(LSUVInitializer(), LSUVRecipe(tolerance: tol, maximumIterations: maxIter))
    }
}
