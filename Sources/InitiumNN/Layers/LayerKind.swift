/// What a module does to its input, declared once by each module type (``Module/kind``), so that
/// the shared child-forward path, the probes and the pruning scores handle a new layer from its
/// declaration instead of testing concrete types.
///
/// Unlike ``LayerRole`` (the part a layer plays in one model: classifier, residual branch…), the
/// kind belongs to the layer type: every ``Linear`` is `.weighted`, every ``MaxPool2d`` is
/// `.pooling(.max)`.
public enum LayerKind: Sendable, Hashable {
    /// How a pooling layer reduces its window.
    public enum Pooling: Sendable, Hashable {
        /// The maximum: each output is one of its inputs (a selection).
        case max
        /// The mean.
        case average
    }

    /// An affine map of the layer's weight (Linear, Conv2d).
    case weighted
    /// An activation φ applied elementwise (or maxout over channel groups).
    case activation(Activation)
    /// A normalization (batch, group, layer norm).
    case normalization
    /// Pooling over spatial windows.
    case pooling(Pooling)
    /// Attention probabilities: a softmax over keys, each query's row summing to 1
    /// (``AttentionProbabilities``), reported so probes can read attention entropy.
    case attentionProbabilities
    /// A stochastic regularizer (dropout): the identity at inference.
    case dropout
    /// Moves values without changing them (flatten): its output is not reported, so observers see
    /// the values once, from the layer that computed them.
    case reshape
    /// A composite that computes more than its children (a residual block adding its shortcut and
    /// applying φ, a stem applying φ): its output is reported after its children's.
    case block
    /// A composite whose output is its last child's (``Sequential``, a model): not reported.
    case container

    /// Whether the shared child-forward path reports this module's output to the context's
    /// observer and interceptor (``ForwardContext/observer``).
    public var reportsOutput: Bool {
        switch self {
        case .reshape, .container: return false
        default: return true
        }
    }

    /// The activation, for `.activation` modules.
    public var activation: Activation? {
        if case let .activation(activation) = self { return activation }
        return nil
    }
}
