import ArgumentParser
import Foundation
import InitiumTheory

/// A `lo,hi` (or `lo:hi`) pair of numbers, e.g. `--sigma-w2-range 0.5,4`.
struct NumberRange: ExpressibleByArgument {
    let range: ClosedRange<Double>

    init(_ lower: Double, _ upper: Double) { range = lower...upper }

    init?(argument: String) {
        let parts = argument.split(whereSeparator: { $0 == "," || $0 == ":" })
        guard parts.count == 2, let lower = Double(parts[0]), let upper = Double(parts[1]), lower < upper else {
            return nil
        }
        range = lower...upper
    }

    var defaultValueDescription: String { "\(range.lowerBound),\(range.upperBound)" }
}

/// Parses `--act` for the theory commands (InitiumTheory's activation, not the engine's layer).
func theoryActivation(_ text: String) throws -> MeanFieldActivation {
    try MeanFieldActivation(parsing: text)
}

/// Writes an SVG document, reporting the path on stderr.
func writeSVG(_ svg: String, to path: String) throws {
    try svg.write(toFile: path, atomically: true, encoding: .utf8)
    printHuman("wrote \(path)")
}

/// A number for human-readable output: six significant digits.
func human(_ value: Double) -> String {
    value.isFinite ? String(format: "%.6g", value) : (value > 0 ? "inf" : value < 0 ? "-inf" : "nan")
}
