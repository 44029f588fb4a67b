import Foundation

/// Writes human-readable text to standard error, leaving stdout for the final JSON line.
func printHuman(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes the single JSON object that ends a command's stdout (design.md: exactly one JSON object
/// as the last line). Keys are the `CodingKeys` of `value`, which are snake_case by convention.
func emitJSON<Value: Encodable>(_ value: Value) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
        positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}

/// Whether standard error is a terminal, so progress bars are drawn only for people, not logs.
var standardErrorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
