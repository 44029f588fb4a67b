/// The `name(key=value,...)` syntax users type for activations, initializer schemes, models and
/// datasets (docs: "Names users type"). Values may themselves be specs with parentheses,
/// e.g. `lora(a=he-uniform(gain=1),b=zeros)`. Whitespace is ignored and names and keys are
/// case-insensitive (stored lower-case); values are kept verbatim, so a spec prints back to the
/// string it was parsed from (after whitespace is removed and names lower-cased).
public struct SpecSyntax: Sendable, Hashable, CustomStringConvertible {
    /// The name before the parentheses, lower-case.
    public var name: String
    /// The arguments in the order they were written.
    public var arguments: [Argument]

    /// One `key=value` pair.
    public struct Argument: Sendable, Hashable {
        /// The key, lower-case.
        public var key: String
        /// The value, verbatim (possibly empty, which typed accessors then reject).
        public var value: String

        /// An argument.
        public init(key: String, value: String) {
            self.key = key
            self.value = value
        }
    }

    /// A spec with a name and arguments.
    public init(name: String, arguments: [Argument] = []) {
        self.name = name
        self.arguments = arguments
    }

    /// Parses `text`; `kind` names what is being parsed ("activation", "scheme"…) for errors.
    public init(parsing text: String, kind: String) throws(SpecError) {
        func invalid(_ reason: String) -> SpecError {
            .invalid(kind: kind, spec: text, reason: reason + "; write it as name or name(key=value,...)")
        }
        let compact = text.filter { !$0.isWhitespace }
        guard !compact.isEmpty else { throw .invalid(kind: kind, spec: text, reason: "empty") }
        guard let open = compact.firstIndex(of: "(") else {
            guard !compact.contains(")") else { throw invalid("')' without '('") }
            self.init(name: compact.lowercased())
            return
        }
        guard compact.last == ")" else { throw invalid("it must end with ')'") }
        let name = String(compact[..<open]).lowercased()
        guard !name.isEmpty else { throw invalid("missing name before '('") }
        let body = compact[compact.index(after: open)..<compact.index(before: compact.endIndex)]
        var parts: [Substring] = []
        var depth = 0
        var start = body.startIndex
        for index in body.indices {
            switch body[index] {
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { throw invalid("unbalanced parenthesis") }
            case "," where depth == 0:
                parts.append(body[start..<index])
                start = body.index(after: index)
            default: break
            }
        }
        guard depth == 0 else { throw invalid("unbalanced parenthesis") }
        parts.append(body[start...])
        var arguments: [Argument] = []
        for part in parts where !part.isEmpty {
            guard let eq = part.firstIndex(of: "="), eq != part.startIndex else {
                throw invalid("expected key=value, got '\(part)'")
            }
            let key = String(part[..<eq]).lowercased()
            guard !arguments.contains(where: { $0.key == key }) else {
                throw .invalid(kind: kind, spec: text, reason: "'\(key)' given twice")
            }
            arguments.append(Argument(key: key, value: String(part[part.index(after: eq)...])))
        }
        self.init(name: name, arguments: arguments)
    }

    /// `name` alone, or `name(k=v,...)`.
    public var description: String {
        arguments.isEmpty ? name : name + "(" + arguments.map { "\($0.key)=\($0.value)" }.joined(separator: ",") + ")"
    }

    /// The raw value for `key`, if given.
    public func value(_ key: String) -> String? {
        arguments.first { $0.key == key }?.value
    }

    /// Throws if an argument other than `allowed` was given (catches typos such as `gian=2`).
    public func requireOnly(_ allowed: [String], kind: String) throws(SpecError) {
        if let unknown = arguments.first(where: { !allowed.contains($0.key) }) {
            let hint = allowed.isEmpty ? "it takes no parameters" : "known parameters: " + allowed.joined(separator: ", ")
            throw .invalid(kind: kind, spec: description, reason: "\(name) has no parameter '\(unknown.key)'; \(hint)")
        }
    }

    /// The numeric value for `key`, or `defaultValue` when absent; throws if it is not a finite number.
    public func number(_ key: String, default defaultValue: Double, kind: String) throws(SpecError) -> Double {
        guard let raw = value(key) else { return defaultValue }
        guard let v = Double(raw), v.isFinite else {
            throw .invalid(kind: kind, spec: description, reason: "'\(raw)' is not a finite number for \(key)")
        }
        return v
    }

    /// The integer value for `key`, or `defaultValue` when absent.
    public func integer(_ key: String, default defaultValue: Int, kind: String) throws(SpecError) -> Int {
        guard let raw = value(key) else { return defaultValue }
        guard let v = Int(raw) else {
            throw .invalid(kind: kind, spec: description, reason: "'\(raw)' is not an integer for \(key)")
        }
        return v
    }
}

extension SpecSyntax {
    /// Splits a comma-separated list of specs at top-level commas only (outside parentheses and
    /// brackets), so `he-normal,variance-scaling(scale=2,mode=fan-in),gpt2[norm=pre,lr=0.1]` gives
    /// three items.
    public static func splitList(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(", "[": depth += 1
            case ")", "]": depth -= 1
            case "," where depth == 0:
                items.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        items.append(current)
        return items.map(trimmingWhitespace).filter { !$0.isEmpty }
    }

    /// Formats a number the shortest way that reads back to the same value (`2`, `0.05`, `1e-05`).
    public static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return "\(value)"
    }

    /// Formats a Float the shortest way that reads back to the same Float (`0.01`, not `0.00999…`).
    public static func format(_ value: Float) -> String {
        if value == value.rounded(), abs(value) < 1e7 { return String(Int(value)) }
        return "\(value)"
    }

    private static func trimmingWhitespace(_ text: String) -> String {
        var slice = Substring(text)
        while let first = slice.first, first.isWhitespace { slice.removeFirst() }
        while let last = slice.last, last.isWhitespace { slice.removeLast() }
        return String(slice)
    }
}
