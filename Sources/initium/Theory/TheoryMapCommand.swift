import ArgumentParser
import InitiumLab
import InitiumTheory

/// `initium theory map`: fixed points, slopes and depth scales of the variance and correlation maps.
struct TheoryMapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Variance map fixed point q*, chi1, correlation fixed point c*, depth scales xi_q and xi_c.")

    @OptionGroup var activationOption: ActivationOption<MeanFieldDefaults>
    @Option(name: .customLong("sigma-w2"), help: "Weight variance times fan-in, sigma_w^2.") var sigmaW2: Double
    @Option(name: .customLong("sigma-b2"), help: "Bias variance sigma_b^2.") var sigmaB2: Double = 0
    @Option(name: .customLong("q0"), help: "Starting pre-activation variance the fixed point is reached from.") var q0: Double = 1
    @Option(help: "Write the variance-map curve V(q) with its fixed point to this SVG file.") var out: String?
    @OptionGroup var console: OutputOptions

    func run() throws {
        let activation = try activationOption.theoryActivation()
        let integrator = GaussianIntegrator()
        let analysis = try SignalPropagation(
            activation: activation, weightVariance: sigmaW2, biasVariance: sigmaB2, startingVariance: q0,
            integrator: integrator)
        console.answer("\(activation), sigma_w2 = \(human(sigmaW2)), sigma_b2 = \(human(sigmaB2)): \(analysis.phase.rawValue)")
        console.answer("  q* = \(human(analysis.variance.value))   V'(q*) = \(human(analysis.variance.slope))   "
            + "xi_q = \(human(analysis.varianceDepthScale)) layers")
        console.answer("  chi1 = \(human(analysis.chi1))   c* = \(human(analysis.correlation.value))   "
            + "chi_c = \(human(analysis.correlation.slope))   xi_c = \(human(analysis.correlationDepthScale)) layers")
        console.answer("  trainable depth ~ 6 xi_c = \(human(analysis.trainableDepth)) layers")
        if let out {
            let map = try VarianceMap(
                activation: activation, weightVariance: sigmaW2, biasVariance: sigmaB2, integrator: integrator)
            try writeSVG(
                try VarianceMapPlot.svg(
                    title: "Variance map of \(activation)",
                    maps: [("sigma_w2 = \(human(sigmaW2)), sigma_b2 = \(human(sigmaB2))", map, analysis.variance.value)],
                    maximumVariance: max(2, 2 * analysis.variance.value)),
                to: out)
        }
        try console.emit(MapReport(
            activation: activation.description, sigmaW2: sigmaW2, sigmaB2: sigmaB2, qStar: analysis.variance.value,
            vprime: analysis.variance.slope, chi1: analysis.chi1, cStar: analysis.correlation.value,
            chiC: analysis.correlation.slope, xiQ: analysis.varianceDepthScale, xiC: analysis.correlationDepthScale,
            trainableDepth: analysis.trainableDepth, phase: analysis.phase.rawValue))
    }
}

/// The JSON line of `initium theory map`.
struct MapReport: Encodable {
    var activation: String
    var sigmaW2: Double
    var sigmaB2: Double
    var qStar: Double
    var vprime: Double
    var chi1: Double
    var cStar: Double
    var chiC: Double
    var xiQ: Double
    var xiC: Double
    var trainableDepth: Double
    var phase: String

    enum CodingKeys: String, CodingKey {
        case activation, sigmaW2 = "sigma_w2", sigmaB2 = "sigma_b2", qStar = "q_star", vprime, chi1
        case cStar = "c_star", chiC = "chi_c", xiQ = "xi_q", xiC = "xi_c", trainableDepth = "trainable_depth", phase
    }
}
