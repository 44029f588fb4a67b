/// A key for counter-based random draws (64 bits, the key of ``Philox4x32``).
///
/// Keys are values: derive one from a seed, then `fold` in a parameter path (`"layers.3.weight"`)
/// or `split` it; every derivation is a Philox evaluation, so derived keys are as independent as
/// the generator's outputs. Element *i* of any draw depends only on (key, *i*).
public struct RandomKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The two key words.
    public let words: SIMD2<UInt32>

    /// The key for a seed (the seed's bits scrambled by SplitMix64, so nearby seeds give unrelated keys).
    public init(seed: UInt64) {
        var z = seed &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        words = SIMD2(UInt32(truncatingIfNeeded: z), UInt32(truncatingIfNeeded: z >> 32))
    }

    /// A key with the given words.
    public init(words: SIMD2<UInt32>) { self.words = words }

    var pair: (UInt32, UInt32) { (words.x, words.y) }

    /// A key derived from this one and a string, such as a parameter path. Uses the 64-bit FNV-1a
    /// hash of the UTF-8 bytes as the counter of one Philox block.
    public func fold(_ path: String) -> RandomKey {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in path.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        return derived(UInt32(truncatingIfNeeded: hash), UInt32(truncatingIfNeeded: hash >> 32), tag: 0x666F_6C64)
    }

    /// A key derived from this one and an integer (a step, a layer index, a seed replica).
    public func fold(_ value: Int) -> RandomKey {
        let v = UInt64(bitPattern: Int64(value))
        return derived(UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32), tag: 0x696E_7467)
    }

    /// `count` independent keys derived from this one.
    public func split(_ count: Int) -> [RandomKey] {
        (0..<count).map { derived(UInt32(truncatingIfNeeded: $0), 0, tag: 0x7370_6C74) }
    }

    private func derived(_ c0: UInt32, _ c1: UInt32, tag: UInt32) -> RandomKey {
        let out = Philox4x32.block(counter: (c0, c1, tag, 0x6B65_7921), key: pair)
        return RandomKey(words: SIMD2(out.0, out.1))
    }

    /// The key words in hexadecimal.
    public var description: String {
        "RandomKey(0x" + String(words.y, radix: 16) + String(repeating: "0", count: 8 - String(words.x, radix: 16).count)
            + String(words.x, radix: 16) + ")"
    }
}
