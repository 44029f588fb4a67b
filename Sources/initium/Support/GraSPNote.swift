import InitiumNN
import InitiumPrune

/// Warns on stderr when GraSP's Hessian-vector product cannot be exact for `model`
/// (residual blocks hide their activations' kinks from the engine; see ``GraSPScore``).
func noteInexactGraSP(for model: any Module, named name: ModelSpec) {
    guard !GraSPScore.hasExactHessianProduct(for: model) else { return }
    note("""
        note: GraSP on \(name): its blocks apply activations the engine cannot freeze, so Hg is a plain \
        central difference of gradients, inexact where it crosses ReLU kinks (scores are approximate)
        """)
}
