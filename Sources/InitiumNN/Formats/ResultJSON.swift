import Foundation

/// The one JSON encoding of results: what `initium … --json` prints, the report files commands
/// write, and a comparison's `results.json`. Keys are sorted (so equal results give equal bytes),
/// slashes are not escaped, and the non-finite numbers JSON cannot express are written as the
/// strings `"inf"`, `"-inf"` and `"nan"`.
public enum ResultJSON {
    /// An encoder with this configuration; `pretty` adds line breaks and indentation for files
    /// people read.
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    /// `value` encoded with ``encoder(pretty:)``.
    public static func encode<Value: Encodable>(_ value: Value, pretty: Bool = false) throws -> Data {
        try encoder(pretty: pretty).encode(value)
    }
}
