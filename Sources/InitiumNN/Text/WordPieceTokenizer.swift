import InitiumCore

/// BERT's uncased WordPiece tokenizer, exactly as Hugging Face's `BertTokenizer(do_lower_case=True)`:
/// the special tokens (`[UNK]`, `[SEP]`, `[PAD]`, `[CLS]`, `[MASK]`) are split out of the raw text
/// as they are, every other stretch goes through ``BasicTokenizer``, and each word is cut into the
/// longest vocabulary pieces from its start, a piece after the first carrying the prefix `##`
/// ("unaffable" → `un ##aff ##able`). A word longer than ``maxScalarsPerWord`` scalars, or one with
/// a stretch no piece covers, becomes a single `[UNK]` (the pieces found so far are dropped).
///
/// Wu et al., "Google's Neural Machine Translation System", arXiv 1609.08144 (WordPiece);
/// Devlin et al., "BERT", NAACL 2019.
public struct WordPieceTokenizer: Sendable {
    /// The vocabulary (and the special tokens' ids).
    public let vocabulary: Vocabulary
    /// Words longer than this many Unicode scalars become `[UNK]` (Hugging Face's 100).
    public var maxScalarsPerWord = 100

    /// A tokenizer over `vocabulary`.
    public init(vocabulary: Vocabulary) {
        self.vocabulary = vocabulary
    }

    /// The ids of `text`'s word pieces, without `[CLS]`/`[SEP]`.
    public func pieceIDs(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        for segment in splitSpecialTokens(text) {
            switch segment {
            case let .special(token): ids.append(vocabulary.id(token))
            case let .text(stretch):
                for word in BasicTokenizer.words(stretch) { appendPieces(of: word, to: &ids) }
            }
        }
        return ids
    }

    /// The word pieces of `text` as strings (`["[UNK]", "un", "##aff", "##able"]`), without `[CLS]`/`[SEP]`.
    public func pieces(_ text: String) -> [String] {
        pieceIDs(text).map { vocabulary.tokens[Int($0)] }
    }

    /// `[CLS] pieces [SEP]`, truncated to `maxLength` ids counting the two specials (the first
    /// `maxLength − 2` pieces are kept); `nil` keeps every piece. Throws if `maxLength` < 2.
    public func encode(_ text: String, maxLength: Int? = nil) throws -> [Int32] {
        var pieces = pieceIDs(text)
        if let maxLength {
            guard maxLength >= 2 else {
                throw InitiumError.invalidArgument("`maxLength` must be at least 2 ([CLS] and [SEP]), got \(maxLength)")
            }
            pieces = Array(pieces.prefix(maxLength - 2))
        }
        return [vocabulary.classificationID] + pieces + [vocabulary.separatorID]
    }

    /// The encodings of `texts` (``encode(_:maxLength:)``), padded at the end with `[PAD]` to
    /// `maxLength`: a `[texts.count, maxLength]` tensor of ids as Float32.
    public func encodePadded(_ texts: [String], maxLength: Int) throws -> Tensor {
        var ids = [Float](repeating: Float(vocabulary.paddingID), count: texts.count * maxLength)
        for (row, text) in texts.enumerated() {
            for (column, id) in try encode(text, maxLength: maxLength).enumerated() { ids[row * maxLength + column] = Float(id) }
        }
        return try Tensor(shape: [texts.count, maxLength], scalars: ids)
    }

    private enum Segment {
        case special(String)
        case text(String)
    }

    /// `text` cut at the special tokens (case-sensitive, leftmost first; none is a prefix of another).
    private func splitSpecialTokens(_ text: String) -> [Segment] {
        let scalars = Array(text.unicodeScalars)
        let specials = Vocabulary.specialTokens.map { Array($0.unicodeScalars) }
        var segments: [Segment] = []
        var start = 0, i = 0
        while i < scalars.count {
            if scalars[i] == "[", let match = specials.first(where: { scalars[i...].starts(with: $0) }) {
                if start < i { segments.append(.text(String(String.UnicodeScalarView(scalars[start..<i])))) }
                segments.append(.special(String(String.UnicodeScalarView(match))))
                i += match.count
                start = i
            } else {
                i += 1
            }
        }
        if start < scalars.count { segments.append(.text(String(String.UnicodeScalarView(scalars[start...])))) }
        return segments
    }

    /// Greedy longest-match-first WordPiece on one word.
    private func appendPieces(of word: [Unicode.Scalar], to ids: inout [Int32]) {
        guard word.count <= maxScalarsPerWord else {
            ids.append(vocabulary.unknownID)
            return
        }
        var offsets = [0]
        var bytes: [UInt8] = []
        for scalar in word {
            bytes.append(contentsOf: String(scalar).utf8)
            offsets.append(bytes.count)
        }
        let continuation: [UInt8] = Array("##".utf8)
        var found: [Int32] = []
        var start = 0
        while start < word.count {
            var end = Swift.min(word.count, start + vocabulary.longestTokenScalars)
            var match: Int32?
            while start < end {
                let piece = start > 0 ? continuation + bytes[offsets[start]..<offsets[end]] : Array(bytes[offsets[start]..<offsets[end]])
                if let id = vocabulary.id(utf8: piece) {
                    match = id
                    break
                }
                end -= 1
            }
            guard let match else {
                ids.append(vocabulary.unknownID)
                return
            }
            found.append(match)
            start = end
        }
        ids.append(contentsOf: found)
    }
}
