import Foundation
import InitiumCore
import InitiumNN

/// jacob_cov: how differently the network's input Jacobians vary across examples.
///
/// Mellor, Turner, Storkey & Crowley, "Neural Architecture Search without Training", ICML 2021
/// (first version), as implemented by zero-cost-nas (`foresight/pruners/measures/jacob_cov.py`):
/// J is the gradient of Σ f(x) with respect to the inputs, one row of D = features per example;
/// C = corrcoef(J) (N×N), with eigenvalues λ; score = −Σᵢ (log(λᵢ + k) + 1/(λᵢ + k)), k = 10⁻⁵.
/// Needs inputs only. A row with no variance makes C undefined and the score NaN (the reference
/// catches the failure and returns NaN).
enum JacobianCovariance {
    /// The score for `inputs` `[N, …]` in the given mode.
    static func score(_ model: any Module, inputs: Tensor, mode: ForwardContext.Mode) throws -> Double {
        let jacobian = try Gradients.ofOutputSumWithRespectToInputs(model: model, inputs: inputs, mode: mode)
        let n = jacobian.shape[0]
        let d = jacobian.count / max(n, 1)
        guard n >= 2, d >= 2 else {
            throw InitiumError.invalidArgument("jacob_cov needs at least 2 examples of at least 2 features")
        }
        let rows: [[Double]] = jacobian.withUnsafeBufferPointer { p in
            (0..<n).map { i in
                let row = (0..<d).map { Double(p[i * d + $0]) }
                let mean = row.reduce(0, +) / Double(d)
                let centred = row.map { $0 - mean }
                let norm = centred.reduce(0) { $0 + $1 * $1 }.squareRoot()
                return centred.map { $0 / norm }
            }
        }
        var correlation = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in i..<n {
                var dot = 0.0
                for k in 0..<d { dot += rows[i][k] * rows[j][k] }
                correlation[i * n + j] = dot
                correlation[j * n + i] = dot
            }
        }
        guard correlation.allSatisfy(\.isFinite) else { return .nan }
        let k = 1e-5
        return -SymmetricEigenvalues.of(correlation, n: n).reduce(0) { $0 + log($1 + k) + 1 / ($1 + k) }
    }
}
