import ArgumentParser
import InitiumTheory

/// `initium theory maxout`: the weight-variance factor c(k) of maxout layers (Tseran & Montúfar, ICLR 2023).
struct TheoryMaxoutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "maxout", abstract: "c(k) = 1/E[(max of k standard normals)^2], for W ~ N(0, c/fan_in).")

    @Option(help: "Number of pieces k >= 1.") var k: Int = 2
    @OptionGroup var console: OutputOptions

    func run() throws {
        let secondMoment = try Maxout.secondMoment(pieces: k, integrator: GaussianIntegrator())
        console.answer("maxout with k = \(k): E[max^2] = \(human(secondMoment)), c = \(human(1 / secondMoment))")
        try console.emit(MaxoutReport(k: k, secondMoment: secondMoment, c: 1 / secondMoment))
    }
}

/// The JSON line of `initium theory maxout`.
struct MaxoutReport: Encodable {
    var k: Int
    var secondMoment: Double
    var c: Double

    enum CodingKeys: String, CodingKey {
        case k, secondMoment = "second_moment", c
    }
}
