import InitiumCore
import InitiumNN
import InitiumSpec

extension ModelSpec {
    /// This keyed spec (`family:key=value,…`) with `keys` set: a key present is replaced in place,
    /// a new one appended; throws when the spec is not keyed or the family refuses the result.
    /// `gpt:layers=4,width=128`.settingKeys([("width", "256")]) is `gpt:layers=4,width=256`.
    public func settingKeys(_ keys: [(key: String, value: String)]) throws -> ModelSpec {
        guard !keys.isEmpty else { return self }
        func notKeyed() -> InitiumError {
            .invalidSpec(kind: "model", spec: text, reason: "options can only be set on a keyed model spec (family:key=value,…)")
        }
        guard let colon = text.firstIndex(of: ":") else { throw notKeyed() }
        var pairs: [(key: String, value: String)] = []
        for pair in SpecSyntax.splitList(String(text[text.index(after: colon)...])) {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw notKeyed() }
            pairs.append((parts[0], parts[1]))
        }
        for (key, value) in keys {
            if let index = pairs.firstIndex(where: { $0.key == key }) {
                pairs[index].value = value
            } else {
                pairs.append((key, value))
            }
        }
        return try ModelSpec(String(text[..<colon]) + ":" + pairs.map { "\($0.key)=\($0.value)" }.joined(separator: ","))
    }
}
