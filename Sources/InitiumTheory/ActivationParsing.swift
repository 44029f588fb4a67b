extension Activation {
    /// Parses a specification `name` or `name(key=value,...)`, e.g. `tanh`, `sine(omega=30)`,
    /// `clipped-relu(tau=1.04,m=1)`. Whitespace around tokens is ignored; names are case-sensitive
    /// and lower-case as in design.md.
    ///
    /// Throws `unknownActivation`, `malformedSpecification`, `unknownParameter` or
    /// `invalidParameter` with a message naming the problem.
    public init(parsing specification: String) throws {
        let (name, parameters) = try parseSpecification(specification)
        guard let family = ActivationFamily(rawValue: name) else {
            throw TheoryError.unknownActivation(name: name, known: ActivationFamily.allCases.map(\.rawValue))
        }
        try self.init(family, parameters: parameters)
    }
}

/// Splits `name(k=v,...)` into its name and numeric parameters.
func parseSpecification(_ text: String) throws -> (name: String, parameters: [String: Double]) {
    let trimmed = text.trimmingWhitespace()
    func malformed(_ reason: String) -> TheoryError {
        .malformedSpecification(text: text, reason: reason)
    }
    guard !trimmed.isEmpty else { throw malformed("it is empty") }
    guard let open = trimmed.firstIndex(of: "(") else {
        guard !trimmed.contains(")") else { throw malformed("')' without '('") }
        return (trimmed, [:])
    }
    let name = String(trimmed[..<open]).trimmingWhitespace()
    guard !name.isEmpty else { throw malformed("the name before '(' is missing") }
    guard trimmed.last == ")" else { throw malformed("it must end with ')'") }
    let body = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
    guard !body.contains("("), !body.contains(")") else { throw malformed("nested parentheses") }
    var parameters: [String: Double] = [:]
    guard !body.trimmingWhitespace().isEmpty else { return (name, parameters) }
    for item in body.split(separator: ",", omittingEmptySubsequences: false) {
        let parts = item.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw malformed("'\(item.trimmingWhitespace())' is not key=value") }
        let key = String(parts[0]).trimmingWhitespace()
        let valueText = String(parts[1]).trimmingWhitespace()
        guard !key.isEmpty else { throw malformed("a parameter name is missing") }
        guard let value = Double(valueText), value.isFinite else {
            throw malformed("'\(valueText)' is not a finite number for \(key)")
        }
        guard parameters[key] == nil else { throw malformed("\(key) is given twice") }
        parameters[key] = value
    }
    return (name, parameters)
}

extension StringProtocol {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
