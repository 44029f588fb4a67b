import InitiumNN

/// Delta-orthogonal convolution kernels (Xiao et al., "Dynamical Isometry and a Mean Field Theory
/// of CNNs", ICML 2018, Algorithm 2; JAX's `delta_orthogonal`): every tap is zero except the
/// centre tap (index (k−1)/2 along each spatial axis, as JAX), which is gain·Q with Q an
/// out × in matrix with orthonormal columns (Haar, from ``OrthogonalInitializer``). A
/// convolution with this kernel is an isometry up to the gain, so its input–output Jacobian has
/// all singular values equal to the gain (dynamical isometry). Needs out ≥ in; for grouped
/// convolutions each group's block is drawn separately (key folded with `group<g>`). Matrices
/// (a network's dense layers, e.g. the classifier) get orthogonal(gain), Xiao et al.'s choice for
/// fully connected layers, with no constraint on their shape.
struct DeltaOrthogonalInitializer: TensorInitializer {
    let gain: Gain

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        guard layout.isConvolution else {
            return try OrthogonalInitializer(gain: gain).weight(for: layout, key: key, context: context)
        }
        let groups = layout.groups
        let outPerGroup = layout.shape[0] / groups
        let inPerGroup = layout.shape[1]
        guard outPerGroup >= inPerGroup else {
            throw InitiumError.invalidArgument(
                "delta-orthogonal needs at least as many output as input channels per group (an isometry cannot shrink the dimension); got \(outPerGroup) < \(inPerGroup) for \(layout.shape)")
        }
        let g = Float(try gain.resolved(activation: context.activation))
        let kernel = layout.kernelShape
        let taps = Shape.count(of: kernel)
        let centre = CentreTap.flatIndex(kernel, rounding: .down)
        var w = Tensor.zeros(layout.shape)
        try w.withUnsafeMutableBufferPointer { p in
            for group in 0..<groups {
                let q = try OrthogonalInitializer.matrix(
                    rows: outPerGroup, columns: inPerGroup, key: groups == 1 ? key : key.fold("group\(group)"))
                for i in 0..<outPerGroup {
                    for j in 0..<inPerGroup {
                        p[((group * outPerGroup + i) * inPerGroup + j) * taps + centre] = g * q[i, j]
                    }
                }
            }
        }
        return w
    }
}

/// The centre tap of a kernel.
enum CentreTap {
    /// How an even kernel size picks its centre: (k−1)/2 (JAX, TF) or k/2 (PyTorch's `dirac_`).
    enum Rounding { case down, up }

    /// The flat row-major index of the centre tap of a kernel of `shape`.
    static func flatIndex(_ shape: [Int], rounding: Rounding) -> Int {
        var index = 0
        for k in shape {
            index = index * k + (rounding == .down ? (k - 1) / 2 : k / 2)
        }
        return index
    }
}

extension SchemeCatalog {
    static let deltaOrthogonalEntry = Entry(
        name: "delta-orthogonal", parameters: [gainParameter(default: .value(1))],
        summary: "conv kernel zero except the centre tap = gain·Q, Q out×in orthonormal columns (needs out ≥ in)",
        reference: "Xiao et al., ICML 2018 (Algorithm 2); jax.nn.initializers.delta_orthogonal"
    ) { spec in
        .tensor(DeltaOrthogonalInitializer(gain: try gain(spec, default: .value(1))))
    }
}
