import Foundation
import InitiumCore

/// Gradient clipping by global norm, as `torch.nn.utils.clip_grad_norm_` (Pascanu, Mikolov &
/// Bengio, "On the difficulty of training recurrent neural networks", ICML 2013): with
/// ‖g‖₂ the norm of all gradients together, every gradient is scaled by
/// min(1, C / (‖g‖₂ + 10⁻⁶)) — PyTorch's `clip_coef = max_norm / (total_norm + 1e-6)`, clamped at 1.
///
/// The norm is accumulated in Double, one parameter after another in the order given, so it is
/// the same for any thread count. Masked entries (pruned weights, whose gradient optimizers treat
/// as zero) do not count.
public enum GradientClipping {
    /// Scales the gradients of the trainable `parameters` so their global norm is at most
    /// `maxNorm`; returns the norm before clipping.
    @discardableResult
    public static func clip(_ parameters: [Parameter], maxNorm: Float) -> Double {
        let clipped = parameters.filter { $0.isTrainable && $0.gradient != nil }
        var sum = 0.0
        for parameter in clipped {
            let mask = parameter.mask
            parameter.gradient!.withUnsafeBufferPointer { g in
                if let mask {
                    mask.withUnsafeBufferPointer { m in
                        for i in g.indices where m[i] != 0 { sum += Double(g[i]) * Double(g[i]) }
                    }
                } else {
                    for value in g { sum += Double(value) * Double(value) }
                }
            }
        }
        let norm = sum.squareRoot()
        let coefficient = Float(Double(maxNorm) / (norm + 1e-6))
        guard coefficient < 1 else { return norm }
        for parameter in clipped {
            parameter.gradient!.withUnsafeMutableBufferPointer { g in
                for i in g.indices { g[i] *= coefficient }
            }
        }
        return norm
    }
}
