import ArgumentParser
import Foundation
import InitiumLab
import InitiumTheory

/// `initium theory phase`: the (sigma_w^2, sigma_b^2) phase diagram of chi1 with the edge of chaos, as SVG.
struct TheoryPhaseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phase", abstract: "Phase diagram of chi1 over (sigma_w^2, sigma_b^2) with the edge-of-chaos curve.",
        discussion: "With --json: every grid point (chi1 to about 1e-7) and the edge-of-chaos curve.")

    @OptionGroup var activationOption: ActivationOption<MeanFieldDefaults>
    @Option(help: "SVG file to write.") var out: String?
    @Option(help: "Grid points per axis.") var resolution = 200
    @Option(name: .customLong("sigma-w2-range"), help: "sigma_w^2 axis as lo,hi.") var sigmaW2Range = NumberRange(0.5, 4)
    @Option(name: .customLong("sigma-b2-range"), help: "sigma_b^2 axis as lo,hi.") var sigmaB2Range = NumberRange(0, 0.5)
    @OptionGroup var console: OutputOptions

    func run() async throws {
        let activation = try activationOption.theoryActivation()
        let start = Date()
        let diagram = try await PhaseDiagram.compute(
            activation: activation, weightVariances: sigmaW2Range.range, biasVariances: sigmaB2Range.range,
            resolution: resolution, integrator: try GaussianIntegrator(relativeTolerance: 1e-8))
        let seconds = Date().timeIntervalSince(start)
        let diverging = diagram.points.filter { $0.chi1 == nil }.count
        console.answer("\(activation): \(resolution)x\(resolution) phase diagram in \(String(format: "%.2f", seconds)) s; "
            + "\(diagram.edgeOfChaos.count) edge-of-chaos points; \(diverging) points without a fixed point")
        if let out { try writeSVG(diagram.svg(), to: out) }
        try console.emit(PhaseReport(
            activation: activation.description, resolution: resolution,
            points: diagram.points.map {
                .init(sigmaW2: $0.weightVariance, sigmaB2: $0.biasVariance, qStar: $0.fixedPointVariance, chi1: $0.chi1)
            },
            eoc: diagram.edgeOfChaos.map {
                .init(sigmaW2: $0.weightVariance, sigmaB2: $0.biasVariance, qStar: $0.fixedPointVariance, chi1: 1)
            }))
    }
}

/// The JSON line of `initium theory phase`: every grid point (null q_star/chi1 where q diverges)
/// and the edge-of-chaos curve.
struct PhaseReport: Encodable {
    struct Point: Encodable {
        var sigmaW2: Double
        var sigmaB2: Double
        var qStar: Double?
        var chi1: Double?

        enum CodingKeys: String, CodingKey {
            case sigmaW2 = "sigma_w2", sigmaB2 = "sigma_b2", qStar = "q_star", chi1
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(sigmaW2, forKey: .sigmaW2)
            try container.encode(sigmaB2, forKey: .sigmaB2)
            try container.encode(qStar, forKey: .qStar)
            try container.encode(chi1, forKey: .chi1)
        }
    }

    var activation: String
    var resolution: Int
    var points: [Point]
    var eoc: [Point]
}
