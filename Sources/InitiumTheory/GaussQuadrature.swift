import Foundation

/// A Gauss quadrature rule ∫ f(x) w(x) dx ≈ Σᵢ wᵢ f(xᵢ), exact for polynomials of degree ≤ 2n − 1.
///
/// Nodes and weights come from the Golub–Welsch algorithm (Golub & Welsch, "Calculation of Gauss
/// quadrature rules", Math. Comp. 1969): the nodes are the eigenvalues of the symmetric tridiagonal
/// Jacobi matrix of the weight's three-term recurrence, and each weight is μ₀ v₀², where v₀ is the
/// first component of the normalised eigenvector and μ₀ = ∫ w(x) dx. Only the first row of the
/// eigenvector matrix is tracked, so a rule of order n costs O(n²).
public struct GaussRule: Sendable, Equatable {
    /// The nodes xᵢ in increasing order.
    public let nodes: [Double]
    /// The weights wᵢ, aligned with `nodes`.
    public let weights: [Double]

    /// The number of nodes n.
    public var order: Int { nodes.count }

    /// Probabilists' Gauss–Hermite rule for the standard normal density:
    /// E[f(Z)] ≈ Σᵢ wᵢ f(xᵢ), Z ~ N(0, 1), with Σ wᵢ = 1.
    ///
    /// Jacobi matrix: zero diagonal, off-diagonal √k for k = 1…n−1 (from He_{k+1} = x He_k − k He_{k−1}).
    /// The nodes are symmetrised (xᵢ = −x_{n−1−i}) so odd integrands cancel exactly.
    public static func hermite(order: Int) throws -> GaussRule {
        guard order >= 1 else {
            throw TheoryError.invalidParameter(name: "order", value: Double(order), requirement: "at least 1")
        }
        let offDiagonal = (1..<max(order, 1)).map { Double($0).squareRoot() }
        let rule = GaussRule(
            jacobiDiagonal: [Double](repeating: 0, count: order), offDiagonal: offDiagonal, totalMass: 1)
        return rule.symmetrised()
    }

    /// Gauss–Legendre rule on [−1, 1] with weight 1 (∫₋₁¹ f ≈ Σ wᵢ f(xᵢ), Σ wᵢ = 2).
    ///
    /// Jacobi matrix: zero diagonal, off-diagonal k/√(4k² − 1) for k = 1…n−1.
    public static func legendre(order: Int) throws -> GaussRule {
        guard order >= 1 else {
            throw TheoryError.invalidParameter(name: "order", value: Double(order), requirement: "at least 1")
        }
        let offDiagonal = (1..<max(order, 1)).map { k -> Double in
            let k = Double(k)
            return k / (4 * k * k - 1).squareRoot()
        }
        let rule = GaussRule(
            jacobiDiagonal: [Double](repeating: 0, count: order), offDiagonal: offDiagonal, totalMass: 2)
        return rule.symmetrised()
    }

    /// Builds the rule from a Jacobi matrix (diagonal αₖ, off-diagonal βₖ) and the weight's mass μ₀.
    init(jacobiDiagonal: [Double], offDiagonal: [Double], totalMass: Double) {
        let (eigenvalues, firstComponents) = Self.tridiagonalEigen(
            diagonal: jacobiDiagonal, offDiagonal: offDiagonal)
        let order = eigenvalues.indices.sorted { eigenvalues[$0] < eigenvalues[$1] }
        nodes = order.map { eigenvalues[$0] }
        weights = order.map { totalMass * firstComponents[$0] * firstComponents[$0] }
    }

    private init(nodes: [Double], weights: [Double]) {
        self.nodes = nodes
        self.weights = weights
    }

    /// Averages mirror-image nodes and weights so the rule is exactly symmetric about 0.
    private func symmetrised() -> GaussRule {
        let n = nodes.count
        var x = nodes
        var w = weights
        for i in 0..<(n / 2) {
            let j = n - 1 - i
            let node = 0.5 * (x[j] - x[i])
            let weight = 0.5 * (w[i] + w[j])
            x[i] = -node
            x[j] = node
            w[i] = weight
            w[j] = weight
        }
        if n % 2 == 1 { x[n / 2] = 0 }
        return GaussRule(nodes: x, weights: w)
    }

    /// Eigenvalues of a symmetric tridiagonal matrix and the first component of each normalised
    /// eigenvector, by the implicit QL algorithm with Wilkinson-type shifts. Only row 0 of the
    /// accumulated rotation matrix is kept, which is all Golub–Welsch needs.
    static func tridiagonalEigen(diagonal: [Double], offDiagonal: [Double]) -> ([Double], [Double]) {
        let n = diagonal.count
        var d = diagonal
        var e = offDiagonal + [Double](repeating: 0, count: max(0, n - offDiagonal.count))
        var firstRow = [Double](repeating: 0, count: n)
        if n > 0 { firstRow[0] = 1 }
        for low in 0..<n {
            var sweeps = 0
            while true {
                // Find the first negligible off-diagonal element at or after `low`.
                var high = low
                while high < n - 1 {
                    let scale = abs(d[high]) + abs(d[high + 1])
                    if abs(e[high]) <= Double.ulpOfOne * scale { break }
                    high += 1
                }
                if high == low { break }
                sweeps += 1
                precondition(sweeps <= 100, "tridiagonal QL failed to converge")
                // Shift from the leading 2×2 block, chosen to avoid cancellation.
                var g = (d[low + 1] - d[low]) / (2 * e[low])
                var r = hypot(g, 1)
                g = d[high] - d[low] + e[low] / (g + (g >= 0 ? r : -r))
                var sine = 1.0
                var cosine = 1.0
                var shift = 0.0
                var underflow = false
                var i = high - 1
                while i >= low {
                    let f = sine * e[i]
                    let b = cosine * e[i]
                    r = hypot(f, g)
                    e[i + 1] = r
                    if r == 0 {
                        d[i + 1] -= shift
                        e[high] = 0
                        underflow = true
                        break
                    }
                    sine = f / r
                    cosine = g / r
                    g = d[i + 1] - shift
                    r = (d[i] - g) * sine + 2 * cosine * b
                    shift = sine * r
                    d[i + 1] = g + shift
                    g = cosine * r - b
                    let upper = firstRow[i + 1]
                    firstRow[i + 1] = sine * firstRow[i] + cosine * upper
                    firstRow[i] = cosine * firstRow[i] - sine * upper
                    i -= 1
                }
                if underflow { continue }
                d[low] -= shift
                e[low] = g
                e[high] = 0
            }
        }
        return (d, firstRow)
    }
}
