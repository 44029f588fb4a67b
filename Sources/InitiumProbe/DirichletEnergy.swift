import InitiumCore
import InitiumNN

/// The Dirichlet energy of node features X `[nodes, features]` on a graph: how much features
/// differ across edges; its collapse through depth is over-smoothing. Two definitions (sums in
/// Double), because they vanish at different X:
/// - ``unnormalized(_:adjacency:)`` (Rusch, Bronstein & Mishra, "A Survey on Oversmoothing in
///   Graph Neural Networks", 2023): E(X) = (1/|V|) Σᵢ Σⱼ aᵢⱼ ‖xᵢ − xⱼ‖² over the stored edges
///   (aᵢⱼ = 1 on an unweighted graph; = (2/|V|)·tr(Xᵀ(D − A)X) for a symmetric A); zero iff X is
///   constant on each connected component;
/// - ``normalized(_:propagation:)`` (Cai & Wang, "A Note on Over-Smoothing for Graph Neural
///   Networks", 2020): E(X) = tr(Xᵀ(I − Â)X), Â = D̃^{-1/2}(A + I)D̃^{-1/2}; zero at X ∝ D̃^{1/2}1,
///   not at constant X, and non-increasing under X ← ÂX.
public enum DirichletEnergy {
    /// (1/|V|) Σᵢ Σⱼ aᵢⱼ ‖xᵢ − xⱼ‖² over the nonzero entries of `adjacency`.
    public static func unnormalized(_ x: Tensor, adjacency: SparseMatrix) throws -> Double {
        let (n, d) = try check(x, adjacency)
        return x.withUnsafeBufferPointer { p in
            var total = 0.0
            for i in 0..<n {
                for k in adjacency.rowOffsets[i]..<adjacency.rowOffsets[i + 1] {
                    let j = Int(adjacency.columnIndices[k])
                    var s = 0.0
                    for c in 0..<d { let diff = Double(p[i * d + c]) - Double(p[j * d + c]); s += diff * diff }
                    total += Double(adjacency.values[k]) * s
                }
            }
            return total / Double(n)
        }
    }

    /// tr(Xᵀ(I − Â)X) = Σᵢ ‖xᵢ‖² − Σᵢⱼ Âᵢⱼ ⟨xᵢ, xⱼ⟩, with `propagation` = Â.
    public static func normalized(_ x: Tensor, propagation: SparseMatrix) throws -> Double {
        let (n, d) = try check(x, propagation)
        return x.withUnsafeBufferPointer { p in
            var total = 0.0
            for i in 0..<n {
                for c in 0..<d { total += Double(p[i * d + c]) * Double(p[i * d + c]) }
                for k in propagation.rowOffsets[i]..<propagation.rowOffsets[i + 1] {
                    let j = Int(propagation.columnIndices[k])
                    var dot = 0.0
                    for c in 0..<d { dot += Double(p[i * d + c]) * Double(p[j * d + c]) }
                    total -= Double(propagation.values[k]) * dot
                }
            }
            return total
        }
    }

    private static func check(_ x: Tensor, _ a: SparseMatrix) throws -> (Int, Int) {
        guard x.rank == 2, x.shape[0] == a.rowCount, a.rowCount == a.columnCount else {
            throw InitiumError.invalidShape(
                operation: "DirichletEnergy", shape: x.shape, reason: "expected node features [\(a.rowCount), features] for a \(a.rowCount)-node graph")
        }
        return (x.shape[0], x.shape[1])
    }
}
