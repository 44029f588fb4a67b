import ArgumentParser
import InitiumTheory

/// `initium theory gain`: exact forward, variance and backward gains of an activation.
struct TheoryGainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gain", abstract: "Exact gains 1/sqrt(E[phi^2]), 1/sqrt(Var phi), 1/sqrt(E[phi'^2]) under N(0, sigma_p^2).")

    @OptionGroup var activationOption: ActivationOption<GainDefaults>
    @Option(name: .customLong("sigma-p"), help: "Pre-activation standard deviation (VI3NR's sigma_p).") var sigmaP: Double = 1
    @Option(name: .customLong("sigma-b2"), help: "Bias variance for the fixed-point gain (q = 1 fixed).") var sigmaB2: Double = 0
    @OptionGroup var console: OutputOptions

    func run() throws {
        let activation = try activationOption.theoryActivation()
        let integrator = GaussianIntegrator()
        let gains = try Gains(activation: activation, preactivationStandardDeviation: sigmaP, integrator: integrator)
        let fixedPoint = try Gains.fixedPointGain(activation: activation, biasVariance: sigmaB2, integrator: integrator)
        console.answer("\(activation) at sigma_p = \(human(sigmaP)): forward \(human(gains.forward)), "
            + "variance \(human(gains.variance)), backward \(human(gains.backward)); "
            + "q = 1 fixed point with sigma_b2 = \(human(sigmaB2)): \(human(fixedPoint))")
        try console.emit(GainReport(
            activation: activation.description, sigmaP: sigmaP, forward: gains.forward, variance: gains.variance,
            backward: gains.backward, fixedPoint: fixedPoint))
    }
}

/// The JSON line of `initium theory gain`.
struct GainReport: Encodable {
    var activation: String
    var sigmaP: Double
    var forward: Double
    var variance: Double
    var backward: Double
    var fixedPoint: Double

    enum CodingKeys: String, CodingKey {
        case activation, sigmaP = "sigma_p", forward, variance, backward, fixedPoint = "fixed_point"
    }
}
