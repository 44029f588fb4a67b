import InitiumCore
import InitiumNN

/// The Dirac delta kernel, PyTorch's `dirac_(groups)`: zeros except W[g·(out/G) + d, d, centre] = 1
/// for each group g < G and d < min(out/G, in/G), with the centre at index k/2 along each spatial
/// axis (PyTorch's choice). A stride-1, same-padded convolution with it copies its first
/// min(out, in) channels per group: the convolutional identity (used by ZerO and IDInit).
/// `groups` defaults to the layout's own groups. Matrices get the identity (`eye`), the same
/// map for a dense layer, so the scheme applies to whole networks.
struct DiracInitializer: TensorInitializer {
    let groups: Int?

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        guard layout.shape.count >= 3 else {
            return try IdentityInitializer(gain: 1).weight(for: layout, key: key, context: context)
        }
        let g = groups ?? layout.groups
        guard layout.shape[0] % g == 0 else {
            throw InitiumError.invalidArgument("dirac(groups=\(g)): \(layout.shape[0]) output channels are not divisible by \(g) groups")
        }
        return CentreTap.kernel(shape: layout.shape, kernel: Array(layout.shape.dropFirst(2)), groups: g, rounding: .up) { _ in
            { i, j in i == j ? 1 : 0 }
        }
    }
}

extension SchemeCatalog {
    static let diracEntry = Entry(
        name: "dirac",
        parameters: [ParameterInfo(name: "groups", defaultValue: "layout", summary: "groups (default: the layer's own)")],
        summary: "conv identity: W[g·out/G+d, d, centre] = 1, else 0",
        reference: "torch.nn.init.dirac_"
    ) { spec in .tensor(DiracInitializer(groups: try positiveInteger(spec, "groups"))) }
}
