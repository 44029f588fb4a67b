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
    @inline(__always)
    static func blocks4(
        low: SIMD4<UInt32>, high: UInt32, stream: UInt32, key: (UInt32, UInt32)
    ) -> (SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>, SIMD4<UInt32>) {
        var c0 = low
        var c1 = SIMD4<UInt32>(repeating: high)
        var c2 = SIMD4<UInt32>(repeating: stream)
        var c3 = SIMD4<UInt32>(repeating: 0)
        var (k0, k1) = key
        for round in 0..<10 {
            if round > 0 {
                k0 &+= weyl0
                k1 &+= weyl1
            }
            let (hi0, lo0) = multiplyFull(c0, by: multiplier0)
            let (hi1, lo1) = multiplyFull(c2, by: multiplier1)
            let n0 = hi1 ^ c1 ^ SIMD4(repeating: k0)
            let n2 = hi0 ^ c3 ^ SIMD4(repeating: k1)
            (c0, c1, c2, c3) = (n0, lo1, n2, lo0)
        }
        return (c0, c1, c2, c3)
    }

    /// The high and low 32 bits of x[lane]·m for every lane.
    @inline(__always)
    static func multiplyFull(_ x: SIMD4<UInt32>, by m: UInt32) -> (high: SIMD4<UInt32>, low: SIMD4<UInt32>) {
        let wide = unsafeBitCast(x, to: SIMD2<UInt64>.self)
        let multiplier = SIMD2<UInt64>(repeating: UInt64(m))
        let lowHalf = SIMD2<UInt64>(repeating: 0xFFFF_FFFF)
        let even = (wide & lowHalf) &* multiplier
        let odd = (wide &>> 32) &* multiplier
        let low = (even & lowHalf) | (odd &<< 32)
        let high = (even &>> 32) | (odd & ~lowHalf)
        return (unsafeBitCast(high, to: SIMD4<UInt32>.self), unsafeBitCast(low, to: SIMD4<UInt32>.self))
    }
}
