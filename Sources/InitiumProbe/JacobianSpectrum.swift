import Foundation
import InitiumCore
import InitiumNN

/// The singular-value spectrum of a network's input–output Jacobian at initialization, to check
/// dynamical isometry (Pennington, Schoenholz & Ganguli, NeurIPS 2017): ideally every singular
/// value of J = ∂h^L/∂h^1 = Π D_l W_l is near 1.
///
/// The map is from the first weighted layer's output h¹ to the output of the last hidden weighted
/// layer h^L (both pre-activations; the classifier is excluded), which is square for
/// constant-width networks; for a network with a single weighted layer, the input-to-output map.
/// It is computed exactly for output widths up to `exactLimit`: the example is repeated d_out
/// times and one backward pass with the identity as seed gives all rows of J at once. Wider maps
/// are estimated: E‖Jᵀv‖² over Rademacher v (Hutchinson) gives the mean of σ².
public struct JacobianSpectrum: Sendable, Codable {
    /// The map's output and input dimensions.
    public var rows: Int, columns: Int
    /// Mean and variance of the squared singular values (over examples when several).
    public var meanSquaredSingularValue: Double, varianceSquaredSingularValue: Double?
    /// The largest and smallest singular values seen.
    public var maximumSingularValue: Double?, minimumSingularValue: Double?
    /// Whether the spectrum is exact (`false`: Hutchinson estimate of the mean only).
    public var isExact: Bool
    /// The paths of the layers the map starts and ends at.
    public var from: String, to: String
    /// How many examples were averaged.
    public var examples: Int

    enum CodingKeys: String, CodingKey {
        case rows, columns, meanSquaredSingularValue = "mean_sq_singular", varianceSquaredSingularValue = "var_sq_singular"
        case maximumSingularValue = "max_singular", minimumSingularValue = "min_singular", isExact = "exact"
        case from, to, examples
    }



    /// Runs the model on repeated copies of one example, with the start of the map made a leaf.
    struct Probe {
        let model: any Module
        let x: Tensor
        let start: (any Module)?
        let end: any Module

        /// One forward pass on `copies` copies; returns the end layer's output and the leaf
        /// parameter standing for the start of the map (whose gradient is Jᵀ·seed).
        func run(copies: Int) throws -> (output: Tensor, leaf: Parameter) {
            let batch = try x.indexSelect(axis: 0, Array(repeating: 0, count: copies))
            let box = LeafBox()
            var input = batch
            if start == nil {
                let p = Parameter(batch)
                box.parameter = p
                input = p.tracked
            }
            let context = ForwardContext(mode: .inference, recordsGradients: true)
            let startID = start.map { ObjectIdentifier($0) }, endID = ObjectIdentifier(end)
            context.interceptor = { module, y in
                var result = y
                if let startID, ObjectIdentifier(module) == startID {
                    let p = Parameter(y.detached())
                    box.parameter = p
                    result = p.tracked
                }
                if ObjectIdentifier(module) == endID { box.output = result }
                return result
            }
            _ = try model.forward(input, context: context)
            guard let output = box.output, let leaf = box.parameter else {
                throw InitiumError.internalFailure("Jacobian probe: the start or end layer was not reached")
            }
            return (output, leaf)
        }

        /// (output width, input width) of the map for one example.
        func dimensions() throws -> (Int, Int) {
            let (output, leaf) = try run(copies: 1)
            return (output.count, leaf.value.count)
        }

        /// J as a rows × columns matrix, by one backward pass with the identity as seed.
        func jacobian(rows: Int) throws -> Tensor {
            let (output, leaf) = try run(copies: rows)
            try output.backward(seed: try Tensor.eye(rows).reshaped(output.shape))
            guard let g = leaf.gradient else { throw InitiumError.internalFailure("Jacobian probe: no gradient reached the start layer") }
            return try g.reshaped([rows, -1])
        }

        /// tr(JJᵀ)/min(d_in, d_out), the mean squared singular value, estimated as the average
        /// of ‖Jᵀv‖² over `samples` Rademacher vectors v (Hutchinson: E‖Jᵀv‖² = tr JJᵀ).
        func hutchinsonMeanSquare(samples: Int, key: RandomKey) throws -> Double {
            let (output, leaf) = try run(copies: samples)
            let signs = try Tensor.random(output.shape, .bernoulli(probability: 0.5), key: key) * 2 - 1
            try output.backward(seed: signs)
            guard let g = leaf.gradient else { throw InitiumError.internalFailure("Jacobian probe: no gradient") }
            let trace = g.moments.meanSquare * Double(g.count) / Double(samples)
            return trace / Double(min(output.count, g.count) / samples)
        }
    }

    static func probeOutput(model: any Module, x: Tensor, start: (any Module)?, end: any Module) -> Probe {
        Probe(model: model, x: x, start: start, end: end)
    }
}

/// A reference cell for tensors created inside a forward pass.
final class LeafBox {
    var parameter: Parameter?
    var output: Tensor?
}

extension JacobianSpectrum {
    /// The spectrum for each of `inputs`' first `examples` rows, pooled.
    public init(model: any Module, inputs: Tensor, examples: Int = 4, exactLimit: Int = 2048, key: RandomKey = RandomKey(seed: 0)) throws {
        let weighted = model.namedModules.filter { $0.module is any WeightedLayer }
        guard let first = weighted.first else {
            throw InitiumError.invalidArgument("Jacobian spectrum: the model has no weighted layers")
        }
        let target = weighted.count >= 3 ? weighted[weighted.count - 2] : weighted[weighted.count - 1]
        let startsAtInput = weighted.count < 3
        var squared: [Double] = []
        var maxima: [Double] = [], minima: [Double] = []
        var exact = true
        var (rows, columns) = (0, 0)
        let count = min(examples, inputs.shape[0])
        guard count > 0 else { throw InitiumError.invalidArgument("Jacobian spectrum needs at least one input example") }
        for e in 0..<count {
            let x = try inputs.slice(axis: 0, e..<(e + 1))
            let probe = Self.probeOutput(model: model, x: x, start: startsAtInput ? nil : first.module, end: target.module)
            let (outputWidth, inputWidth) = try probe.dimensions()
            (rows, columns) = (outputWidth, inputWidth)
            if outputWidth <= exactLimit {
                let jacobian = try probe.jacobian(rows: outputWidth)
                let gram = Statistics.rowGram(jacobian.scalars.map(Double.init), rows: outputWidth, columns: inputWidth)
                let eigenvalues = try Linalg.symmetricEigenvalues(gram, size: outputWidth).map { max($0, 0) }
                let kept = Array(eigenvalues.suffix(min(outputWidth, inputWidth)))
                squared += kept
                maxima.append(kept.max().map { $0.squareRoot() } ?? 0)
                minima.append(kept.min().map { $0.squareRoot() } ?? 0)
            } else {
                exact = false
                squared.append(try probe.hutchinsonMeanSquare(samples: 16, key: key.fold(e)))
            }
        }
        let mean = squared.reduce(0, +) / Double(max(squared.count, 1))
        let variance = exact ? squared.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(max(squared.count, 1)) : nil
        self.init(
            rows: rows, columns: columns, meanSquaredSingularValue: mean, varianceSquaredSingularValue: variance,
            maximumSingularValue: maxima.max(), minimumSingularValue: minima.min(), isExact: exact,
            from: startsAtInput ? "input" : first.path, to: target.path, examples: count)
    }
}
