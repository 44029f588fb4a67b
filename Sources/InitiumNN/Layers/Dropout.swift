import InitiumCore

/// Inverted dropout, PyTorch's `nn.Dropout`: in training, each element is zeroed with probability
/// p and the survivors are scaled by 1/(1 − p), so the expected output equals the input; at
/// inference the layer is the identity. Srivastava et al., "Dropout: A Simple Way to Prevent
/// Neural Networks from Overfitting", JMLR 2014.
///
/// The mask is drawn from the context's ``ForwardContext/nextKey()`` (Bernoulli(1 − p) through
/// ``Tensor/random(_:_:key:)``), so a training step is reproducible from its key.
public final class Dropout: Module {
    /// The probability of zeroing an element.
    public let probability: Float

    /// A dropout layer; throws unless 0 ≤ p < 1.
    public init(probability: Float) throws {
        guard probability >= 0, probability < 1 else {
            throw InitiumError.invalidArgument("dropout probability must be in [0, 1), got \(probability)")
        }
        self.probability = probability
    }

    /// A stochastic regularizer.
    public var kind: LayerKind { .dropout }

    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        guard context.isTraining, probability > 0 else { return input }
        var mask = try Tensor.random(input.shape, .bernoulli(probability: 1 - probability), key: context.nextKey())
        mask.scaleInPlace(by: 1 / (1 - probability))
        return try input * mask
    }
}
