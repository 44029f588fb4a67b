import InitiumCore
import InitiumNN

/// The spectral condition for feature learning (Yang, Simon & Bernstein, "A Spectral Condition for
/// Feature Learning", 2023): ‖W‖₂ = Θ(√(fan_out/fan_in)). Two realisations:
/// - `distribution=orthogonal` (default): W = scale·√(fan_out/fan_in)·Q, Q semi-orthogonal
///   (``OrthogonalInitializer``, flattened [out, in·k…]), so every singular value — and the
///   spectral norm — is exactly scale·√(fan_out/fan_in);
/// - `distribution=normal`: W ~ N(0, σ²), σ = scale·min(1, √(fan_out/fan_in))/√fan_in (the
///   paper's Gaussian prescription), whose spectral norm ≈ σ(√rows + √columns) = Θ(√(fan_out/fan_in)).
/// The paper states the condition up to constants; `scale` = 1 is Initium's choice of constant.
struct SpectralInitializer: TensorInitializer {
    let scale: Double
    let orthogonal: Bool

    func weight(for layout: WeightLayout, key: RandomKey, context: InitializationContext) throws -> Tensor {
        let ratio = Double(layout.fanOut) / Double(layout.fanIn)
        if orthogonal {
            return try OrthogonalInitializer(gain: .value(scale * ratio.squareRoot())).weight(for: layout, key: key, context: context)
        }
        let std = scale * min(1, ratio.squareRoot()) / Double(layout.fanIn).squareRoot()
        return try Tensor.normal(layout.shape, std: Float(std), key: key)
    }
}

extension SchemeCatalog {
    static let spectralEntry = Entry(
        name: "spectral",
        parameters: [ParameterInfo(name: "scale", defaultValue: "1", summary: "constant in front of √(fan_out/fan_in)"),
                     ParameterInfo(name: "distribution", defaultValue: "orthogonal", summary: "orthogonal or normal")],
        summary: "‖W‖₂ = scale·√(fan_out/fan_in): scaled semi-orthogonal, or N(0, (scale·min(1,√(fo/fi)))²/fan_in)",
        reference: "Yang, Simon & Bernstein, 2023"
    ) { spec in
        let distribution = spec.value("distribution") ?? "orthogonal"
        guard distribution == "orthogonal" || distribution == "normal" else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "distribution must be orthogonal or normal")
        }
        return .tensor(SpectralInitializer(scale: try positive(spec, "scale", default: 1), orthogonal: distribution == "orthogonal"))
    }
}
