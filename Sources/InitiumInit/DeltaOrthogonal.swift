import InitiumCore
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
        return try CentreTap.kernel(shape: layout.shape, kernel: layout.kernelShape, groups: groups, rounding: .down) { group in
            let q = try OrthogonalInitializer.matrix(
                rows: outPerGroup, columns: inPerGroup, key: groups == 1 ? key : key.fold("group\(group)"))
            return { i, j in g * q[i, j] }
        }
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

    /// A weight of `shape` = [out, in/groups, kernel…] that is zero except at the centre tap of
    /// `kernel`, where group g's [out/groups, in/groups] block holds `block(g)(i, j)` (entries
    /// that are 0 are skipped). Used by delta-orthogonal, dirac and ZerO's convolutions.
    static func kernel(
        shape: [Int], kernel: [Int], groups: Int, rounding: Rounding,
        block: (_ group: Int) throws -> (_ row: Int, _ column: Int) -> Float
    ) rethrows -> Tensor {
        let (rows, columns) = (shape[0] / groups, shape[1])
        let taps = Shape.count(of: kernel)
        let centre = flatIndex(kernel, rounding: rounding)
        var w = Tensor.zeros(shape)
        try w.withUnsafeMutableBufferPointer { p in
            for group in 0..<groups {
                let entry = try block(group)
                for i in 0..<rows {
                    for j in 0..<columns {
                        let v = entry(i, j)
                        if v != 0 { p[((group * rows + i) * columns + j) * taps + centre] = v }
                    }
                }
            }
        }
        return w
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
