import InitiumCore

/// The input stage of a graph network with an encoder: a learned projection of the node
/// features, h = φ(x·Wᵀ + b) with `lin: Linear(features, width)`, optionally completed with
/// random node features (Abboud, Ceylan, Grohe & Lukasiewicz, "The Surprising Power of Graph
/// Neural Networks with Random Node Initialization", IJCAI 2021, partial RNI):
/// h = [φ(x·Wᵀ + b)[:, 0..<width − r], R], R `[nodes, r]` i.i.d. N(0, 1) or U(−1, 1),
/// r = ⌊p·width⌋, the random columns last as in the paper's code.
///
/// R is drawn on every forward pass (training and evaluation) from the context's
/// ``ForwardContext/nextKey()``: nothing is cached per graph, and the same context key gives the
/// same draw. The parameter shapes do not depend on r (the rni recipe switches the random
/// columns on in a model already built): under RNI the last r output rows of `lin` are not
/// used and get no gradient.
public final class NodeEncoder: Module {
    /// The projection `[width, features]`.
    public let lin: Linear
    /// φ.
    public let activation: Activation
    /// The random node features, or `nil` (off).
    public var randomFeatures: RandomNodeFeatures?
    /// `lin`.
    public let children: [(name: String, module: any Module)]

    /// An encoder `features → width` built in `scope`.
    public init(_ features: Int, width: Int, activation: Activation, scope: Scope) throws {
        var list = ChildList(scope)
        lin = try list.add("lin") { Linear(features, width, scope: $0) }
        lin.roles = [.input]
        children = list.entries
        self.activation = activation
    }

    /// The output width.
    public var width: Int { lin.outFeatures }

    /// Computes more than its child (φ and the random columns): reported after it.
    public var kind: LayerKind { .block }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let projected = try activation.apply(try forward(child: lin, input, context: context))
        guard let randomFeatures else { return projected }
        let r = randomFeatures.columns(width: width)
        guard r > 0 else { return projected }
        let random = try Tensor.random([input.shape[0], r], randomFeatures.distribution.sampling, key: context.nextKey())
        guard r < width else { return random }
        return try Tensor.concatenate([projected.slice(axis: 1, 0..<(width - r)), random], axis: 1)
    }
}

/// Random node features (RNI): the fraction p of an encoder's width that is random and the
/// distribution of the random columns (the paper's `-randomRatio` and `-probDist n|u`).
public struct RandomNodeFeatures: Sendable, Hashable {
    /// The distribution of the random columns.
    public enum Distribution: String, Sendable, Hashable, CaseIterable {
        /// N(0, 1), the paper's default.
        case normal
        /// U(−1, 1).
        case uniform

        /// The sampling distribution.
        var sampling: InitiumCore.Distribution {
            switch self {
            case .normal: return .normal(mean: 0, std: 1)
            case .uniform: return .uniform(low: -1, high: 1)
            }
        }
    }

    /// p in [0, 1].
    public let fraction: Double
    /// The distribution.
    public let distribution: Distribution

    /// Random features; throws unless 0 ≤ p ≤ 1.
    public init(fraction: Double, distribution: Distribution = .normal) throws {
        guard fraction >= 0, fraction <= 1, fraction.isFinite else {
            throw InitiumError.invalidArgument("rni `fraction` must be in [0, 1], got \(fraction)")
        }
        self.fraction = fraction
        self.distribution = distribution
    }

    /// r = ⌊p·width⌋ random columns.
    public func columns(width: Int) -> Int { Int((fraction * Double(width)).rounded(.down)) }
}
