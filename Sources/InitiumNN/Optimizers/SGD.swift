import InitiumCore

/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, with
/// PyTorch's update rule: g ← ∇ + λw; b ← μb + g (b = g on the first step);
/// step = g + μb (Nesterov) or b; w ← w − η·step.
/// (Sutskever et al., "On the importance of initialization and momentum in deep learning", ICML 2013.)
/// Per parameter, λ is 0 where ``ParameterGroups`` say it is not decayed and η is multiplied by
/// its learning-rate multiplier.
public final class SGD: Optimizer {
    public var learningRate: Float
    /// Momentum μ.
    public let momentum: Float
    /// Whether to use Nesterov's variant.
    public let nesterov: Bool
    /// Weight decay λ.
    public let weightDecay: Float
    /// Which parameters are decayed and their learning-rate multipliers.
    public let groups: ParameterGroups
    /// The global gradient norm each step clips to, if any.
    public let clipNorm: Float?
    private var buffers: [ObjectIdentifier: Tensor] = [:]

    /// An optimizer with the given hyper-parameters.
    public init(
        learningRate: Float, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0,
        groups: ParameterGroups = ParameterGroups(), clipNorm: Float? = nil
    ) {
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        self.groups = groups
        self.clipNorm = clipNorm
    }

    public func step(_ parameters: [Parameter]) throws {
        if let clipNorm { GradientClipping.clip(parameters, maxNorm: clipNorm) }
        let mu = momentum
        // step = c·g + d·b: Nesterov uses g + μb, plain momentum b (branch-free inner loop).
        let (c, d): (Float, Float) = nesterov ? (1, mu) : (0, 1)
        for parameter in parameters where parameter.isTrainable && parameter.gradient != nil {
            let settings = groups[parameter]
            let lr = learningRate * settings.learningRateMultiplier
            let wd = settings.decays ? weightDecay : 0
            if mu == 0 {
                parameter.update { w, g, mask, n in
                    if let mask {
                        for i in 0..<n { w[i] -= lr * (g[i] + wd * w[i]) * mask[i] }
                    } else {
                        for i in 0..<n { w[i] -= lr * (g[i] + wd * w[i]) }
                    }
                }
                continue
            }
            // A zero buffer makes the first step b = g, PyTorch's initialization of the buffer.
            let id = ObjectIdentifier(parameter)
            var buffer = buffers.removeValue(forKey: id) ?? Tensor(shape: parameter.shape, repeating: 0)
            buffer.withUnsafeMutableBufferPointer { bufferPointer in
                let b = bufferPointer.baseAddress!
                parameter.update { w, g, mask, n in
                    if let mask {
                        for i in 0..<n {
                            let grad = (g[i] + wd * w[i]) * mask[i]
                            let v = mu * b[i] + grad
                            b[i] = v
                            w[i] -= lr * (c * grad + d * v)
                        }
                    } else {
                        for i in 0..<n {
                            let grad = g[i] + wd * w[i]
                            let v = mu * b[i] + grad
                            b[i] = v
                            w[i] -= lr * (c * grad + d * v)
                        }
                    }
                }
            }
            buffers[id] = buffer
        }
    }
}
