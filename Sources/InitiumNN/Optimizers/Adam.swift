import Foundation
import InitiumCore

/// Adam (Kingma & Ba, ICLR 2015) and, with `decoupledWeightDecay`, AdamW (Loshchilov & Hutter,
/// ICLR 2019): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², w ← w − η·m̂/(√v̂ + ε) with bias-corrected
/// m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Adam adds λw to g; AdamW instead multiplies w by (1 − ηλ).
/// Per parameter, λ is 0 where ``ParameterGroups`` say it is not decayed and η is multiplied by
/// its learning-rate multiplier (decoupled decay included, as PyTorch's per-group `lr`).
public final class Adam: Optimizer {
    public var learningRate: Float
    /// β₁.
    public let beta1: Float
    /// β₂.
    public let beta2: Float
    /// ε.
    public let epsilon: Float
    /// Weight decay λ.
    public let weightDecay: Float
    /// Whether weight decay is decoupled (AdamW).
    public let decoupledWeightDecay: Bool
    /// Which parameters are decayed and their learning-rate multipliers.
    public let groups: ParameterGroups
    /// The global gradient norm each step clips to, if any.
    public let clipNorm: Float?
    private var moments: [ObjectIdentifier: (first: Tensor, second: Tensor, step: Int)] = [:]

    /// An optimizer with the given hyper-parameters (PyTorch's defaults).
    public init(
        learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
        weightDecay: Float = 0, decoupledWeightDecay: Bool = false, groups: ParameterGroups = ParameterGroups(),
        clipNorm: Float? = nil
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupledWeightDecay
        self.groups = groups
        self.clipNorm = clipNorm
    }

    public func step(_ parameters: [Parameter]) throws {
        if let clipNorm { GradientClipping.clip(parameters, maxNorm: clipNorm) }
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for parameter in parameters where parameter.isTrainable && parameter.gradient != nil {
            let settings = groups[parameter]
            let lr = learningRate * settings.learningRateMultiplier
            let wd = settings.decays ? weightDecay : 0
            let id = ObjectIdentifier(parameter)
            var state = moments.removeValue(forKey: id)
                ?? (Tensor(shape: parameter.shape, repeating: 0), Tensor(shape: parameter.shape, repeating: 0), 0)
            state.step += 1
            let correction1 = 1 - Foundation.pow(b1, Float(state.step))
            let correction2 = 1 - Foundation.pow(b2, Float(state.step))
            let stepSize = lr / correction1
            let decay: Float = decoupledWeightDecay ? 1 - lr * wd : 1
            let l2: Float = decoupledWeightDecay ? 0 : wd
            state.first.withUnsafeMutableBufferPointer { m in
                state.second.withUnsafeMutableBufferPointer { v in
                    parameter.update { w, g, mask, n in
                        let (m, v) = (m.baseAddress!, v.baseAddress!)
                        let inverseCorrection2 = 1 / correction2
                        for i in 0..<n {
                            let grad = (g[i] + l2 * w[i]) * (mask?[i] ?? 1)
                            m[i] = b1 * m[i] + (1 - b1) * grad
                            v[i] = b2 * v[i] + (1 - b2) * grad * grad
                            let denominator = (v[i] * inverseCorrection2).squareRoot() + eps
                            w[i] = w[i] * decay - stepSize * m[i] / denominator
                        }
                    }
                }
            }
            moments[id] = state
        }
    }
}
