import Foundation
import InitiumCore
import InitiumSpec

/// Estimators of the mutual information I(X; Y) in nats between paired samples of two
/// multivariate variables (rows of [N, Dx] and [N, Dy] arrays).
///
/// - ``binning(bins:)``: adaptive (equal-mass) binning, the entropy-based adaptive binning of
///   Chelombiev, Houghton & O'Donnell, "Adaptive Estimators Show Information Compression in Deep
///   Neural Networks", ICLR 2019: each dimension is cut at its empirical quantiles k/B so every bin
///   holds the same number of samples (ties stay together), a sample becomes the tuple of its bin
///   indices, and I = Ĥ(X) + Ĥ(Y) − Ĥ(X, Y) from the counts of distinct tuples. Each plug-in
///   entropy gets the Miller–Madow correction (m − 1)/2N (m occupied cells), an addition to the
///   paper's estimator that removes the plug-in's first-order bias. B defaults to round(√(N/5)).
/// - ``kernel(neighbours:)``: the k-nearest-neighbour estimator of Kraskov, Stögbauer &
///   Grassberger, "Estimating mutual information", Phys. Rev. E 69, 066138 (2004), algorithm 1 —
///   a kernel estimator whose box kernel adapts its width to the local density:
///   I = ψ(k) + ψ(N) − ⟨ψ(n_x + 1) + ψ(n_y + 1)⟩, with εᵢ the max-norm distance from sample i to
///   its k-th neighbour in the joint space and n_x(i), n_y(i) the samples strictly closer than εᵢ
///   in each marginal. Brute force, O(N²(Dx + Dy)).
///
/// For a deterministic layer T = f(X) of distinct inputs, binning gives I(X; T) = Ĥ(T), as in the
/// paper's information plane.
public enum MutualInformationEstimator: Sendable, Equatable, CustomStringConvertible {
    /// Equal-mass bins per dimension (`nil`: round(√(N/5)) bins).
    case binning(bins: Int?)
    /// KSG with k neighbours.
    case kernel(neighbours: Int)

    /// The estimators `binning`, `binning(bins=B)`, `kernel`, `kernel(k=K)` (`ksg` is an alias of `kernel`).
    public init(parsing text: String) throws {
        let spec = try InitiumError.reportingSpecErrors { try SpecSyntax(parsing: text, kind: "estimator") }
        switch spec.name {
        case "binning":
            try InitiumError.reportingSpecErrors { try spec.requireOnly(["bins"], kind: "estimator") }
            let bins = spec.value("bins") == nil ? nil : try InitiumError.reportingSpecErrors { try spec.integer("bins", default: 0, kind: "estimator") }
            if let bins, bins < 2 { throw InitiumError.invalidArgument("estimator \(text): bins must be at least 2") }
            self = .binning(bins: bins)
        case "kernel", "ksg":
            try InitiumError.reportingSpecErrors { try spec.requireOnly(["k"], kind: "estimator") }
            let k = try InitiumError.reportingSpecErrors { try spec.integer("k", default: 3, kind: "estimator") }
            guard k >= 1 else { throw InitiumError.invalidArgument("estimator \(text): k must be at least 1") }
            self = .kernel(neighbours: k)
        default:
            throw InitiumError.invalidArgument("unknown estimator '\(spec.name)'; valid: binning, binning(bins=B), kernel, kernel(k=K)")
        }
    }

    /// The spec as typed back.
    public var description: String {
        switch self {
        case let .binning(bins): bins.map { "binning(bins=\($0))" } ?? "binning"
        case let .kernel(k): k == 3 ? "kernel" : "kernel(k=\(k))"
        }
    }

    /// I(X; Y) in nats between the rows of `x` and `y` ([N, …] each, flattened per row).
    public func estimate(_ x: Tensor, _ y: Tensor) throws -> Double {
        let a = try SampleMatrix(x, name: "x"), b = try SampleMatrix(y, name: "y")
        guard a.count == b.count else {
            throw InitiumError.invalidArgument("mutual information needs paired samples: x has \(a.count) rows, y has \(b.count)")
        }
        return try estimate(a, b)
    }

    func estimate(_ a: SampleMatrix, _ b: SampleMatrix) throws -> Double {
        switch self {
        case let .binning(bins):
            let n = a.count
            let count = bins ?? max(2, Int((Double(n) / 5).squareRoot().rounded()))
            let codesA = a.binCodes(bins: count), codesB = b.binCodes(bins: count)
            let joint = zip(codesA, codesB).map { $0 + $1 }
            return Self.entropy(codesA) + Self.entropy(codesB) - Self.entropy(joint)
        case let .kernel(k):
            guard a.count > k + 1 else {
                throw InitiumError.invalidArgument("the kernel (KSG) estimator with k = \(k) needs more than \(k + 1) samples, got \(a.count)")
            }
            return Self.kraskov(a, b, k: k)
        }
    }

    /// Plug-in entropy in nats of the distinct codes, with the Miller–Madow correction (m − 1)/2N.
    static func entropy(_ codes: [[Int32]]) -> Double {
        var counts: [[Int32]: Int] = [:]
        for c in codes { counts[c, default: 0] += 1 }
        let n = Double(codes.count)
        var h = 0.0
        for c in counts.values.sorted() {
            let p = Double(c) / n
            h -= p * Foundation.log(p)
        }
        return h + Double(counts.count - 1) / (2 * n)
    }

    /// KSG algorithm 1 (max-norm in each marginal, joint distance the larger of the two).
    static func kraskov(_ a: SampleMatrix, _ b: SampleMatrix, k: Int) -> Double {
        let n = a.count
        var terms = [Double](repeating: 0, count: n)
        a.values.withUnsafeBufferPointer { x in
            b.values.withUnsafeBufferPointer { y in
                terms.withUnsafeMutableBufferPointer { out in
                    Parallel.forEachChunk(count: n, minimumPerThread: max(1, (1 << 16) / max(n * (a.dimension + b.dimension), 1))) { chunk in
                        var dx = [Double](repeating: 0, count: n), dy = [Double](repeating: 0, count: n)
                        var nearest = [Double](repeating: .infinity, count: k)
                        for i in chunk {
                            for s in 0..<k { nearest[s] = .infinity }
                            for j in 0..<n where j != i {
                                let u = maximumDistance(x.baseAddress!, i, j, a.dimension)
                                let v = maximumDistance(y.baseAddress!, i, j, b.dimension)
                                dx[j] = u
                                dy[j] = v
                                let joint = max(u, v)
                                if joint < nearest[k - 1] {
                                    var s = k - 1
                                    while s > 0, nearest[s - 1] > joint { nearest[s] = nearest[s - 1]; s -= 1 }
                                    nearest[s] = joint
                                }
                            }
                            let epsilon = nearest[k - 1]
                            var nx = 0, ny = 0
                            for j in 0..<n where j != i {
                                if dx[j] < epsilon { nx += 1 }
                                if dy[j] < epsilon { ny += 1 }
                            }
                            out[i] = digamma(Double(nx + 1)) + digamma(Double(ny + 1))
                        }
                    }
                }
            }
        }
        return digamma(Double(k)) + digamma(Double(n)) - terms.reduce(0, +) / Double(n)
    }

    @inline(__always)
    static func maximumDistance(_ p: UnsafePointer<Double>, _ i: Int, _ j: Int, _ d: Int) -> Double {
        var m = 0.0
        for c in 0..<d { m = max(m, abs(p[i * d + c] - p[j * d + c])) }
        return m
    }

    /// ψ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 12, then the asymptotic series
    /// ln x − 1/2x − 1/12x² + 1/120x⁴ − 1/252x⁶ + 1/240x⁸ (truncation error below 10⁻¹³ there).
    static func digamma(_ value: Double) -> Double {
        var x = value, shift = 0.0
        while x < 12 { shift -= 1 / x; x += 1 }
        let inverse2 = 1 / (x * x)
        return shift + Foundation.log(x) - 0.5 / x
            - inverse2 * (1.0 / 12 - inverse2 * (1.0 / 120 - inverse2 * (1.0 / 252 - inverse2 / 240)))
    }
}

/// Paired samples as a row-major [N, D] matrix in Double.
struct SampleMatrix: Sendable {
    let values: [Double]
    let count: Int
    let dimension: Int

    init(_ t: Tensor, name: String) throws {
        guard t.shape.count >= 1, t.shape[0] >= 2 else {
            throw InitiumError.invalidShape(operation: "mutual information (\(name))", shape: t.shape, reason: "expected at least 2 samples")
        }
        count = t.shape[0]
        dimension = max(1, t.count / count)
        values = t.scalars.map(Double.init)
        guard values.allSatisfy(\.isFinite) else { throw InitiumError.invalidArgument("\(name) has NaN or infinite values") }
    }

    init(values: [Double], count: Int, dimension: Int) {
        self.values = values
        self.count = count
        self.dimension = dimension
    }

    /// Each row's tuple of equal-mass bin indices: per dimension, edges at the empirical quantiles
    /// sorted[⌊N·k/B⌋], k = 1…B−1; a value's bin is the number of edges ≤ it.
    func binCodes(bins: Int) -> [[Int32]] {
        var codes = [[Int32]](repeating: [Int32](repeating: 0, count: dimension), count: count)
        for c in 0..<dimension {
            let column = (0..<count).map { values[$0 * dimension + c] }
            let sorted = column.sorted()
            let edges = (1..<bins).map { sorted[min(count - 1, count * $0 / bins)] }
            for i in 0..<count {
                var lo = 0, hi = edges.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if edges[mid] <= column[i] { lo = mid + 1 } else { hi = mid }
                }
                codes[i][c] = Int32(lo)
            }
        }
        return codes
    }
}
