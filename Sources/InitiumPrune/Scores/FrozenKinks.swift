import InitiumCore
import InitiumNN

/// The linearization of a network's kinks at a reference point, so that a central difference of
/// gradients gives the Hessian that automatic differentiation gives.
///
/// A ReLU network's loss is smooth only between kinks. Reverse-over-reverse differentiation (what
/// GraSP's `autograd.grad(..., create_graph=True)` computes) treats each ReLU's derivative as the
/// constant 1[x > 0] of the current point and each max-pool's choice as fixed. A central difference
/// ∇L(θ ± εv) instead crosses the kinks of every unit within ε of its threshold, and each crossing
/// adds its gradient jump divided by 2ε: with N examples × units pairs about δ·N of them cross, so
/// the error does not shrink with ε (a float64 check on LeNet-300-100 with 100 examples gave
/// relative errors of 6 at δ = 10⁻³ and 19 at δ = 10⁻⁴, and GraSP scores correlated 0.4 with the exact ones).
///
/// Recording a pass at θ fixes, for every kink site in call order,
/// - a piecewise-linear activation (relu, leaky-relu, shifted-relu, soft-threshold, clipped
///   variants, abs): y = φ′(x₀) ⊙ x + (φ(x₀) − φ′(x₀) ⊙ x₀), exact at x₀ and affine around it;
/// - a selection (max-pooling, maxout): y = x[i₀], the inputs chosen at x₀;
///
/// and replaying it through ``ForwardContext/interceptor`` makes the passes at θ ± εv differentiate
/// that fixed piecewise-affine model, whose central difference is then exact up to O(ε²) and
/// float32 rounding. Smooth activations are left alone (the difference captures their φ″).
/// A site's input is the output the previous layer reported; recording checks that φ(input)
/// reproduces the site's output and refuses models whose containers run kinks the interceptor
/// cannot see (a container with several children that is not a ``SequentialModule``, e.g. a
/// residual block applying its own activation). Sites are recognized by their declared
/// ``Module/kind``: `.activation` and `.pooling(.max)`, so a new layer needs no edit here.
final class FrozenKinks {
    private enum Site {
        case affine(slope: Tensor, intercept: Tensor)
        case selection(indices: [Int], outputShape: [Int])
        case smooth
    }

    private let sites: [(module: ObjectIdentifier, site: Site)]

    /// Whether every container of `model` with several children is a ``SequentialModule``, so
    /// that the interceptor sees each kink (false for residual blocks).
    static func canReachKinks(of model: any Module) -> Bool {
        model.namedModules.allSatisfy { _, module in
            module.children.count < 2 || module is any SequentialModule
        }
    }

    private init(sites: [(module: ObjectIdentifier, site: Site)]) { self.sites = sites }

    /// Records the kinks of `model` at its current parameters on `inputs`, or returns `nil` when
    /// the model has containers whose kinks cannot be reached.
    static func record(_ model: any Module, inputs: Tensor, mode: ForwardContext.Mode, graph: GraphBatch? = nil) throws -> FrozenKinks? {
        guard canReachKinks(of: model) else { return nil }
        var sites: [(module: ObjectIdentifier, site: Site)] = []
        var previous: Tensor?
        var reachable = true
        let context = ForwardContext(mode: mode, recordsGradients: false)
        context.graph = graph
        context.interceptor = { module, output in
            defer { previous = output }
            let site: Site
            let activation = module.kind.activation
            if let activation, let function = activation.function, Self.isPiecewiseLinear(function) {
                guard let x = previous, x.shape == output.shape, try activation.apply(x) == output else {
                    reachable = false
                    return output
                }
                let probe = Parameter(x)
                try function.apply(probe.tracked).backward(seed: Tensor.ones(x.shape))
                let slope = probe.gradient ?? Tensor.zeros(x.shape)
                site = .affine(slope: slope, intercept: output.zipped(with: slope.zipped(with: x, *), -))
            } else if module.kind == .pooling(.max) || (activation.map { $0.function == nil } ?? false) {
                guard let x = previous, let indices = try Self.selectedIndices(module, input: x, output: output) else {
                    reachable = false
                    return output
                }
                site = .selection(indices: indices, outputShape: output.shape)
            } else {
                site = .smooth
            }
            sites.append((ObjectIdentifier(module), site))
            return output
        }
        _ = try model.forward(inputs, context: context)
        return reachable ? FrozenKinks(sites: sites) : nil
    }

    /// An interceptor that replaces every recorded kink by its linearization; for passes over
    /// the same model and inputs shape as the recording.
    func interceptor() -> (any Module, Tensor) throws -> Tensor {
        var index = 0
        var previous: Tensor?
        let sites = self.sites
        return { module, output in
            guard index < sites.count, sites[index].module == ObjectIdentifier(module) else {
                throw InitiumError.internalFailure("the frozen kinks were recorded on a different pass structure")
            }
            let site = sites[index].site
            index += 1
            let result: Tensor
            switch site {
            case let .affine(slope, intercept):
                result = try previous! * slope + intercept
            case let .selection(indices, shape):
                result = try previous!.reshaped([-1]).indexSelect(axis: 0, indices).reshaped(shape)
            case .smooth:
                result = output
            }
            previous = result
            return result
        }
    }

    /// Whether φ is piecewise linear (its φ″ is zero except at kinks).
    static func isPiecewiseLinear(_ function: PointwiseFunction) -> Bool {
        switch function {
        case .identity, .relu, .leakyReLU, .shiftedReLU, .softThreshold, .clippedReLU, .clippedSoftThreshold, .abs: return true
        default: return false
        }
    }

    /// For a layer whose every output is one of its inputs (max-pooling, maxout): the flat input
    /// index each output takes at `input`, found by back-propagating distinct seeds 1, 2, …; `nil`
    /// if windows overlap so one input feeds several outputs, or the gather does not reproduce `output`.
    static func selectedIndices(_ module: any Module, input: Tensor, output: Tensor) throws -> [Int]? {
        guard output.count < 1 << 24 else { return nil }
        let probe = Parameter(input)
        let y = try module.forward(probe.tracked, context: ForwardContext(mode: .inference, recordsGradients: true))
        guard y.shape == output.shape else { return nil }
        try y.backward(seed: Tensor(shape: y.shape, scalars: (1...y.count).map(Float.init)))
        guard let marks = probe.gradient?.scalars else { return nil }
        var indices = [Int](repeating: -1, count: y.count)
        for (position, mark) in marks.enumerated() where mark != 0 {
            let o = Int(mark) - 1
            guard Float(o + 1) == mark, o < indices.count, indices[o] == -1 else { return nil }
            indices[o] = position
        }
        guard !indices.contains(-1) else { return nil }
        let gathered = try input.reshaped([-1]).indexSelect(axis: 0, indices).reshaped(output.shape)
        return gathered == output ? indices : nil
    }
}
