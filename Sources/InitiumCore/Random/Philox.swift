/// Philox4x32-10, the counter-based generator of Salmon et al., "Parallel Random Numbers: As Easy
/// as 1, 2, 3", SC 2011: a keyed bijection of 128-bit counters built from ten rounds of two
/// 32×32→64-bit multiplications. The output for a counter depends only on (key, counter), which is
/// what makes every random draw in Initium independent of thread count and chunking.
public enum Philox4x32 {
    static let multiplier0: UInt32 = 0xD251_1F53
    static let multiplier1: UInt32 = 0xCD9E_8D57
    static let weyl0: UInt32 = 0x9E37_79B9
    static let weyl1: UInt32 = 0xBB67_AE85

    /// The four output words for one counter block.
    public static func block(counter: (UInt32, UInt32, UInt32, UInt32), key: (UInt32, UInt32)) -> (UInt32, UInt32, UInt32, UInt32) {
        var (c0, c1, c2, c3) = counter
        var (k0, k1) = key
        for round in 0..<10 {
            if round > 0 {
                k0 &+= weyl0
                k1 &+= weyl1
            }
            let p0 = UInt64(multiplier0) &* UInt64(c0)
            let p1 = UInt64(multiplier1) &* UInt64(c2)
            let (hi0, lo0) = (UInt32(truncatingIfNeeded: p0 >> 32), UInt32(truncatingIfNeeded: p0))
            let (hi1, lo1) = (UInt32(truncatingIfNeeded: p1 >> 32), UInt32(truncatingIfNeeded: p1))
            (c0, c1, c2, c3) = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)
        }
        return (c0, c1, c2, c3)
    }

    /// Eight blocks at once (SIMD lanes), for counters `(low[lane], high, stream, 0)`.
    /// Lane-for-lane identical to ``block(counter:key:)``.
    ///
    /// Computed as two independent four-lane halves, whose state (four 128-bit registers) fits
    /// the baseline x86-64 register file without spills. The 32×32→64-bit products are formed on
    /// the vector viewed as two 64-bit lanes: masking keeps the even 32-bit lanes and shifting
    /// brings down the odd ones, each zero-extended, so the multiplications are `pmuludq`-shaped
    /// and no lane-by-lane integer conversion is needed (the generic SIMD conversions are not
    /// vectorised for the baseline target).
    @inline(__always)
    public static func blocks8(
        low: SIMD8<UInt32>, high: UInt32, stream: UInt32, key: (UInt32, UInt32)
    ) -> (SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>, SIMD8<UInt32>) {
        let a = blocks4(low: low.lowHalf, high: high, stream: stream, key: key)
        let b = blocks4(low: low.highHalf, high: high, stream: stream, key: key)
        return (SIMD8(lowHalf: a.0, highHalf: b.0), SIMD8(lowHalf: a.1, highHalf: b.1),
                SIMD8(lowHalf: a.2, highHalf: b.2), SIMD8(lowHalf: a.3, highHalf: b.3))
    }

    /// Four blocks at once, for counters `(low[lane], high, stream, 0)`.
    ///
    /// Each 32-bit word of the state is carried as two 64-bit-lane vectors, one for the even and
    /// one for the odd lanes, whose low halves hold the words (the high halves carry bits that are
    /// never read). A round is then four `pmuludq` products (the masks only tell the compiler
    /// that the high halves are ignored, which that instruction does anyway), four shifts for
    /// the high words and eight exclusive-ors; the low words of the products are used as they are.
    /// Interleaving back to 32-bit lanes happens once, after the ten rounds.
    @inline(__always)
    static func blocks4(
        low: SIMD4<UInt32>, high: UInt32, stream: UInt32, key: (UInt32, UInt32)
    ) -> (SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>) {
        typealias Wide = SIMD2<UInt64>
        let mask = Wide(repeating: 0xFFFF_FFFF)
        let m0 = Wide(repeating: UInt64(multiplier0)), m1 = Wide(repeating: UInt64(multiplier1))
        let counter = unsafeBitCast(low, to: Wide.self)
        var (c0e, c0o) = (counter, counter &>> 32)
        var (c1e, c1o) = (Wide(repeating: UInt64(high)), Wide(repeating: UInt64(high)))
        var (c2e, c2o) = (Wide(repeating: UInt64(stream)), Wide(repeating: UInt64(stream)))
        var (c3e, c3o) = (Wide(repeating: 0), Wide(repeating: 0))
        var (k0, k1) = key
        for round in 0..<10 {
            if round > 0 {
                k0 &+= weyl0
                k1 &+= weyl1
            }
            let p0e = (c0e & mask) &* m0, p0o = (c0o & mask) &* m0
            let p1e = (c2e & mask) &* m1, p1o = (c2o & mask) &* m1
            let key0 = Wide(repeating: UInt64(k0)), key1 = Wide(repeating: UInt64(k1))
            (c0e, c0o) = ((p1e &>> 32) ^ c1e ^ key0, (p1o &>> 32) ^ c1o ^ key0)
            (c2e, c2o) = ((p0e &>> 32) ^ c3e ^ key1, (p0o &>> 32) ^ c3o ^ key1)
            (c1e, c1o) = (p1e, p1o)
            (c3e, c3o) = (p0e, p0o)
        }
        func interleave(_ even: Wide, _ odd: Wide) -> SIMD4<UInt32> {
            unsafeBitCast((even & mask) | (odd &<< 32), to: SIMD4<UInt32>.self)
        }
        return (interleave(c0e, c0o), interleave(c1e, c1o), interleave(c2e, c2o), interleave(c3e, c3o))
    }
}
