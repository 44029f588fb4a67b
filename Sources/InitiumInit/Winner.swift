import Foundation
import InitiumCore
import InitiumNN

/// WINNER (SIREN², Chandravamsi et al., "Spectral Bottleneck in Deep Neural Networks: Noise is
/// All You Need", arXiv 2509.09719; official `cfdlabtechnion/siren_square`, class `SIREN_square`
/// and `spectral_centroid`): SIREN's initialization (``SirenInitializer``) with Gaussian noise
/// added to the first two layers' weights, scaled by the target's spectrum:
/// 1. the spectral centroid of the target (``spectralCentroid(of:)``), SC ∈ [0, 1] for one
///    channel, and z = SC/C for C channels (the reference code divides by the channel count a
///    second time, deliberately);
/// 2. noise scales: audio (1 input coordinate) s₀ = 3500(1 − e^{−7z}), s₁ = 3z (the code's a = 7);
///    images (2 coordinates) s₀ = 50(1 − e^{−5z}), s₁ = 0.4z; other dimensions need `s0` and `s1`
///    given, which also override the formulas;
/// 3. W₀ += N(0, 1)·s₀/ω₀ on the first layer (role `.input`) and W₁ += N(0, 1)·s₁/ω₀ on the
///    weighted layer after it, ω₀ the hidden ω (the scheme's `omega`, else the network's sine's,
///    else 30); biases and every other layer stay SIREN's. For z → 0 this is SIREN.
/// The reference network keeps ω = 30 in its first layer even for audio: the noise, not a large
/// first ω, supplies the high frequencies.
struct WinnerRecipe: ModelInitializer {
    /// ω₀ as given, or `nil` for the network's.
    let omega: Double?
    /// Noise scales as given, or `nil` for the paper's formulas.
    let scales: (first: Double, second: Double)?

    func initialize(_ model: any Module, context: InitializationContext) throws -> InitializationLog {
        guard let target = context.target else {
            throw InitiumError.invalidArgument(
                "winner scales its noise by the target signal's spectrum and needs the signal being fitted (e.g. `initium fit … --init winner`)")
        }
        let omega = SirenInitializer.resolvedOmega(omega, context)
        let centroid = try Self.spectralCentroid(of: target)
        let z = centroid / Double(target.channels)
        let (s0, s1) = try scales ?? Self.noiseScales(normalizedCentroid: z, dimension: target.dimension)
        var log = try sirenRecipe(omega: omega).initialize(model, context: context)
        let sites = try ModelWalk.weightedLayers(of: model)
        guard let firstIndex = sites.firstIndex(where: { $0.roles.contains(.input) }), firstIndex + 1 < sites.count else {
            throw InitiumError.invalidArgument("winner perturbs the input layer and the layer after it; the model has no such pair of weighted layers")
        }
        for (site, scale) in [(sites[firstIndex], s0), (sites[firstIndex + 1], s1)] where scale > 0 {
            let noise = try Tensor.normal(site.layout.shape, std: Float(scale / omega), key: context.key.fold(site.weightPath).fold("winner-noise"))
            try site.setWeight(try site.layer.weight.value + noise, by: "winner")
            log.entries.append(.init(
                path: site.weightPath, action: "winner noise",
                values: ["spectral_centroid": centroid, "noise_scale": scale, "noise_std": scale / omega]))
        }
        return log
    }

    /// s₀ and s₁ of the reference code for a normalized centroid z and an input dimension.
    static func noiseScales(normalizedCentroid z: Double, dimension: Int) throws -> (Double, Double) {
        switch dimension {
        case 1: return (3500 * (1 - exp(-7 * z)), 3 * z)
        case 2: return (50 * (1 - exp(-5 * z)), 0.4 * z)
        default:
            throw InitiumError.invalidArgument(
                "winner has noise formulas for audio (1 coordinate) and images (2); for \(dimension) coordinates give winner(s0=…,s1=…)")
        }
    }

    /// The reference code's spectral centroid: per channel, the real FFT along the grid's last
    /// axis (each row of an image, the whole of a sound), magnitudes |X_k| at frequencies
    /// k/n ∈ [0, ½] (`rfftfreq(n, d=1)`), the centroid Σ f|X|/Σ|X| of each row (0 for an all-zero
    /// row), averaged over rows; then 2·mean over channels/C, which is in [0, 1] for one channel.
    static func spectralCentroid(of signal: Signal) throws -> Double {
        let n = signal.grid.last!
        let rows = signal.pointCount / n
        let channels = signal.channels
        let values = signal.values.scalars
        var total = 0.0
        var row = [Float](repeating: 0, count: n)
        for channel in 0..<channels {
            var sum = 0.0
            for r in 0..<rows {
                for i in 0..<n { row[i] = values[(r * n + i) * channels + channel] }
                let spectrum = try RealFFT.forward(row, shape: [n])
                var weighted = 0.0, mass = 0.0
                for k in 0..<spectrum.real.count {
                    let magnitude = Double(hypotf(spectrum.real[k], spectrum.imaginary[k]))
                    weighted += magnitude * Double(k) / Double(n)
                    mass += magnitude
                }
                sum += mass > 0 ? weighted / mass : 0
            }
            total += sum / Double(rows)
        }
        return 2 * (total / Double(channels)) / Double(channels)
    }
}

extension SchemeCatalog {
    static let winnerEntry = Entry(
        name: "winner",
        parameters: [
            ParameterInfo(name: "omega", defaultValue: "the network's", summary: "hidden ω₀ (SIREN bounds and noise divisor; default: the network's sine's ω, else 30)"),
            ParameterInfo(name: "s0", defaultValue: "from the spectrum", summary: "first-layer noise scale (overrides the paper's formula)"),
            ParameterInfo(name: "s1", defaultValue: "from the spectrum", summary: "second-layer noise scale (overrides the paper's formula)"),
        ],
        summary: "SIREN plus N(0, (s/ω₀)²) noise on the first two layers, s from the target's spectral centroid (needs the target)",
        reference: "Chandravamsi et al., arXiv 2509.09719", level: .model
    ) { spec in
        let omega = spec.value("omega") != nil ? try positive(spec, "omega", default: 30) : nil
        let given = (spec.value("s0") != nil, spec.value("s1") != nil)
        guard given.0 == given.1 else {
            throw InitiumError.invalidSpec(kind: kind, spec: spec.description, reason: "give both s0 and s1, or neither")
        }
        let scales = given.0 ? (try nonNegative(spec, "s0", default: 0), try nonNegative(spec, "s1", default: 0)) : nil
        return .model(WinnerRecipe(omega: omega, scales: scales))
    }
}
