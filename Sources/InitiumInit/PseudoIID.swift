import InitiumCore
import InitiumNN
import InitiumSpec

/// Pseudo-IID weights (Nait Saada, Naderi & Tanner, "Beyond IID weights: sparse and low-rank deep
/// neural networks are also Gaussian processes", ICLR 2024): matrices whose entries are centred,
/// uncorrelated, of equal variance σ²/N_in and exchangeable under row and column permutations,
/// without being independent. Such networks converge to the same NNGP as IID Gaussian weights of
/// the same variance (so the edge of chaos is found with σ_w² = N_in·Var(W_ij)). Besides IID and
/// scaled Haar-orthogonal weights (the `orthogonal` scheme), the paper's families are low-rank and
/// structured-sparse weights; these two are here, both with the matched variance Var(W_ij) =
/// gain²/N_in on the flattened [out, N_in] matrix (N_in = in·k… for convolutions):
///
/// - `pseudo-iid-low-rank(rank=ρ, gain=g)`: W = g·U·V/√(r·N_in), U ∈ ℝ^{out×r}, V ∈ ℝ^{r×N_in}
///   with IID N(0, 1) entries and r = max(1, round(ρ·min(out, N_in))). Entries are uncorrelated
///   (E[W_ij W_kl] = 0 unless (i, j) = (k, l)) with variance g²/N_in, but W has rank r. The paper's
///   condition asks the rank to grow with the width, hence a fraction ρ rather than a fixed r.
/// - `pseudo-iid-sparse(density=δ, gain=g)`: each row keeps exactly k = max(1, round(δ·N_in))
///   entries at positions chosen uniformly at random (a fixed fan-in per unit: structured
///   sparsity), filled with N(0, g²/k) values; zero elsewhere. Each entry has variance g²/N_in.
///
/// Which families the paper admits is read from its abstract (IID, orthogonal, low-rank,
/// structured sparse); the exact constructions above are Initium's, chosen to satisfy the stated
/// conditions (centred, uncorrelated, exchangeable, matched variance).
struct PseudoIIDInitializer: TensorInitializer {
    enum Structure: Sendable {
        case lowRank(fraction: Double)
        case sparse(density: Double)
    }
    let structure: Structure
    let gain: Gain

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        let (rows, columns) = layout.flattenedMatrix
        let g = try gain.resolved(activation: context.activation)
        switch structure {
        case let .lowRank(fraction):
            let r = max(1, Int((fraction * Double(min(rows, columns))).rounded()))
            let u = try Tensor.normal([rows, r], key: key.fold("u"))
            let v = try Tensor.normal([r, columns], key: key.fold("v"))
            var w = Tensor(uninitializedShape: [rows, columns])
            u.withUnsafeBufferPointer { a in
                v.withUnsafeBufferPointer { b in
                    w.withUnsafeMutableBufferPointer { c in
                        GEMM.multiply(m: rows, n: columns, k: r, a.baseAddress!, transposeA: false, b.baseAddress!, transposeB: false,
                                      into: c.baseAddress!, alpha: Float(g / (Double(r) * Double(columns)).squareRoot()))
                    }
                }
            }
            return try w.reshaped(layout.shape)
        case let .sparse(density):
            let k = max(1, Int((density * Double(columns)).rounded()))
            let values = try Tensor.normal([rows, k], std: Float(g / Double(k).squareRoot()), key: key.fold("values")).scalars
            var w = Tensor(shape: [rows, columns], repeating: 0)
            let positions = key.fold("positions")
            w.withUnsafeMutableBufferPointer { p in
                for row in 0..<rows {
                    for (slot, column) in Tensor.permutation(columns, key: positions.fold(row)).prefix(k).enumerated() {
                        p[row * columns + column] = values[row * k + slot]
                    }
                }
            }
            return try w.reshaped(layout.shape)
        }
    }
}

extension SchemeCatalog {
    static let pseudoIIDLowRankEntry = Entry(
        name: "pseudo-iid-low-rank",
        parameters: [ParameterInfo(name: "rank", defaultValue: "0.5", summary: "rank as a fraction of min(out, in), in (0, 1]"),
                     gainParameter(default: .value(1))],
        summary: "W = gain·U·V/√(r·fan_in), U, V IID N(0,1), rank r = rank·min(out, in): Var = gain²/fan_in",
        reference: "Nait Saada, Naderi & Tanner, ICLR 2024 (pseudo-IID)"
    ) { spec in
        let fraction = try spec.number("rank", default: 0.5, kind: kind)
        guard fraction > 0, fraction <= 1 else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "rank must be in (0, 1], got \(SpecSyntax.format(fraction))")
        }
        return .tensor(PseudoIIDInitializer(structure: .lowRank(fraction: fraction), gain: try gain(spec, default: .value(1))))
    }

    static let pseudoIIDSparseEntry = Entry(
        name: "pseudo-iid-sparse",
        parameters: [ParameterInfo(name: "density", defaultValue: "0.1", summary: "fraction of non-zeros per row, in (0, 1]"),
                     gainParameter(default: .value(1))],
        summary: "density·fan_in random non-zeros per row, N(0, gain²/k): Var = gain²/fan_in",
        reference: "Nait Saada, Naderi & Tanner, ICLR 2024 (pseudo-IID)"
    ) { spec in
        let density = try spec.number("density", default: 0.1, kind: kind)
        guard density > 0, density <= 1 else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "density must be in (0, 1], got \(SpecSyntax.format(density))")
        }
        return .tensor(PseudoIIDInitializer(structure: .sparse(density: density), gain: try gain(spec, default: .value(1))))
    }
}
