import Foundation

/// BERT's basic tokenizer with lower-casing, as Hugging Face's slow `BertTokenizer(do_lower_case=True)`
/// runs it (`transformers` 4.46, `tokenization_bert.py` and `tokenization_utils.py`), over Unicode
/// scalars (code points, as Python's `str`), never grapheme clusters:
///
/// 1. lower-case each scalar (full case mapping, no context, as the per-character `re.sub` does);
/// 2. clean: drop U+0000, U+FFFD and control scalars (general category `C*` except `\t`, `\n`,
///    `\r`); map whitespace (`' '`, `\t`, `\n`, `\r`, category `Zs`) to `' '`;
/// 3. surround every CJK ideograph (4E00–9FFF, 3400–4DBF, 20000–2A6DF, 2A700–2B73F, 2B740–2B81F,
///    2B820–2CEAF, F900–FAFF, 2F800–2FA1F) with spaces;
/// 4. NFC-normalize, split at whitespace;
/// 5. per word: lower-case again, NFD-normalize and drop nonspacing marks (`Mn`: accents), then
///    split every punctuation scalar off as its own word (ASCII 33–47, 58–64, 91–96, 123–126, or a
///    category `P*`).
///
/// Devlin et al., "BERT: Pre-training of Deep Bidirectional Transformers for Language
/// Understanding", NAACL 2019.
public enum BasicTokenizer {
    /// The words of `text`, each as its Unicode scalars.
    public static func words(_ text: String) -> [[Unicode.Scalar]] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            for lower in lowercased(scalar) {
                if lower.value == 0 || lower.value == 0xFFFD || isControl(lower) { continue }
                if isWhitespace(lower) {
                    cleaned.append(" ")
                } else if isCJK(lower) {
                    cleaned.append(" ")
                    cleaned.append(lower)
                    cleaned.append(" ")
                } else {
                    cleaned.append(lower)
                }
            }
        }
        // ASCII is its own NFC and NFD: only other text goes through Foundation's normalization
        let normalized = cleaned.allSatisfy(\.isASCII) ? Array(cleaned) : Array(String(cleaned).precomposedStringWithCanonicalMapping.unicodeScalars)
        var words: [[Unicode.Scalar]] = []
        for token in splitAtWhitespace(normalized) {
            var lowered = String.UnicodeScalarView()
            for scalar in token { lowered.append(contentsOf: lowercased(scalar)) }
            let stripped = lowered.allSatisfy(\.isASCII)
                ? Array(lowered)
                : String(lowered).decomposedStringWithCanonicalMapping.unicodeScalars.filter { $0.properties.generalCategory != .nonspacingMark }
            var current: [Unicode.Scalar] = []
            for scalar in stripped {
                if isPunctuation(scalar) {
                    if !current.isEmpty { words.append(current) }
                    words.append([scalar])
                    current = []
                } else {
                    current.append(scalar)
                }
            }
            if !current.isEmpty { words.append(current) }
        }
        return words.flatMap(splitAtWhitespace)
    }

    /// The runs of non-whitespace scalars (Python's `str.split()`; after cleaning, the whitespace
    /// left is `' '`, U+2028 and U+2029, which both Python and Unicode's White_Space count).
    static func splitAtWhitespace(_ scalars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        scalars.split(whereSeparator: { $0.properties.isWhitespace }).map(Array.init)
    }

    /// The full lower-case mapping of one scalar (one or more scalars).
    static func lowercased(_ scalar: Unicode.Scalar) -> String.UnicodeScalarView {
        if scalar.isASCII {
            let v = scalar.value
            return String.UnicodeScalarView(CollectionOfOne((65...90).contains(v) ? Unicode.Scalar(v + 32)! : scalar))
        }
        return scalar.properties.lowercaseMapping.unicodeScalars
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s.properties.generalCategory == .spaceSeparator
    }

    static func isControl(_ s: Unicode.Scalar) -> Bool {
        if s == "\t" || s == "\n" || s == "\r" { return false }
        switch s.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if (33...47).contains(v) || (58...64).contains(v) || (91...96).contains(v) || (123...126).contains(v) { return true }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
            .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }
}
