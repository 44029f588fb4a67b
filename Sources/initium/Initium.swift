import ArgumentParser

/// The `initium` command-line tool: a thin layer over the Initium libraries.
///
/// Every result-producing subcommand accepts `--json`; human-readable output goes to stderr and
/// exactly one JSON object is the last line of stdout. Exit status: 0 success, 1 user error,
/// 2 internal failure (see design.md, "The command-line contract").
@main
struct Initium: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "initium",
        abstract: "Choose, apply, analyse and sparsify a neural network's initialization.",
        subcommands: [
            TheoryCommand.self,
        ])
}
