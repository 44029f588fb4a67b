import InitiumCore
import InitiumNN

/// The Fourier-feature networks' baseline initialization (Tancik et al., "Fourier Features Let
/// Networks Learn High Frequency Functions in Low Dimensional Domains", NeurIPS 2020; official
/// `tancik/fourier-feature-networks`), for `inr:…,act=relu,encoding=fourier(…)` networks: their
/// notebooks build the MLP from JAX `stax.Dense` layers with its defaults,
/// - weights: Glorot normal, JAX's `glorot_normal` = variance scaling with scale 1, mode
///   fan-avg, truncated normal (σ² = 2/(fan_in + fan_out));
/// - biases: N(0, 0.01²) (`stax`'s `normal()` default).
/// The encoding's frequencies B ~ N(0, σ²) are part of the model (`encoding=fourier(sigma=…)`,
/// drawn when it is built), not of this scheme.
struct FourierFeatureBaselineInitializer: TensorInitializer {
    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        try VarianceScaling(scale: 1, mode: .fanAverage, family: .truncatedNormal).sample(layout, key: key)
    }

    func bias(count: Int, for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor? {
        try Tensor.normal([count], std: 0.01, key: key)
    }
}

extension SchemeCatalog {
    static let fourierFeaturesEntry = Entry(
        name: "fourier-features",
        parameters: [],
        summary: "the Fourier-feature MLP baseline (JAX stax Dense): W Glorot truncated normal (fan-avg), b ~ N(0, 0.01²)",
        reference: "Tancik et al., NeurIPS 2020"
    ) { _ in
        .tensor(FourierFeatureBaselineInitializer())
    }
}
