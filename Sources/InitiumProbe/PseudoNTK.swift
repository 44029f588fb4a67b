import InitiumCore
import InitiumNN

/// The pseudo neural tangent kernel (Mohamadi, Bae & Sutherland, ICML 2023): for inputs x, x′,
/// pNTK(x, x′) = (1/O) ⟨∇_θ Σᵢ fᵢ(x), ∇_θ Σⱼ fⱼ(x′)⟩ with O outputs, an N×N approximation of the
/// empirical NTK (eNTK ≈ pNTK ⊗ I_O for wide readouts). One backward pass of Σᵢ fᵢ(x) per input
/// gives the gradient; to bound memory the parameters are processed in groups of at most
/// `budget` values per example, accumulating the Gram matrix group by group.
public struct PseudoNTK: Sendable, Codable {
    /// The kernel, row-major N×N.
    public var kernel: [Double]
    /// N.
    public var size: Int
    /// Eigenvalues, ascending.
    public var eigenvalues: [Double]
    /// tr(pNTK).
    public var trace: Double
    /// λ_max/λ_min (infinite when λ_min ≤ 0).
    public var conditionNumber: Double

    enum CodingKeys: String, CodingKey {
        case size, eigenvalues, trace, conditionNumber = "condition_number", kernel
    }


}

extension PseudoNTK {
    /// The kernel of `model` on the rows of `inputs`.
    public init(model: any Module, inputs: Tensor, budget: Int = 1 << 26) throws {
        let n = inputs.shape[0]
        guard n >= 1 else { throw InitiumError.invalidArgument("pNTK needs at least one input") }
        let parameters = model.parameters.filter(\.isTrainable)
        let perGroup = max(1, budget / max(n, 1))
        var groups: [[Int]] = [[]]
        var used = 0
        for (i, p) in parameters.enumerated() {
            if used + p.value.count > perGroup, !groups[groups.count - 1].isEmpty {
                groups.append([])
                used = 0
            }
            groups[groups.count - 1].append(i)
            used += p.value.count
        }
        var outputs = 1
        var gram = [Double](repeating: 0, count: n * n)
        for group in groups {
            let width = group.reduce(0) { $0 + parameters[$1].value.count }
            var gradients = [Float](repeating: 0, count: n * width)
            for e in 0..<n {
                model.zeroGradients()
                let x = try inputs.slice(axis: 0, e..<(e + 1))
                let y = try model.forward(x, context: ForwardContext(mode: .inference, recordsGradients: true))
                outputs = y.count
                try y.sum().backward()
                var offset = e * width
                for i in group {
                    let p = parameters[i]
                    if let g = p.gradient {
                        g.withUnsafeBufferPointer { b in for (k, v) in b.enumerated() { gradients[offset + k] = v } }
                    }
                    offset += p.value.count
                }
            }
            gradients.withUnsafeBufferPointer { g in
                for a in 0..<n {
                    for b in 0...a {
                        var s = 0.0
                        for k in 0..<width { s += Double(g[a * width + k]) * Double(g[b * width + k]) }
                        gram[a * n + b] += s
                        if a != b { gram[b * n + a] += s }
                    }
                }
            }
        }
        model.zeroGradients()
        let kernel = gram.map { $0 / Double(outputs) }
        let eigenvalues = try Linalg.symmetricEigenvalues(kernel, size: n)
        let trace = (0..<n).reduce(0.0) { $0 + kernel[$1 * n + $1] }
        let smallest = eigenvalues.first ?? 0, largest = eigenvalues.last ?? 0
        self.init(kernel: kernel, size: n, eigenvalues: eigenvalues, trace: trace,
                  conditionNumber: smallest > 0 ? largest / smallest : .infinity)
    }
}
