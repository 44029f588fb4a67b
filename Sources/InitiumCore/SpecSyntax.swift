import Foundation

/// The `name(key=value,...)` syntax users type for activations, initializer schemes, models and
/// datasets (design.md, "Names users type"). Values may themselves be specs with parentheses,
/// e.g. `lora(a=he-uniform(gain=1),b=zeros)`. A spec prints back to the string it was parsed from
/// (after whitespace is removed).
public struct SpecSyntax: Sendable, Hashable, CustomStringConvertible {
    /// The name before the parentheses, lower-case.
    public var name: String
    /// The arguments in the order they were written.
    public var arguments: [Argument]

    /// One `key=value` pair.
    public struct Argument: Sendable, Hashable {
        /// The key.
        public var key: String
        /// The value, verbatim.
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
    public init(parsing text: String, kind: String) throws {
        let compact = text.filter { !$0.isWhitespace }
        guard !compact.isEmpty else {
            throw InitiumError.invalidSpec(kind: kind, spec: text, reason: "empty")
        }
        guard let open = compact.firstIndex(of: "(") else {
            guard !compact.contains(")") else {
                throw InitiumError.invalidSpec(kind: kind, spec: text, reason: "unbalanced parenthesis")
            }
            self.init(name: compact.lowercased())
            return
        }
        guard compact.last == ")" else {
            throw InitiumError.invalidSpec(kind: kind, spec: text, reason: "expected ')' at the end")
        }
        let name = String(compact[..<open]).lowercased()
        guard !name.isEmpty else {
            throw InitiumError.invalidSpec(kind: kind, spec: text, reason: "missing name before '('")
        }
        let body = compact[compact.index(after: open)..<compact.index(before: compact.endIndex)]
        var parts: [Substring] = []
        var depth = 0
        var start = body.startIndex
        for index in body.indices {
            switch body[index] {
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth < 0 { throw InitiumError.invalidSpec(kind: kind, spec: text, reason: "unbalanced parenthesis") }
            case "," where depth == 0:
                parts.append(body[start..<index])
                start = body.index(after: index)
            default: break
            }
        }
        guard depth == 0 else { throw InitiumError.invalidSpec(kind: kind, spec: text, reason: "unbalanced parenthesis") }
        parts.append(body[start...])
        var arguments: [Argument] = []
        for part in parts where !part.isEmpty {
            guard let eq = part.firstIndex(of: "="), eq != part.startIndex, part.index(after: eq) != part.endIndex else {
                throw InitiumError.invalidSpec(kind: kind, spec: text, reason: "expected key=value, got '\(part)'")
            }
            let key = String(part[..<eq]).lowercased()
            guard !arguments.contains(where: { $0.key == key }) else {
                throw InitiumError.invalidSpec(kind: kind, spec: text, reason: "'\(key)' given twice")
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
    public func requireOnly(_ allowed: [String], kind: String) throws {
        if let unknown = arguments.first(where: { !allowed.contains($0.key) }) {
            let hint = allowed.isEmpty ? "it takes no parameters" : "known parameters: " + allowed.joined(separator: ", ")
            throw InitiumError.invalidSpec(kind: kind, spec: description, reason: "unknown parameter '\(unknown.key)' (\(hint))")
        }
    }

    /// The numeric value for `key`, or `defaultValue` when absent; throws if it is not a number.
    public func number(_ key: String, default defaultValue: Double, kind: String) throws -> Double {
        guard let raw = value(key) else { return defaultValue }
        guard let v = Double(raw), v.isFinite else {
            throw InitiumError.invalidSpec(kind: kind, spec: description, reason: "'\(key)' must be a number, got '\(raw)'")
        }
        return v
    }

    /// The integer value for `key`, or `defaultValue` when absent.
    public func integer(_ key: String, default defaultValue: Int, kind: String) throws -> Int {
        guard let raw = value(key) else { return defaultValue }
        guard let v = Int(raw) else {
            throw InitiumError.invalidSpec(kind: kind, spec: description, reason: "'\(key)' must be an integer, got '\(raw)'")
        }
        return v
    }
}

extension SpecSyntax {
    /// Splits a comma-separated list of specs at top-level commas only, so
    /// `he-normal,variance-scaling(scale=2,mode=fan-in)` gives two items.
    public static func splitList(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        for character in text {
            switch character {
            case "(": depth += 1
            case ")": depth -= 1
            case "," where depth == 0:
                items.append(current)
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        items.append(current)
        return items.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
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
}
