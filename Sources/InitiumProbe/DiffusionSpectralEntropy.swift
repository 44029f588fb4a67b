import Foundation
import InitiumCore

/// Diffusion spectral entropy (DSE) of a point cloud and diffusion spectral mutual information
/// (DSMI) with discrete labels (Liao, Liu et al., "Assessing Neural Network Representations
/// During Training Using Noise-Resilient Diffusion Spectral Entropy", 2023; the algorithm of
/// ChenLiu-1996/DiffusionSpectralEntropy, `dse_dsmi/dse.py`, `diffusion.py`, `dsmi.py`).
///
/// For points x₁…x_N in ℝᴰ:
/// 1. G_ij = exp(−‖xᵢ − x_j‖² / 2σ²) / (σ√(2π)) (a Gaussian kernel of fixed bandwidth σ, 10 by
///    default: the reference's rule is a fixed σ, raised when points are far apart);
/// 2. K = Deg^{−1/2} G Deg^{−1/2} with Deg = diag(Σ_j G_ij): symmetric, with the eigenvalues of
///    the row-normalized diffusion matrix P = Deg⁻¹G;
/// 3. λ₁…λ_N the eigenvalues of K (LAPACK `dsyevd`), pᵢ = |λᵢ|ᵗ / Σ_j |λ_j|ᵗ after t diffusion
///    steps, and DSE = −Σᵢ (pᵢ + ε) log₂(pᵢ + ε) with ε = 2.2·10⁻¹⁶ (NumPy's float eps, as the
///    reference adds it).
///
/// DSMI(Z; Y) = Σ_c p(c)·[DSE(Z*) − DSE(Z | Y = c)], where Z* is a random subset of all points
/// of the size of class c and DSE(Z*) is averaged over `repetitions` subsets; the subsets depend
/// only on the class size and the key (the reference reseeds before each class).
///
/// All arithmetic is in Double; squared distances are summed directly (not through the Gram form
/// ‖x‖² + ‖y‖² − 2x·y, which cancels for close points) so the entropy agrees with the NumPy
/// reference to rounding. Cost O(N²D + N³); N is capped at ``maximumPoints`` (the reference's
/// `max_N`), larger clouds are subsampled.
public struct DiffusionSpectralEntropy: Sendable, Codable, Equatable {
    /// The Gaussian kernel's bandwidth σ.
    public var sigma: Double
    /// Diffusion steps t (the power of the eigenvalues).
    public var steps: Int
    /// At most this many points are used; a larger cloud is subsampled without replacement.
    public var maximumPoints: Int

    /// A DSE measurement with bandwidth `sigma` (> 0) and `steps` ≥ 1 diffusion steps.
    public init(sigma: Double = 10, steps: Int = 1, maximumPoints: Int = 10_000) throws {
        guard sigma.isFinite, sigma > 0 else { throw InitiumError.invalidArgument("`sigma` must be positive and finite, got \(sigma)") }
        guard steps >= 1 else { throw InitiumError.invalidArgument("`diffusionSteps` must be at least 1, got \(steps)") }
        guard maximumPoints >= 2 else { throw InitiumError.invalidArgument("`maximumPoints` must be at least 2, got \(maximumPoints)") }
        self.sigma = sigma
        self.steps = steps
        self.maximumPoints = maximumPoints
    }

    enum CodingKeys: String, CodingKey { case sigma, steps = "t", maximumPoints = "maximum_points" }

    /// DSE in bits of the rows of `points` ([N, D]; higher ranks are flattened per row). A cloud of
    /// more than ``maximumPoints`` rows is subsampled with `key`.
    public func entropy(of points: Tensor, key: RandomKey = RandomKey(seed: 0)) throws -> Double {
        let cloud = try PointCloud(points)
        return try entropy(of: cloud, rows: cloud.subsample(maximumPoints, key: key))
    }

    /// DSMI in bits between the rows of `points` and the class `labels` (one per row), with DSE(Z*)
    /// averaged over `repetitions` random subsets drawn with `key`.
    public func mutualInformation(
        points: Tensor, labels: [Int32], repetitions: Int = 5, key: RandomKey = RandomKey(seed: 0)
    ) throws -> Double {
        guard repetitions >= 1 else { throw InitiumError.invalidArgument("`repetitions` must be at least 1, got \(repetitions)") }
        let cloud = try PointCloud(points)
        return try mutualInformation(cloud, labels: labels) { size in
            (0..<repetitions).map { Array(Tensor.permutation(cloud.count, key: key.fold(size).fold($0)).prefix(size)) }
        }
    }

    /// DSMI with the random subsets given: `subsets(k)` lists the index sets (each of k rows) whose
    /// mean DSE estimates DSE(Z*) for a class of k points. Rows beyond ``maximumPoints`` per class
    /// are refused rather than subsampled.
    func mutualInformation(_ cloud: PointCloud, labels: [Int32], subsets: (Int) throws -> [[Int]]) throws -> Double {
        guard labels.count == cloud.count else {
            throw InitiumError.invalidArgument("DSMI needs one label per point: \(labels.count) labels for \(cloud.count) points")
        }
        var members: [Int32: [Int]] = [:]
        for (i, label) in labels.enumerated() { members[label, default: []].append(i) }
        var total = 0.0
        for label in members.keys.sorted() {
            let rows = members[label]!
            guard rows.count >= 2 else {
                throw InitiumError.invalidArgument("DSMI needs at least 2 points of every class; class \(label) has \(rows.count)")
            }
            guard rows.count <= maximumPoints else {
                throw InitiumError.invalidArgument("class \(label) has \(rows.count) points, more than `maximumPoints` (\(maximumPoints))")
            }
            let conditional = try entropy(of: cloud, rows: rows)
            let draws = try subsets(rows.count)
            let marginal = try draws.map { try entropy(of: cloud, rows: $0) }.reduce(0, +) / Double(draws.count)
            total += Double(rows.count) / Double(cloud.count) * (marginal - conditional)
        }
        return total
    }

    /// The eigenvalues of K = Deg^{−1/2} G Deg^{−1/2} over the given rows, ascending.
    func eigenvalues(of cloud: PointCloud, rows: [Int]) throws -> [Double] {
        let n = rows.count
        guard n >= 2 else { throw InitiumError.invalidArgument("DSE needs at least 2 points, got \(n)") }
        let d = cloud.dimension
        let scale = 1 / (sigma * (2 * Double.pi).squareRoot())
        let denominator = 2 * sigma * sigma
        var kernel = [Double](repeating: 0, count: n * n)
        cloud.values.withUnsafeBufferPointer { x in
            kernel.withUnsafeMutableBufferPointer { g in
                Parallel.forEachChunk(count: n, minimumPerThread: max(1, (1 << 16) / max(n * d, 1))) { chunk in
                    for a in chunk {
                        let xa = x.baseAddress! + rows[a] * d
                        for b in 0..<n {
                            let xb = x.baseAddress! + rows[b] * d
                            var s = 0.0
                            for k in 0..<d {
                                let diff = xa[k] - xb[k]
                                s += diff * diff
                            }
                            g[a * n + b] = scale * Foundation.exp(-s / denominator)
                        }
                    }
                }
            }
        }
        var inverseRoot = [Double](repeating: 0, count: n)
        for a in 0..<n {
            var s = 0.0
            for b in 0..<n { s += kernel[a * n + b] }
            inverseRoot[a] = 1 / s.squareRoot()
        }
        for a in 0..<n { for b in 0..<n { kernel[a * n + b] *= inverseRoot[a] * inverseRoot[b] } }
        return try Linalg.symmetricEigenvalues(kernel, size: n)
    }

    /// −Σ (pᵢ + ε) log₂(pᵢ + ε) with pᵢ = |λᵢ|ᵗ / Σ|λ_j|ᵗ.
    func entropy(of cloud: PointCloud, rows: [Int]) throws -> Double {
        Self.entropy(ofEigenvalues: try eigenvalues(of: cloud, rows: rows), steps: steps)
    }

    /// The spectral entropy in bits of eigenvalues powered to `steps`.
    static func entropy(ofEigenvalues eigenvalues: [Double], steps: Int) -> Double {
        let powered = eigenvalues.map { Foundation.pow(abs($0), Double(steps)) }
        let sum = powered.reduce(0, +)
        var h = 0.0
        for v in powered {
            let p = v / sum + Double.ulpOfOne
            h -= p * Foundation.log2(p)
        }
        return h
    }
}

/// The rows of an [N, D] array in Double, row-major.
struct PointCloud: Sendable {
    let values: [Double]
    let count: Int
    let dimension: Int

    init(_ points: Tensor) throws {
        guard points.shape.count >= 2, points.shape[0] >= 1 else {
            throw InitiumError.invalidShape(operation: "point cloud", shape: points.shape, reason: "expected [N, D] points")
        }
        count = points.shape[0]
        dimension = points.count / count
        guard dimension >= 1 else {
            throw InitiumError.invalidShape(operation: "point cloud", shape: points.shape, reason: "points have no coordinates")
        }
        values = points.scalars.map(Double.init)
        guard values.allSatisfy(\.isFinite) else { throw InitiumError.invalidArgument("the points have NaN or infinite coordinates") }
    }

    /// All rows, or `limit` of them drawn without replacement with `key` (in drawn order).
    func subsample(_ limit: Int, key: RandomKey) -> [Int] {
        count <= limit ? Array(0..<count) : Array(Tensor.permutation(count, key: key.fold("subsample")).prefix(limit))
    }
}
