import ArgumentParser
import InitiumInit

/// `initium schemes`: every initialization scheme with its parameters, defaults and a one-line description.
struct SchemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schemes",
        abstract: "List every initialization scheme with its parameters, defaults and a one-line description.")

    @OptionGroup var console: OutputOptions

    func run() throws {
        for entry in SchemeCatalog.entries {
            let parameters = entry.parameters.map { "\($0.name)=\($0.defaultValue)" }.joined(separator: ",")
            let head = parameters.isEmpty ? entry.name : "\(entry.name)(\(parameters))"
            let level = entry.level == .tensor ? "" : " [model recipe]"
            console.answer("\(head)\(level)\n    \(entry.summary) — \(entry.reference)")
        }
        try console.emit(SchemesReport(schemes: SchemeCatalog.entries))
    }
}

/// The JSON line of `initium schemes`.
struct SchemesReport: Encodable {
    var schemes: [SchemeCatalog.Entry]
}
