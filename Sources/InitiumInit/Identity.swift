import InitiumCore
import InitiumNN

/// The (rectangular) identity matrix times a gain: W[i, i] = gain for i < min(out, in), all
/// else 0 — PyTorch's `eye_` and Keras's `Identity(gain)`. A layer initialized so passes its
/// first min(out, in) inputs through unchanged (Le, Jaitly & Hinton 2015 use it for IRNNs).
/// Matrices only; convolutions use ``DiracInitializer``.
struct IdentityInitializer: TensorInitializer {
    let gain: Double

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        guard layout.shape.count == 2 else {
            throw InitiumError.invalidArgument("identity needs a matrix [out, in], got \(layout.shape); for convolutions use dirac")
        }
        let (rows, columns) = (layout.shape[0], layout.shape[1])
        var w = Tensor.zeros(layout.shape)
        w.withUnsafeMutableBufferPointer { p in
            for i in 0..<min(rows, columns) { p[i * columns + i] = Float(gain) }
        }
        return w
    }
}

extension SchemeCatalog {
    static func identityEntry(_ name: String) -> Entry {
        Entry(
            name: name, parameters: [ParameterInfo(name: "gain", defaultValue: "1", summary: "the diagonal value")],
            summary: "W[i,i] = gain for i < min(out, in), else 0 (matrices)",
            reference: "torch.nn.init.eye_; keras.initializers.Identity"
        ) { spec in .tensor(IdentityInitializer(gain: try nonNegative(spec, "gain", default: 1))) }
    }
}
