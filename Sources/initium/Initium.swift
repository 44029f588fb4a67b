import ArgumentParser
import Foundation
import InitiumCore
import InitiumTheory

/// The `initium` command-line tool: a thin layer over the Initium libraries.
///
/// Every result-producing subcommand accepts `--json`. The answer goes to stdout: human-readable
/// text, or with `--json` exactly one JSON object as the last line; progress, logs and warnings
/// go to stderr (``OutputOptions``). Exit status: 0 success, 1 user error, 2 internal failure
/// (see docs/ARCHITECTURE.md, "The command-line contract").
@main
struct Initium: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "initium",
        abstract: "Choose, apply, analyse and sparsify a neural network's initialization.",
        subcommands: [
            TrainCommand.self, GenerateCommand.self,
            CompareCommand.self, FitCommand.self, MetaInitCommand.self,
            InspectCommand.self, CoordCheckCommand.self, EmbedCommand.self, EmbedGraphCommand.self,
            CKACommand.self, DSECommand.self, MICommand.self, InterpolateCommand.self, ButterflyCommand.self,
            BenchCommand.self,
            SchemesCommand.self, InitCommand.self,
            TheoryCommand.self,
            PruneCommand.self, LotteryCommand.self, SupermaskCommand.self, ProxiesCommand.self,
        ])

    /// Parses and runs a subcommand, mapping errors to the exit statuses of the CLI contract.
    static func main() async {
        AllocatorTuning.apply()
        do {
            var command = try parseAsRoot()
            try failForTestsIfAsked()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withStatus: report(error))
        }
    }

    /// Prints a one-line message for `error` on stderr and returns the exit status it maps to.
    /// Library messages name properties; the message printed names the flags instead (``FlagNames``).
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as InitiumError:
            note("error: " + FlagNames.commandLine(error.description))
            return error.isUserError ? 1 : 2
        case let error as TheoryError:
            note("error: " + FlagNames.commandLine(error.description))
            return 1
        case is CocoaError:
            note("error: \(error.localizedDescription)")
            return 1
        default:
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            if code.rawValue == ExitCode.validationFailure.rawValue || error is ValidationError {
                note(fullMessage(for: error))
                return 1
            }
            if let exitCode = error as? ExitCode { return exitCode.rawValue }
            note("internal error: \(error)")
            return 2
        }
    }

    /// The environment variable that makes a parsed command fail as an internal failure (exit 2)
    /// before it runs. No input reaches the engine's internal-failure paths (they guard invariants
    /// the engine keeps), so this hidden switch is how Tests/InitiumCLITests checks the exit-2
    /// contract of a real process; it is absent from --help and unused by normal runs.
    static let internalFailureVariable = "INITIUM_TEST_INTERNAL_FAILURE"

    private static func failForTestsIfAsked() throws {
        if let value = ProcessInfo.processInfo.environment[internalFailureVariable], !value.isEmpty {
            throw InitiumError.internalFailure("\(internalFailureVariable) is set (a test of the exit status of internal failures)")
        }
    }

    private static func exit(withStatus status: Int32) -> Never {
        Foundation.exit(status)
    }
}
