import InitiumCore
import InitiumNN

/// Orthogonal initialization (Saxe, McClelland & Ganguli, "Exact solutions to the nonlinear
/// dynamics of learning in deep linear neural networks", ICLR 2014), as PyTorch's `orthogonal_`:
/// the weight is flattened to rows = shape[0] and columns = the product of the other sizes;
/// A ~ N(0, 1) of shape max × min is factored A = QR by Householder QR (LAPACK `sgeqrf_` +
/// `sorgqr_`); Q·diag(sign(diag R)) is Haar-distributed (Mezzadri 2007); it is transposed when
/// rows < columns so that W has orthonormal rows or columns, whichever are fewer, and times the
/// gain: WᵀW = g²I (rows ≥ columns) or WWᵀ = g²I (rows ≤ columns).
struct OrthogonalInitializer: TensorInitializer {
    let gain: Gain

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        let (rows, columns) = layout.flattenedMatrix
        var w = try Self.matrix(rows: rows, columns: columns, key: key)
        let g = try gain.resolved(activation: context.activation)
        if g != 1 { w.scaleInPlace(by: Float(g)) }
        return try w.reshaped(layout.shape)
    }

    /// A rows × columns matrix with orthonormal rows (rows ≤ columns) or orthonormal columns
    /// (rows ≥ columns), Haar-distributed, drawn from `key`.
    ///
    /// The N(0, 1) draw is laid out as the row-major min × max matrix that LAPACK reads as the
    /// column-major max × min A, so the factorization needs no copy; its Q, read back row-major, is
    /// Qᵀ (min × max): already the answer when rows ≤ columns (including every square matrix),
    /// transposed once otherwise.
    static func matrix(rows: Int, columns: Int, key: RandomKey) throws -> Tensor {
        let (long, short) = (max(rows, columns), min(rows, columns))
        var buffer = try Tensor.normal([short, long], key: key)
        try buffer.withUnsafeMutableBufferPointer { a in
            try Linalg.householderQ(a.baseAddress!, rows: long, columns: short)
        }
        return rows <= columns ? buffer : try buffer.transposed()
    }
}

extension SchemeCatalog {
    static let orthogonalEntry = Entry(
        name: "orthogonal", parameters: [gainParameter(default: .value(1))],
        summary: "W = gain·Q, Q Haar-orthogonal from QR of N(0,1) with the sign fix, flattened [out, in·k…] like PyTorch",
        reference: "Saxe et al., ICLR 2014; torch.nn.init.orthogonal_"
    ) { spec in
        .tensor(OrthogonalInitializer(gain: try gain(spec, default: .value(1))))
    }
}
