import ArgumentParser

/// `initium theory`: mean-field predictions for an activation before any training (issue 3).
/// Each subcommand parses its flags, calls one `InitiumTheory` function and formats the result.
struct TheoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theory",
        abstract: "Mean-field signal propagation: variance/correlation maps, edge of chaos, gains, sparse recipes.",
        subcommands: [
            TheoryMapCommand.self,
            TheorySimulateCommand.self,
            TheoryEdgeOfChaosCommand.self,
            TheoryGainCommand.self,
            TheorySparseCommand.self,
            TheoryMaxoutCommand.self,
            TheoryPhaseCommand.self,
            TheoryPseudoIIDCommand.self,
        ])
}
