import InitiumCore

/// The contextual stochastic block model (Deshpande, Montanari, Mossel & Sen, "Contextual
/// Stochastic Block Models", NeurIPS 2018): a graph and node features that both carry the classes.
///
/// Nodes i < n get class i mod C (balanced). Each unordered pair {i, j} is an edge independently
/// with probability p_in = (d + (C−1)λ√d)/n when i and j share a class and p_out = (d − λ√d)/n
/// otherwise, so the mean degree is d and, for C = 2, λ is the paper's graph signal
/// (p_in = (d + λ√d)/n, p_out = (d − λ√d)/n). Features: b_i = √(μ/n)·m_{c(i)} + z_i/√p with
/// z_i ~ N(0, I_p) and class directions m_c ~ N(0, I_p); for C = 2, m_1 = −m_0 = u, the paper's
/// b_i = √(μ/n)·v_i·u + z_i/√p. With γ = n/p, the paper's threshold for beating chance is
/// λ² + μ²/γ > 1. Split: ``NodeClassification/semiSupervisedSplit(perClass:validation:test:key:)``
/// with 20 labelled nodes per class, then validation and test of n/5 and the rest (at most 1,000).
public enum ContextualSBM {
    /// The model's parameters.
    public struct Parameters: Sendable, Equatable {
        /// Nodes, classes, feature dimension p.
        public var n: Int, classes: Int, features: Int
        /// Feature signal μ, graph signal λ, mean degree d.
        public var mu: Double, lambda: Double, degree: Double
    }

    /// Draws the graph, features and labels from `key`.
    public static func sample(_ p: Parameters, key: RandomKey) throws -> NodeClassification {
        let (n, c) = (p.n, p.classes)
        let labels = (0..<n).map { Int32($0 % c) }
        let root = p.degree.squareRoot()
        let within = (p.degree + Double(c - 1) * p.lambda * root) / Double(n)
        let across = (p.degree - p.lambda * root) / Double(n)
        var edges: [(u: Int, v: Int, weight: Float)] = []
        for i in 0..<n where i + 1 < n {
            let draws = try Tensor.uniform([n - i - 1], key: key.fold("edges").fold(i))
            draws.withUnsafeBufferPointer { u in
                for j in (i + 1)..<n {
                    let probability = labels[i] == labels[j] ? within : across
                    if Double(u[j - i - 1]) < probability { edges.append((i, j, 1)) }
                }
            }
        }
        let graph = try Graph(nodeCount: n, edges: edges)
        var directions = try Tensor.normal([c, p.features], key: key.fold("directions"))
        if c == 2 {
            directions.withUnsafeMutableBufferPointer { m in
                for k in 0..<p.features { m[k] = -m[p.features + k] }
            }
        }
        let noise = try Tensor.normal([n, p.features], std: Float(1 / Double(p.features).squareRoot()), key: key.fold("noise"))
        let means = try directions.indexSelect(axis: 0, labels.map(Int.init)) * Float((p.mu / Double(n)).squareRoot())
        let features = try (means + noise).detached()
        return try NodeClassification(graph: graph, features: features, labels: labels, classCount: c)
    }

    /// A spec's parameters with their defaults, validated.
    static func parameters(_ spec: DatasetParameters) throws -> Parameters {
        let p = Parameters(
            n: try spec.integer("n", default: 1000), classes: try spec.integer("classes", default: 2),
            features: try spec.integer("features", default: 200), mu: try spec.number("mu", default: 2),
            lambda: try spec.number("lambda", default: 1.5), degree: try spec.number("degree", default: 5))
        guard p.n >= 2 * p.classes, p.classes >= 2, p.features >= 1, p.mu >= 0, p.degree > 0 else {
            throw spec.invalid("needs classes ≥ 2, n ≥ 2·classes, features ≥ 1, mu ≥ 0, degree > 0")
        }
        let root = p.degree.squareRoot()
        guard p.degree - p.lambda * root >= 0, p.degree + Double(p.classes - 1) * p.lambda * root <= Double(p.n),
            p.n <= 100_000
        else {
            throw spec.invalid("edge probabilities must lie in [0, 1]: needs λ√d ≤ d and d + (classes−1)λ√d ≤ n (and n ≤ 100000)")
        }
        return p
    }
}

extension DatasetFamily {
    /// `csbm(n=1000,classes=2,features=200,mu=2,lambda=1.5,degree=5)` (``ContextualSBM``).
    public static let csbm = DatasetFamily(
        name: "csbm", keys: ["n", "classes", "features", "mu", "lambda", "degree"],
        syntax: "csbm(n=1000,classes=2,features=200,mu=2,lambda=1.5,degree=5)",
        summary: "contextual stochastic block model (Deshpande et al. 2018), node classification; learnable when "
            + "λ² + μ²·features/n > 1; 20 labelled nodes per class",
        signature: { spec in
            let p = try ContextualSBM.parameters(spec)
            return DataSignature(exampleShape: [p.features], classCount: p.classes, graphTask: .nodes)
        }
    ) { spec, source in
        let p = try ContextualSBM.parameters(spec)
        let data = try ContextualSBM.sample(p, key: source.key)
        let unlabelled = p.n - 20 * p.classes
        let split = try data.semiSupervisedSplit(
            perClass: 20, validation: p.n / 5, test: min(1000, max(unlabelled - p.n / 5, 0)), key: source.key.fold("split"))
        return try data.datasets(split, name: spec.description)
    }
}
