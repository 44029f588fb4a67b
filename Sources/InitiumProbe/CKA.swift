import Foundation
import InitiumCore
import InitiumNN

/// Centred kernel alignment between two representations of the same n inputs (Kornblith,
/// Norouzi, Lee & Hinton, ICML 2019). With X (n×p₁) and Y (n×p₂):
/// - linear CKA = ‖YᵀX‖²_F / (‖XᵀX‖_F ‖YᵀY‖_F) after centring the columns;
/// - kernel CKA = HSIC(K, L)/√(HSIC(K, K)·HSIC(L, L)), HSIC(K, L) = tr(KHLH)/(n−1)², with the RBF
///   kernel exp(−‖xᵢ − xⱼ‖²/(2σ²)), σ a fraction of the median pairwise distance;
/// - minibatch CKA from the unbiased HSIC₁ of Song et al. (2012) (Nguyen, Raghu & Kornblith,
///   ICLR 2021): Σ_b HSIC₁(K_b, L_b)/√(Σ_b HSIC₁(K_b, K_b) · Σ_b HSIC₁(L_b, L_b)), n ≥ 4 per batch.
/// CKA is 1 for identical representations and invariant to orthogonal transforms and isotropic
/// scaling of either side. All arithmetic is in Double.
public enum CKA {
    /// Linear CKA of two activation tensors with the same leading (example) axis.
    public static func linear(_ x: Tensor, _ y: Tensor) throws -> Double {
        let (gx, n) = try gram(x), (gy, m) = try gram(y)
        guard n == m else { throw InitiumError.shapeMismatch(operation: "CKA", lhs: x.shape, rhs: y.shape) }
        return alignment(center(gx, n), center(gy, n))
    }

    /// RBF-kernel CKA with bandwidth `fraction` × median pairwise distance.
    public static func rbf(_ x: Tensor, _ y: Tensor, fraction: Double = 0.8) throws -> Double {
        let (kx, n) = try rbfKernel(x, fraction: fraction), (ky, m) = try rbfKernel(y, fraction: fraction)
        guard n == m else { throw InitiumError.shapeMismatch(operation: "CKA", lhs: x.shape, rhs: y.shape) }
        return alignment(center(kx, n), center(ky, n))
    }

    /// Minibatch linear CKA over matching minibatches of the two representations.
    public static func minibatch(_ pairs: [(Tensor, Tensor)]) throws -> Double {
        var xy = 0.0, xx = 0.0, yy = 0.0
        for (x, y) in pairs {
            let (gx, n) = try gram(x), (gy, m) = try gram(y)
            guard n == m, n >= 4 else {
                throw InitiumError.invalidArgument("minibatch CKA needs matching batches of at least 4 examples, got \(n) and \(m)")
            }
            xy += unbiasedHSIC(gx, gy, n)
            xx += unbiasedHSIC(gx, gx, n)
            yy += unbiasedHSIC(gy, gy, n)
        }
        return xy / max((xx * yy).squareRoot(), 1e-300)
    }

    /// The n×n Gram matrix XXᵀ of the rows.
    static func gram(_ t: Tensor) throws -> ([Double], Int) {
        let (values, n, p) = Statistics.rows(t)
        guard n >= 2 else { throw InitiumError.invalidArgument("CKA needs at least 2 examples") }
        return (Statistics.rowGram(values, rows: n, columns: p), n)
    }

    static func rbfKernel(_ t: Tensor, fraction: Double) throws -> ([Double], Int) {
        let (g, n) = try gram(t)
        var distances = [Double](repeating: 0, count: n * n)
        var offDiagonal: [Double] = []
        for i in 0..<n {
            for j in 0..<n {
                let d2 = max(0, g[i * n + i] + g[j * n + j] - 2 * g[i * n + j])
                distances[i * n + j] = d2
                if j < i { offDiagonal.append(d2.squareRoot()) }
            }
        }
        let sigma = fraction * (Statistics.median(offDiagonal) ?? 1)
        guard sigma > 0 else { return ([Double](repeating: 1, count: n * n), n) }
        return (distances.map { Foundation.exp(-$0 / (2 * sigma * sigma)) }, n)
    }

    /// HKH with H = I − 11ᵀ/n.
    static func center(_ k: [Double], _ n: Int) -> [Double] {
        var rowMeans = [Double](repeating: 0, count: n)
        var total = 0.0
        for i in 0..<n {
            for j in 0..<n { rowMeans[i] += k[i * n + j] }
            total += rowMeans[i]
            rowMeans[i] /= Double(n)
        }
        total /= Double(n * n)
        var c = k
        for i in 0..<n {
            for j in 0..<n { c[i * n + j] = k[i * n + j] - rowMeans[i] - rowMeans[j] + total }
        }
        return c
    }

    /// ⟨A, B⟩_F/(‖A‖_F‖B‖_F) for centred kernels (the 1/(n−1)² factors cancel).
    static func alignment(_ a: [Double], _ b: [Double]) -> Double {
        var ab = 0.0, aa = 0.0, bb = 0.0
        for i in a.indices {
            ab += a[i] * b[i]
            aa += a[i] * a[i]
            bb += b[i] * b[i]
        }
        return ab / max((aa * bb).squareRoot(), 1e-300)
    }

    /// Song et al.'s unbiased HSIC₁ (diagonals of both kernels set to zero).
    static func unbiasedHSIC(_ k: [Double], _ l: [Double], _ n: Int) -> Double {
        var kt = k, lt = l
        for i in 0..<n { kt[i * n + i] = 0; lt[i * n + i] = 0 }
        var trace = 0.0, sumK = 0.0, sumL = 0.0, cross = 0.0
        var rowK = [Double](repeating: 0, count: n), rowL = [Double](repeating: 0, count: n)
        for i in 0..<n {
            for j in 0..<n {
                trace += kt[i * n + j] * lt[j * n + i]
                rowK[i] += kt[i * n + j]
                rowL[i] += lt[i * n + j]
            }
            sumK += rowK[i]
            sumL += rowL[i]
        }
        for i in 0..<n { cross += rowK[i] * rowL[i] }
        let nn = Double(n)
        return (trace + sumK * sumL / ((nn - 1) * (nn - 2)) - 2 / (nn - 2) * cross) / (nn * (nn - 3))
    }
}
