import ArgumentParser
import InitiumLab
import InitiumTheory

/// `initium theory sparse`: edge-of-chaos recipe for a sparsity-inducing activation (Price et al., ICLR 2024).
struct TheorySparseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sparse",
        abstract: "tau, sigma_w^2, sigma_b^2 and V'(q*) for shifted-relu, soft-threshold and their clipped versions.")

    @OptionGroup var activationOption: ActivationOption<SparseActivationDefaults>
    @Option(help: "Fraction of zero outputs, in (0, 1).") var sparsity: Double
    @Option(name: .customLong("q-star"), help: "Pre-activation variance at the fixed point.") var qStar: Double = 1
    @Option(help: "Clip level m (clipped activations; default: the recommended m).") var clip: Double?
    @Option(help: "Write this recipe's variance map next to its (un)clipped counterpart to this SVG file.") var out: String?
    @OptionGroup var console: OutputOptions

    func run() throws {
        let integrator = GaussianIntegrator()
        let recipe = try SparseActivations.recipe(
            for: try activationOption.theoryActivation(), sparsity: sparsity, fixedPointVariance: qStar, clip: clip,
            integrator: integrator)
        let recommended = recipe.clip == nil ? nil : try SparseActivations.recommendedClip(
            for: recipe.activation.family ?? .clippedReLU, sparsity: sparsity, fixedPointVariance: qStar,
            integrator: integrator)
        console.answer("\(recipe.activation): sparsity \(human(sparsity)) at q* = \(human(qStar))")
        console.answer("  tau = \(human(recipe.threshold))   sigma_w2 = \(human(recipe.weightVariance))   "
            + "sigma_b2 = \(human(recipe.biasVariance))")
        console.answer("  V'(q*) = \(human(recipe.varianceSlope))   V''(q*) = \(human(recipe.varianceCurvature))   "
            + (recipe.isStable ? "stable" : "marginal/unstable (V'(q*) = 1): clip the activation"))
        if let recommended { console.answer("  recommended clip m = \(human(recommended)) (largest m with V''(q*) <= 0)") }
        if let out { try writeSVG(try SparseActivations.comparisonPlot(recipe, integrator: integrator), to: out) }
        try console.emit(SparseReport(
            activation: recipe.activation.description, sparsity: sparsity, qStar: qStar, tau: recipe.threshold,
            clip: recipe.clip, sigmaW2: recipe.weightVariance, sigmaB2: recipe.biasVariance,
            vprime: recipe.varianceSlope, vsecond: recipe.varianceCurvature, stable: recipe.isStable,
            recommendedClip: recommended))
    }
}

/// The JSON line of `initium theory sparse`; `clip` and `recommended_clip` are null when unclipped.
struct SparseReport: Encodable {
    var activation: String
    var sparsity: Double
    var qStar: Double
    var tau: Double
    var clip: Double?
    var sigmaW2: Double
    var sigmaB2: Double
    var vprime: Double
    var vsecond: Double
    var stable: Bool
    var recommendedClip: Double?

    enum CodingKeys: String, CodingKey {
        case activation, sparsity, qStar = "q_star", tau, clip, sigmaW2 = "sigma_w2", sigmaB2 = "sigma_b2"
        case vprime, vsecond, stable, recommendedClip = "recommended_clip"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(activation, forKey: .activation)
        try container.encode(sparsity, forKey: .sparsity)
        try container.encode(qStar, forKey: .qStar)
        try container.encode(tau, forKey: .tau)
        try container.encode(clip, forKey: .clip)
        try container.encode(sigmaW2, forKey: .sigmaW2)
        try container.encode(sigmaB2, forKey: .sigmaB2)
        try container.encode(vprime, forKey: .vprime)
        try container.encode(vsecond, forKey: .vsecond)
        try container.encode(stable, forKey: .stable)
        try container.encode(recommendedClip, forKey: .recommendedClip)
    }
}
