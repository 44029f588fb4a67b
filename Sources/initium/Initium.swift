import ArgumentParser
import Foundation
import InitiumCore
import InitiumTheory

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
            TrainCommand.self,
            CompareCommand.self,
            InspectCommand.self,
            CKACommand.self,
            BenchCommand.self,
            SchemesCommand.self, InitCommand.self,
            TheoryCommand.self,
            PruneCommand.self, LotteryCommand.self, SupermaskCommand.self, ProxiesCommand.self,
        ])

    /// Parses and runs a subcommand, mapping errors to the exit statuses of the CLI contract.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withStatus: report(error))
        }
    }

    /// Prints a one-line message for `error` and returns the exit status it maps to.
    static func report(_ error: any Error) -> Int32 {
        switch error {
        case let error as InitiumError:
            printHuman("error: \(error)")
            return error.isUserError ? 1 : 2
        case let error as TheoryError:
            printHuman("error: \(error)")
            return 1
        case is CocoaError:
            printHuman("error: \(error.localizedDescription)")
            return 1
        default:
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                return 0
            }
            if code.rawValue == ExitCode.validationFailure.rawValue || error is ValidationError {
                printHuman(fullMessage(for: error))
                return 1
            }
            if let exitCode = error as? ExitCode { return exitCode.rawValue }
            printHuman("internal error: \(error)")
            return 2
        }
    }

    private static func exit(withStatus status: Int32) -> Never {
        Foundation.exit(status)
    }
}
