import ArgumentParser
import Foundation
import InitiumNN

/// `--json`, and where a command's answer goes (docs/ARCHITECTURE.md, "The command-line contract").
///
/// The answer goes to stdout, as in every Unix tool: without `--json` the human-readable text
/// (tables, values), so that `initium schemes | grep normal` and `initium theory eoc … > eoc.txt`
/// work; with `--json` exactly one JSON object, the last line of stdout, while the human-readable
/// text moves to stderr. Progress, logs and warnings always go to stderr (``note(_:)``).
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the results as one JSON object on stdout (the human-readable answer then goes to stderr).")
    var json = false

    /// Writes one line (or several) of the human-readable answer: to stdout, or to stderr under `--json`.
    func answer(_ text: String) {
        (json ? FileHandle.standardError : FileHandle.standardOutput).write(Data((text + "\n").utf8))
    }

    /// Under `--json`, writes `value` as the one JSON object on stdout (keys are its `CodingKeys`,
    /// snake_case by convention); without `--json`, does nothing.
    func emit<Value: Encodable>(_ value: @autoclosure () throws -> Value) throws {
        guard json else { return }
        var data = try ResultJSON.encode(value())
        data.append(Data("\n".utf8))
        FileHandle.standardOutput.write(data)
    }
}

/// Writes progress, a log line or a warning to stderr: never part of a command's answer.
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Whether standard error is a terminal, so progress bars are drawn only for people, not logs.
var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }

/// A number for human-readable output: six significant digits, `inf`/`-inf`/`nan` spelled out.
func human(_ value: Double) -> String {
    value.isFinite ? String(format: "%.6g", value) : (value > 0 ? "inf" : value < 0 ? "-inf" : "nan")
}
