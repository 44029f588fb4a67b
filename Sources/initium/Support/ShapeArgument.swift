import Foundation
import InitiumCore

/// A tensor shape written as positive integers separated by commas (`64,32,3,3`), for `--shape`.
func parseShape(_ text: String) throws -> [Int] {
    try text.split(separator: ",").map { part -> Int in
        guard let v = Int(part.trimmingCharacters(in: .whitespaces)), v > 0 else {
            throw InitiumError.invalidArgument("--shape must be positive integers separated by commas, got '\(text)'")
        }
        return v
    }
}
