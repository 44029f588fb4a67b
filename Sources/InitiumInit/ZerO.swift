import Foundation
import InitiumCore
import InitiumNN

/// ZerO initialization (Zhao, Schäfer & Anandkumar, "ZerO Initialization: Initializing Neural
/// Networks with only Zeros and Ones", TMLR 2022), deterministic.
///
/// Algorithm 1, for a matrix W of P = out rows and Q = in columns:
/// - P ≤ Q: the partial identity I* (W[i, i] = 1), which passes the first P inputs through;
/// - P > Q: W = c·I*_{P×2^m}·H_m·I*_{2^m×Q} = c·H_m[0..<P, 0..<Q], with m = ⌈log₂ P⌉ and H_m the
///   2^m Sylvester Hadamard matrix (H[i, j] = (−1)^popcount(i & j)).
///
/// Normalization: the paper's text gives c = 2^{−(m−1)/2}; the official code
/// (`example_mnist.ipynb`, `ZerO_Init_on_matrix`, and `cifar/augskip_resnet.py`) divides by
/// 2^{m/2}, making H_m/2^{m/2} orthonormal. We use the code's c = 2^{−m/2}: the columns of W are
/// then orthonormal, so the layer is an isometry on its inputs (the paper's value is √2 larger).
///
/// Algorithm 2, convolutions [out, in, k…]: the same matrix at the centre tap (index ⌊k/2⌋ per
/// axis), every other tap 0; grouped kernels get it in every group's block.
///
/// Over a model (the ResNet variant, `cifar/augskip_resnet.py`): every layer inside a residual
/// branch (roles `.residualBranch`, `.residualBranchOutput`) and the classifier are zero
/// (weights and biases), shortcut projections and all other layers get Algorithm 1/2, biases 0.
/// A model without residual branches (an MLP, as in the official MNIST example) gets
/// Algorithm 1 in every layer, classifier included. With a zero branch the first layer's
/// pre-activations are exactly 0; ZerO's `Zero_Relu` passes gradient at 0 (ReLU′(0) = 1), and so
/// does Initium's ReLU, so such branches start learning.
struct ZerOInitializer: TensorInitializer {
    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        guard layout.shape.count >= 2 else {
            throw InitiumError.invalidArgument("zero needs a matrix or a convolution kernel, got \(layout.shape)")
        }
        let groups = layout.groups
        let (rows, columns) = (layout.shape[0] / groups, layout.shape[1])
        let block = Self.matrix(rows: rows, columns: columns)
        return CentreTap.kernel(shape: layout.shape, kernel: Array(layout.shape.dropFirst(2)), groups: groups, rounding: .up) { _ in
            { i, j in block[i * columns + j] }
        }
    }

    /// Algorithm 1's P × Q matrix, row-major.
    static func matrix(rows p: Int, columns q: Int) -> [Float] {
        var w = [Float](repeating: 0, count: p * q)
        if p <= q {
            for i in 0..<p { w[i * q + i] = 1 }
            return w
        }
        var m = 0
        while (1 << m) < p { m += 1 }
        let c = Float(pow(2.0, -Double(m) / 2))
        for i in 0..<p {
            for j in 0..<q { w[i * q + j] = (i & j).nonzeroBitCount % 2 == 0 ? c : -c }
        }
        return w
    }
}

/// ZerO over a model: zero residual branches and classifier when the model is residual.
struct ZerORecipe: ModelInitializer {
    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        var log = InitializationLog()
        let sites = try ModelWalk.weightedLayers(of: model)
        let residual = sites.contains { $0.roles.contains(.residualBranchOutput) }
        for site in sites {
            let inBranch = !site.roles.isDisjoint(with: [.residualBranch, .residualBranchOutput])
            if residual && (inBranch || site.roles.contains(.classifier)) {
                try site.zero(reason: inBranch ? "zero: residual branch" : "zero: classifier", log: &log)
            } else {
                try site.initialize(with: ZerOInitializer(), name: "zero", context: context, log: &log)
            }
        }
        return log
    }
}

extension SchemeCatalog {
    static let zeroEntry = Entry(
        name: "zero", parameters: [],
        summary: "deterministic: partial identity or Hadamard·2^(−m/2) (centre tap for convs); ResNets: zero branches and classifier",
        reference: "Zhao, Schäfer & Anandkumar, TMLR 2022", level: .tensorAndModel
    ) { _ in .both(ZerOInitializer(), ZerORecipe()) }
}
