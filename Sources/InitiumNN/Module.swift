import InitiumCore

/// A layer or a model: something with parameters, sub-modules and a forward pass.
///
/// Parameters are addressed by path, built from child names (`layers.3.weight`), in the style of
/// MLX's `Module` and Flax: model-level recipes (Fixup, LSUV, pruning masks, reports) walk
/// ``namedParameters`` and ``namedModules`` and read each layer's ``roles``, never counting
/// positions. A layer is built in a ``Scope`` (its key and path) and its parent records it in a
/// ``ChildList`` under the name given once; it declares its ``kind`` and never reports its own
/// output (``Module/forward(child:_:context:)`` does). Weight layouts follow PyTorch (Linear `[out, in]`, Conv2d `[out, in/groups, kh, kw]`)
/// so tensors move between Initium and PyTorch unchanged.
public protocol Module: AnyObject {
    /// Direct sub-modules, in a stable order, with the names used in paths.
    var children: [(name: String, module: any Module)] { get }
    /// Parameters held directly by this module, with their names (`weight`, `bias`).
    var localParameters: [(name: String, parameter: Parameter)] { get }
    /// What this layer is in its model (e.g. the classifier, a residual branch's last layer).
    var roles: Set<LayerRole> { get }
    /// What this module does to its input (weighted, activation, pooling, container…); decides
    /// whether its output is reported to observers (``LayerKind/reportsOutput``) and tells probes
    /// and pruning scores how to treat it.
    var kind: LayerKind { get }
    /// Computes the output for `input`. `context` says whether this is training (dropout,
    /// batch statistics) and whether gradients are recorded.
    func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor
}

extension Module {
    public var children: [(name: String, module: any Module)] { [] }
    public var localParameters: [(name: String, parameter: Parameter)] { [] }
    public var roles: Set<LayerRole> { [] }

    /// The output for `input` in inference mode, without recording gradients.
    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        try forward(input, context: ForwardContext(mode: .inference))
    }

    /// The output for `input` in the given context.
    public func callAsFunction(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try forward(input, context: context)
    }

    /// Every module in the tree (this one first, path `""`), depth first, with its path.
    public var namedModules: [(path: String, module: any Module)] {
        var result: [(path: String, module: any Module)] = [("", self)]
        for (name, child) in children {
            for (path, module) in child.namedModules {
                result.append((path.isEmpty ? name : name + "." + path, module))
            }
        }
        return result
    }

    /// Every parameter in the tree with its path, e.g. `("layers.0.weight", p)`.
    public var namedParameters: [(path: String, parameter: Parameter)] {
        namedModules.flatMap { path, module in
            module.localParameters.map { (path.isEmpty ? $0.name : path + "." + $0.name, $0.parameter) }
        }
    }

    /// Every parameter in the tree, in path order.
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }

    /// The parameter at `path`, if any.
    public func parameter(at path: String) -> Parameter? {
        namedParameters.first { $0.path == path }?.parameter
    }

    /// The total number of scalar parameters.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.value.count } }

    /// Clears the gradients of every parameter.
    public func zeroGradients() {
        for p in parameters { p.zeroGradient() }
    }
}

/// The part a layer plays in its model, for model-level recipes such as Fixup and ZerO.
public enum LayerRole: String, Sendable, Hashable, Codable {
    /// The final layer producing logits.
    case classifier
    /// The first layer reading the input.
    case input
    /// The last layer of a residual branch (the one Fixup and ZerO zero out).
    case residualBranchOutput
    /// A layer inside a residual branch.
    case residualBranch
    /// The projection on a residual shortcut.
    case shortcut
    /// A hidden layer of a plain feed-forward stack.
    case hidden
    /// A token embedding table `[vocabulary, width]` (also read by a tied output head).
    case embedding
    /// A learned positional embedding table `[positions, width]`.
    case positionEmbedding
    /// An attention layer's query projection.
    case attentionQuery
    /// An attention layer's key projection.
    case attentionKey
    /// An attention layer's value projection.
    case attentionValue
    /// A fused query–key–value projection `[3·width, width]` (rows: queries, keys, values).
    case attentionQueryKeyValue
    /// An attention layer's output projection (also a ``residualBranchOutput``).
    case attentionOutput
    /// A transformer feed-forward block's first (expanding) projection.
    case feedForwardInput
    /// A transformer feed-forward block's last (contracting) projection (also a ``residualBranchOutput``).
    case feedForwardOutput
}

/// How a forward pass runs: training or inference, whether gradients are recorded, the random key
/// for stochastic layers, and an optional observer that sees each layer's output (for probes).
///
/// Outputs are reported by the one shared child-forward path (``Module/forward(child:_:context:)``):
/// every module run as a child whose ``LayerKind/reportsOutput`` is true is reported once, after
/// its own children, in forward order. Layers never report themselves, and the root (the model
/// whose `forward` is called) is not reported: its output is the forward pass's result.
public final class ForwardContext {
    /// Training or inference.
    public enum Mode: Sendable {
        /// Dropout active, batch statistics used and updated, gradients recorded.
        case training
        /// Deterministic; running statistics used; gradients not recorded.
        case inference
    }

    /// The mode of this pass.
    public let mode: Mode
    /// Whether parameters are read through ``Parameter/tracked``.
    public let recordsGradients: Bool
    /// The key for stochastic layers (dropout). Each use folds in a counter so draws differ.
    public let key: RandomKey
    /// Called after each reported layer with the layer and its output, when set.
    public var observer: ((any Module, Tensor) -> Void)?
    /// Called after each layer that reports its output; its result replaces the output. Probes use
    /// it to make a layer's output a leaf of the graph (e.g. `y + 0` with a tracked zero
    /// parameter, whose gradient is then ∂L/∂y).
    public var interceptor: ((any Module, Tensor) throws -> Tensor)?
    /// The padding flags (`batch · keys`, true: padding) of the token batch being processed, set
    /// by a model that reads padded sequences for the duration of its forward pass and read by
    /// its attention layers, which hide padded keys (``AttentionMask``).
    public var keyPadding: [Bool]?
    /// The graph structure of the batch being processed (``GraphBatch``: the whole graph for node
    /// tasks, the union of the batch's graphs for graph tasks), set by whoever runs a graph model
    /// (the Trainer, evaluation, inspection, probes); graph layers read it and throw when it is `nil`.
    public var graph: GraphBatch?
    private var draws = 0

    /// A context; gradients are recorded in training mode unless `recordsGradients` says otherwise.
    public init(mode: Mode, recordsGradients: Bool? = nil, key: RandomKey = RandomKey(seed: 0)) {
        self.mode = mode
        self.recordsGradients = recordsGradients ?? (mode == .training)
        self.key = key
    }

    /// Whether this is a training pass.
    public var isTraining: Bool { mode == .training }

    /// A parameter's value as the forward pass should see it (tracked when recording gradients).
    public func read(_ parameter: Parameter) -> Tensor {
        recordsGradients ? parameter.tracked : parameter.value
    }

    /// A fresh key for one stochastic draw.
    public func nextKey() -> RandomKey {
        draws += 1
        return key.fold(draws)
    }

    /// Reports a layer's output to the observer and the interceptor and returns the result; called
    /// only by ``Module/forward(child:_:context:)``.
    func observe(_ module: any Module, _ output: Tensor) throws -> Tensor {
        observer?(module, output)
        guard let interceptor else { return output }
        return try interceptor(module, output)
    }
}
