import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import InitiumPlot
import InitiumTheory

/// Whether pseudo-IID weight families reach the NNGP of IID weights (Nait Saada, Naderi & Tanner,
/// ICLR 2024): random fully connected networks h¹ = W¹x, h^{l+1} = W^{l+1} φ(hˡ) of width n (inputs
/// of dimension n, no biases, every matrix n × n with Var(W_ij) = σ_w²/n) are run on P inputs, and
/// the empirical kernel of the last layer, K̂_ab = (1/n) Σᵢ hᵢᴸ(x_a) hᵢᴸ(x_b), is compared with the
/// NNGP kernel of InitiumTheory, K¹ = σ_w²·x_a·x_b/n, K^{l+1}_ab = σ_w² E[φ(u_a)φ(u_b)] with
/// (u_a, u_b) ~ N(0, Kˡ) (``MeanFieldActivation/crossExpectation(derivative:variances:_:correlation:integrator:)``),
/// computed from the inputs actually drawn. The error ‖K̂ − K‖_F / ‖K‖_F is averaged over
/// `networks` draws at each width; a family with the IID limit has error ∝ n^{−1/2} (the kernel
/// is an average of n weakly dependent terms), so the fitted log-log slope should be ≈ −1/2.
public struct PseudoIIDCheck: Sendable {
    /// A weight family: a name and its scheme (with the gain that gives Var(W_ij) = σ_w²/n).
    public struct Family: Sendable {
        /// The name in reports (`iid`, `orthogonal`, `low-rank`, `sparse`).
        public var name: String
        /// The scheme drawing each matrix.
        public var scheme: Scheme
        /// A family.
        public init(name: String, scheme: Scheme) {
            self.name = name
            self.scheme = scheme
        }
    }

    /// The families compared.
    public var families: [Family]
    /// The activation φ.
    public var activation: InitiumNN.Activation
    /// σ_w².
    public var weightVariance: Double
    /// The widths n.
    public var widths: [Int]
    /// Layers L.
    public var depth: Int
    /// Inputs P.
    public var inputs: Int
    /// Independent networks per width and family.
    public var networks: Int

    /// The families of the paper at σ_w²: IID Gaussian (`he-normal`), scaled Haar-orthogonal,
    /// low-rank (rank n/2) and structured sparse (10% of each row), each with Var(W_ij) = σ_w²/n.
    public static func standardFamilies(weightVariance: Double, rank: Double = 0.5, density: Double = 0.1) throws -> [Family] {
        let g = SVGPlot.number(weightVariance.squareRoot())
        return [
            Family(name: "iid", scheme: try Scheme("he-normal(gain=\(g))")),
            Family(name: "orthogonal", scheme: try Scheme("orthogonal(gain=\(g))")),
            Family(name: "low-rank", scheme: try Scheme("pseudo-iid-low-rank(rank=\(SVGPlot.number(rank)),gain=\(g))")),
            Family(name: "sparse", scheme: try Scheme("pseudo-iid-sparse(density=\(SVGPlot.number(density)),gain=\(g))")),
        ]
    }

    /// A check.
    public init(
        families: [Family], activation: InitiumNN.Activation, weightVariance: Double, widths: [Int] = [64, 128, 256, 512, 1024],
        depth: Int = 3, inputs: Int = 4, networks: Int = 8
    ) {
        self.families = families
        self.activation = activation
        self.weightVariance = weightVariance
        self.widths = widths
        self.depth = depth
        self.inputs = inputs
        self.networks = networks
    }

    /// One family's errors against width and the fitted slope.
    public struct Row: Sendable, Codable {
        /// The family and its scheme.
        public var family: String, scheme: String
        /// The widths and the mean relative kernel error at each.
        public var widths: [Int], errors: [Double]
        /// The least-squares slope of log(error) against log(width).
        public var slope: Double
    }

    /// Runs every family at every width (`progress(done, total)` after each width).
    public func run(key: RandomKey, progress: ((Int, Int) -> Void)? = nil) throws -> [Row] {
        guard !families.isEmpty, widths.count >= 2, Set(widths).count == widths.count, widths.allSatisfy({ $0 >= 2 && $0 <= 8192 }) else {
            throw InitiumError.invalidArgument("the pseudo-IID check needs at least two distinct widths in 2…8192 and one family")
        }
        guard depth >= 1, inputs >= 2, networks >= 1 else {
            throw InitiumError.invalidArgument("`depth`, `networks` must be at least 1 and `inputs` at least 2")
        }
        guard weightVariance.isFinite, weightVariance > 0 else { throw InitiumError.invalidArgument("`weightVariance` must be positive") }
        let theory = MeanFieldActivation(activation.spec)
        let integrator = GaussianIntegrator()
        var done = 0
        return try families.enumerated().map { f, family in
            let errors = try widths.map { n -> Double in
                var total = 0.0
                for s in 0..<networks {
                    let k = key.fold(family.name).fold(n).fold(s)
                    var x = try Tensor.normal([inputs, n], key: k.fold("inputs"))
                    let gram = try Self.gram(x)
                    var predicted = gram.map { $0 * weightVariance }
                    for l in 1...depth {
                        let w = try family.scheme.sample(try WeightLayout([n, n]), key: k.fold(l))
                        x = try (l == 1 ? x : try activation.apply(x)).matmul(w, transposeOther: true)
                        if l > 1 { predicted = try Self.next(predicted, inputs, theory, weightVariance, integrator) }
                    }
                    let measured = try Self.gram(x)
                    let difference = zip(measured, predicted).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
                    total += (difference / predicted.map { $0 * $0 }.reduce(0, +)).squareRoot()
                }
                done += 1
                progress?(done, families.count * widths.count)
                return total / Double(networks)
            }
            return Row(family: family.name, scheme: family.scheme.description, widths: widths, errors: errors,
                       slope: Self.slope(widths.map { Foundation.log(Double($0)) }, errors.map { Foundation.log($0) }))
        }
    }

    /// (1/n)·X Xᵀ of the P × n rows, in Double.
    static func gram(_ x: Tensor) throws -> [Double] {
        let n = x.shape[1]
        return try x.matmul(x, transposeOther: true).scalars.map { Double($0) / Double(n) }
    }

    /// K^{l+1}_ab = σ_w² E[φ(u_a)φ(u_b)], (u_a, u_b) ~ N(0, Kˡ).
    static func next(
        _ k: [Double], _ p: Int, _ phi: MeanFieldActivation, _ sigma2: Double, _ integrator: GaussianIntegrator
    ) throws -> [Double] {
        var out = [Double](repeating: 0, count: p * p)
        for a in 0..<p {
            for b in a..<p {
                let (qa, qb) = (k[a * p + a], k[b * p + b])
                let c = a == b ? 1 : max(-1, min(1, k[a * p + b] / (qa * qb).squareRoot()))
                let value = sigma2 * (try phi.crossExpectation(variances: qa, qb, correlation: c, integrator: integrator))
                out[a * p + b] = value
                out[b * p + a] = value
            }
        }
        return out
    }

    /// The least-squares slope of y against x.
    static func slope(_ x: [Double], _ y: [Double]) -> Double {
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        let sxy = zip(x, y).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let sxx = x.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
        return sxy / sxx
    }

    /// The log-log figure of error against width, one line per family, with an n^{−1/2} guide.
    public static func figure(_ rows: [Row]) throws -> String {
        let xs = rows.flatMap(\.widths).map { log10(Double($0)) }
        let ys = rows.flatMap(\.errors).filter { $0 > 0 }.map(log10)
        guard let xl = xs.min(), let xh = xs.max(), let yl = ys.min(), let yh = ys.max() else { return "" }
        var plot = try SVGPlot(title: "Output kernel vs NNGP: relative error against width", xLabel: "log10 width",
                               yLabel: "log10 ‖K̂ − K‖/‖K‖", xRange: (xl - 0.1)...(xh + 0.1), yRange: (yl - 0.2)...(yh + 0.2))
        for (i, r) in rows.enumerated() {
            let points = zip(r.widths, r.errors).map { (x: log10(Double($0)), y: log10($1)) }
            let color = SVGPlot.Color.series[i % SVGPlot.Color.series.count]
            plot.addLine(points, label: "\(r.family) (slope \(String(format: "%.2f", r.slope)))", color: color)
            plot.addMarkers(points, label: nil, color: color, radius: 3)
        }
        if let first = rows.first, let e = first.errors.first, let w = first.widths.first {
            plot.addLine(first.widths.map { (x: log10(Double($0)), y: log10(e * (Double(w) / Double($0)).squareRoot())) },
                         label: "∝ width^(−1/2)", color: .black, width: 1, dashed: true)
        }
        return plot.render()
    }
}
