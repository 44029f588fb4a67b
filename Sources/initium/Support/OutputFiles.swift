import ArgumentParser
import Foundation
import InitiumNN

/// `--output`: a file that also receives the command's JSON report (`prune`, `lottery`, `supermask`).
struct ReportFileOption: ParsableArguments {
    @Option(help: "Also write the JSON report to this file.")
    var output: String?

    /// Writes `report` to the file atomically, indented for people (nothing without `--output`),
    /// and notes the path on stderr. The encoding is ``ResultJSON``'s, as for `--json`.
    func write<Report: Encodable>(_ report: Report) throws {
        guard let output else { return }
        try AtomicWrite.write(try ResultJSON.encode(report, pretty: true), to: output)
        note("wrote \(output)")
    }
}

/// Writes an SVG document atomically and notes the path on stderr.
func writeSVG(_ svg: String, to path: String) throws {
    try AtomicWrite.write(svg, to: path)
    note("wrote \(path)")
}
