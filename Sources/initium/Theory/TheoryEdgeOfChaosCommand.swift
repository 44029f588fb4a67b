import ArgumentParser
import InitiumTheory

/// `initium theory eoc`: the weight variance that puts an activation at the edge of chaos.
struct TheoryEdgeOfChaosCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eoc", abstract: "sigma_w^2 with chi1 = 1 at the variance fixed point, for a given sigma_b^2.")

    @OptionGroup var activationOption: ActivationOption<MeanFieldDefaults>
    @Option(name: .customLong("sigma-b2"), help: "Bias variance sigma_b^2.") var sigmaB2: Double = 0
    @OptionGroup var console: OutputOptions

    func run() throws {
        let activation = try activationOption.theoryActivation()
        let point = try EdgeOfChaos.criticalPoint(for: activation, biasVariance: sigmaB2, integrator: GaussianIntegrator())
        let qText = point.fixedPointVariance.map(human) ?? "any (scale-free: every q is a fixed point)"
        console.answer("\(activation) at sigma_b2 = \(human(sigmaB2)): edge of chaos at sigma_w2 = "
            + "\(human(point.weightVariance)), q* = \(qText)")
        try console.emit(EdgeOfChaosReport(
            activation: activation.description, sigmaB2: sigmaB2, sigmaW2: point.weightVariance,
            qStar: point.fixedPointVariance))
    }
}

/// The JSON line of `initium theory eoc`; `q_star` is null for scale-free activations.
struct EdgeOfChaosReport: Encodable {
    var activation: String
    var sigmaB2: Double
    var sigmaW2: Double
    var qStar: Double?

    enum CodingKeys: String, CodingKey {
        case activation, sigmaB2 = "sigma_b2", sigmaW2 = "sigma_w2", qStar = "q_star"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(activation, forKey: .activation)
        try container.encode(sigmaB2, forKey: .sigmaB2)
        try container.encode(sigmaW2, forKey: .sigmaW2)
        try container.encode(qStar, forKey: .qStar)
    }
}
