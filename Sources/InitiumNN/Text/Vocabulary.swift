import Foundation
import InitiumCore

/// A WordPiece vocabulary read from a BERT checkpoint's `vocab.txt`: one token a line, a token's id
/// is its 0-based line index (Hugging Face's `load_vocab`: lines split at `\n` after universal-newline
/// translation, the trailing `\n` removed; a token listed twice keeps its last line).
///
/// The special tokens `[UNK]`, `[CLS]`, `[SEP]` and `[PAD]` are looked up in the file, never
/// assumed; a vocabulary without one of them is refused with an error naming the file.
public struct Vocabulary: Sendable {
    /// The tokens by id.
    public let tokens: [String]
    /// The id of `[UNK]`, which replaces words WordPiece cannot split.
    public let unknownID: Int32
    /// The id of `[CLS]`, which starts every sequence.
    public let classificationID: Int32
    /// The id of `[SEP]`, which ends every sequence.
    public let separatorID: Int32
    /// The id of `[PAD]`, which fills sequences to a common length.
    public let paddingID: Int32
    /// The file the vocabulary was read from (for errors).
    public let path: String
    private let ids: [[UInt8]: Int32]
    /// The longest token, in Unicode scalars (WordPiece never tries a longer piece).
    let longestTokenScalars: Int

    /// The special tokens Hugging Face's `BertTokenizer` splits out of raw text before tokenizing.
    public static let specialTokens = ["[UNK]", "[SEP]", "[PAD]", "[CLS]", "[MASK]"]

    /// Reads `vocab.txt` at `path`; throws ``InitiumError/file(path:problem:)`` if it cannot be read,
    /// is not UTF-8, or lacks a special token.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InitiumError.file(path: path, problem: "cannot read the vocabulary (vocab.txt)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InitiumError.file(path: path, problem: "the vocabulary is not UTF-8 text")
        }
        try self.init(text: text, path: path)
    }

    /// A vocabulary from the text of a `vocab.txt`; `path` names it in errors.
    public init(text: String, path: String) throws {
        let newline: Unicode.Scalar = "\n"
        var scalars = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar == "\r" {
                scalars.append(newline)
            } else if !(scalar == newline && previous == "\r") {
                scalars.append(scalar)
            }
            previous = scalar
        }
        var lines = scalars.split(separator: newline, omittingEmptySubsequences: false).map { String(String.UnicodeScalarView($0)) }
        if lines.last == "" { lines.removeLast() }
        guard lines.count < Int(Int32.max) else { throw InitiumError.file(path: path, problem: "too many tokens") }
        var ids: [[UInt8]: Int32] = [:]
        ids.reserveCapacity(lines.count)
        var longest = 0
        for (index, token) in lines.enumerated() {
            ids[Array(token.utf8)] = Int32(index)
            longest = Swift.max(longest, token.unicodeScalars.count)
        }
        func special(_ token: String) throws -> Int32 {
            guard let id = ids[Array(token.utf8)] else {
                throw InitiumError.file(path: path, problem: "the vocabulary has no \(token) token")
            }
            return id
        }
        self.tokens = lines
        self.ids = ids
        self.path = path
        self.longestTokenScalars = longest
        unknownID = try special("[UNK]")
        classificationID = try special("[CLS]")
        separatorID = try special("[SEP]")
        paddingID = try special("[PAD]")
    }

    /// The number of tokens.
    public var count: Int { tokens.count }

    /// The id of a token given as UTF-8 bytes (compared scalar by scalar, as Python compares
    /// strings, not up to canonical equivalence as Swift's `String` does), or `nil`.
    func id(utf8 bytes: [UInt8]) -> Int32? { ids[bytes] }

    /// The id of `token`, or `[UNK]`'s.
    public func id(_ token: String) -> Int32 { ids[Array(token.utf8)] ?? unknownID }
}
