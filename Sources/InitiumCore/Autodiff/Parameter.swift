/// A trainable tensor: a model's weight or bias, with its accumulated gradient.
///
/// Layers read a parameter through ``tracked`` during a differentiable forward pass, which makes
/// the result's gradient flow back into ``gradient``. A pruning ``mask`` (1 keeps, 0 removes),
/// when set, is honoured by optimizers: masked entries stay exactly zero and get no update.
public final class Parameter: @unchecked Sendable {
    /// The current value.
    public var value: Tensor
    /// The gradient accumulated by backward passes since the last ``zeroGradient()``.
    public var gradient: Tensor?
    /// Whether optimizers update this parameter and backward passes compute its gradient.
    public var isTrainable: Bool
    /// An optional binary mask of the value's shape; masked-out entries are kept at zero.
    public var mask: Tensor?

    /// A parameter holding `value`.
    public init(_ value: Tensor, isTrainable: Bool = true) {
        self.value = value.detached()
        self.isTrainable = isTrainable
    }

    /// The value as a tensor whose gradient flows into this parameter (a leaf of the graph), or
    /// the plain value if the parameter is frozen.
    public var tracked: Tensor {
        guard isTrainable else { return value }
        var t = value
        t.node = GradNode(leaf: self)
        return t
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }

    /// Forgets the accumulated gradient.
    public func zeroGradient() { gradient = nil }

    /// Adds a gradient contribution (called by backward passes).
    func accumulateGradient(_ contribution: Tensor) {
        if gradient == nil {
            gradient = contribution.detached()
        } else {
            gradient!.addInPlace(contribution)
        }
    }

    /// Sets masked-out entries of the value to exactly zero (no effect without a mask).
    public func applyMask() {
        guard let mask else { return }
        value.multiplyInPlace(mask)
    }
}
