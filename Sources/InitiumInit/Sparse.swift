import InitiumCore
import InitiumNN
import InitiumSpec

/// Sparse initialization (Martens, "Deep learning via Hessian-free optimization", ICML 2010), as
/// PyTorch's `sparse_(sparsity, std)`: W ~ N(0, std²), then in each column of the flattened
/// [rows = shape[0], columns] matrix ⌈sparsity·rows⌉ entries, chosen uniformly at random, are
/// set to 0. Martens fixed the number of non-zero incoming weights per unit (15); PyTorch's
/// column rule, followed here so weights match its semantics, fixes it per input instead.
/// Values use `key.fold("values")`, column c's zero set the permutation from
/// `key.fold("zeros").fold(c)`. Higher ranks are flattened as for orthogonal (PyTorch allows
/// matrices only).
struct SparseInitializer: TensorInitializer {
    let sparsity: Double
    let std: Double

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        let (rows, columns) = layout.flattenedMatrix
        var w = try Tensor.normal(layout.shape, std: Float(std), key: key.fold("values"))
        let zeros = Int((sparsity * Double(rows)).rounded(.up))
        guard zeros > 0 else { return w }
        let zeroKey = key.fold("zeros")
        w.withUnsafeMutableBufferPointer { p in
            for column in 0..<columns {
                for row in Tensor.permutation(rows, key: zeroKey.fold(column)).prefix(zeros) {
                    p[row * columns + column] = 0
                }
            }
        }
        return w
    }
}

extension SchemeCatalog {
    static let sparseEntry = Entry(
        name: "sparse",
        parameters: [ParameterInfo(name: "sparsity", defaultValue: "0.9", summary: "fraction of zeros per column, in [0, 1)"),
                     ParameterInfo(name: "std", defaultValue: "0.01", summary: "std of the non-zero values")],
        summary: "N(0, std²) with ⌈sparsity·rows⌉ random zeros per column",
        reference: "Martens, ICML 2010; torch.nn.init.sparse_"
    ) { spec in
        let sparsity = try spec.number("sparsity", default: 0.9, kind: kind)
        guard sparsity >= 0, sparsity < 1 else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "sparsity must be in [0, 1), got \(SpecSyntax.format(sparsity))")
        }
        return .tensor(SparseInitializer(sparsity: sparsity, std: try nonNegative(spec, "std", default: 0.01)))
    }

    static let structuredEntries: [Entry] = [
        orthogonalEntry, deltaOrthogonalEntry, identityEntry("identity"), identityEntry("eye"), diracEntry, sparseEntry,
    ]
}
