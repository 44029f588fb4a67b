import Foundation
import InitiumNN

/// Writes a command's JSON report to `path` atomically, indented for people (no-op without a
/// path), and notes the path on stderr. The encoding is ``ResultJSON``'s, as for `--json`.
func writeJSONReport<Value: Encodable>(_ value: Value, to path: String?) throws {
    guard let path else { return }
    try AtomicWrite.write(try ResultJSON.encode(value, pretty: true), to: path)
    note("wrote \(path)")
}

/// Writes an SVG document atomically and notes the path on stderr.
func writeSVG(_ svg: String, to path: String) throws {
    try AtomicWrite.write(svg, to: path)
    note("wrote \(path)")
}
