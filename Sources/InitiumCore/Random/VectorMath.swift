/// Eight-lane single-precision math used by the random fills, written with explicit polynomials
/// so results are identical on every machine (no dependence on the C library's `log`/`sin`) and
/// vectorise well.
enum VectorMath {
    typealias Vector = SIMD8<Float>

    /// Natural logarithm for positive normal floats. x = m·2ᵉ with m ∈ [√½, √2); with
    /// f = (m−1)/(m+1), ln m = 2·atanh f = 2(f + f³/3 + f⁵/5 + f⁷/7 + f⁹/9) (truncation < 1e-9);
    /// ln 2 is split into a high and low part so e·ln 2 adds no rounding error of its own.
    @inline(__always)
    static func log(_ x: Vector) -> Vector {
        let bits = unsafeBitCast(x, to: SIMD8<UInt32>.self)
        let mantissa = (bits & 0x007F_FFFF) | 0x3F80_0000
        // m > √2 as an integer comparison of the (positive) bit patterns: all ones where true.
        let large = unsafeBitCast(
            unsafeBitCast(SIMD8<UInt32>(repeating: Float(1.414_213_56).bitPattern) &- mantissa, to: SIMD8<Int32>.self) &>> 31,
            to: SIMD8<UInt32>.self)
        let unit = unsafeBitCast(mantissa, to: Vector.self)
        let m = select(large, unit * 0.5, else: unit)
        let exponent = unsafeBitCast((bits &>> 23) &- 127 &+ (large & 1), to: SIMD8<Int32>.self)
        let f = (m - 1) / (m + 1)
        let f2 = f * f
        var p = f2 * (1.0 / 9.0) + (1.0 / 7.0)
        p = p * f2 + (1.0 / 5.0)
        p = p * f2 + (1.0 / 3.0)
        p = p * f2 + 1
        let e = smallIntegerToFloat(exponent)
        return e * 0.693_359_375 + (e * -2.121_944_4e-4 + 2 * f * p)
    }

    /// sin(2πt) and cos(2πt) for t ∈ [0, 1]. The turn t is reduced exactly to r ∈ [−⅛, ⅛] and a
    /// quadrant; sin and cos of x = 2πr ∈ [−π/4, π/4] use Taylor polynomials through x⁹ and x¹⁰
    /// (truncation below 2e-9).
    @inline(__always)
    static func sinCosTurns(_ t: Vector) -> (sin: Vector, cos: Vector) {
        // Adding 1.5·2²³ rounds t·4 ∈ [0, 4] to the nearest integer, ties to even (exactly
        // `rounded(.toNearestOrEven)`), and leaves that integer in the low mantissa bits.
        let shifted = t * 4 + roundingMagic
        let q = shifted - roundingMagic
        let x = (t - q * 0.25) * 6.283_185_307_179_586
        let x2 = x * x
        var s = x2 * (1.0 / 362_880.0) - (1.0 / 5040.0)
        s = s * x2 + (1.0 / 120.0)
        s = s * x2 - (1.0 / 6.0)
        s = (s * x2) * x + x
        var c = x2 * (-1.0 / 3_628_800.0) + (1.0 / 40320.0)
        c = c * x2 - (1.0 / 720.0)
        c = c * x2 + (1.0 / 24.0)
        c = c * x2 - 0.5
        c = c * x2 + 1
        let quadrant = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) & 3
        let zero = SIMD8<UInt32>(repeating: 0)
        let swap = zero &- (quadrant & 1)
        let negate = zero &- (quadrant &>> 1)
        let sinOut = select(swap, c, else: s)
        let cosOut = select(swap, -s, else: c)
        // `-x` on SIMD floats is 0 − x (so −0 becomes +0); kept as is for identical bits.
        return (select(negate, -sinOut, else: sinOut), select(negate, -cosOut, else: cosOut))
    }

    /// The inverse error function on (−1, 1), by M. Giles' single-precision approximation
    /// ("Approximating the erfinv function", GPU Computing Gems Jade, 2011): with w = −ln(1−x²),
    /// a degree-8 polynomial in w − 2.5 for w < 5 and in √w − 3 otherwise, times x.
    @inline(__always)
    static func erfinv(_ x: Vector) -> Vector {
        let w = -log((1 - x) * (1 + x))
        let a = w - 2.5
        var p = a * 2.810_226_36e-08 + 3.432_739_39e-07
        p = p * a - 3.523_387_7e-06
        p = p * a - 4.391_506_54e-06
        p = p * a + 0.000_218_580_87
        p = p * a - 0.001_253_725_03
        p = p * a - 0.004_177_681_64
        p = p * a + 0.246_640_727
        p = p * a + 1.501_409_41
        // w ≥ 5 via the sign of w − 5 (exact for finite w): all ones where true.
        let below = unsafeBitCast(unsafeBitCast(w - 5, to: SIMD8<Int32>.self) &>> 31, to: SIMD8<UInt32>.self)
        // The tail branch only matters for |x| > 0.9966 (never for a normal truncated within ±2.9σ),
        // so it is evaluated only when some lane needs it; the blend below is the same either way.
        let lanes = unsafeBitCast(below, to: SIMD4<UInt64>.self)
        guard lanes[0] & lanes[1] & lanes[2] & lanes[3] != .max else { return p * x }
        let b = squareRoot(w) - 3
        var r = b * -0.000_200_214_257 + 0.000_100_950_558
        r = r * b + 0.001_349_343_22
        r = r * b - 0.003_673_428_44
        r = r * b + 0.005_739_507_73
        r = r * b - 0.007_622_461_3
        r = r * b + 0.009_438_870_47
        r = r * b + 1.001_674_06
        r = r * b + 2.832_976_82
        return select(below, p, else: r) * x
    }

    /// Uniform floats in [0, 1) from the top 24 bits of each word.
    @inline(__always)
    static func unitInterval(_ words: SIMD8<UInt32>) -> Vector {
        top24BitsToFloat(words) * 0x1p-24
    }

    /// Uniform floats in (0, 1) from the top 24 bits (centred in their bin, so never 0 or 1).
    @inline(__always)
    static func openUnitInterval(_ words: SIMD8<UInt32>) -> Vector {
        (top24BitsToFloat(words) + 0.5) * 0x1p-24
    }

    /// `a` where `mask` is all ones, `b` where it is zero (a bitwise blend, exact; the generic
    /// `replace(with:where:)` is not vectorised for the baseline x86-64 target).
    @inline(__always)
    static func select(_ mask: SIMD8<UInt32>, _ a: Vector, else b: Vector) -> Vector {
        let ai = unsafeBitCast(a, to: SIMD8<UInt32>.self)
        let bi = unsafeBitCast(b, to: SIMD8<UInt32>.self)
        return unsafeBitCast((ai & mask) | (bi & ~mask), to: Vector.self)
    }

    /// All ones where a < b, zero elsewhere, from the sign of a − b (exact: a − b is negative
    /// exactly when a < b, for finite a and b).
    @inline(__always)
    static func lessThanMask(_ a: Vector, _ b: Vector) -> SIMD8<UInt32> {
        unsafeBitCast(unsafeBitCast(a - b, to: SIMD8<Int32>.self) &>> 31, to: SIMD8<UInt32>.self)
    }

    /// The correctly rounded square root of every lane, for lanes that are ≥ +0 or whose result
    /// is discarded (√|x| differs from √x only for x = −0, which the callers never keep).
    ///
    /// On Linux `Float.squareRoot()` is the C library's `sqrtf` with errno handling, which the
    /// compiler cannot vectorise; on an argument it can prove non-negative (a magnitude) it uses
    /// the IEEE square-root instruction instead, four lanes at a time — the same correctly
    /// rounded result.
    @inline(__always)
    static func squareRoot(_ x: Vector) -> Vector {
        Vector(
            x[0].magnitude.squareRoot(), x[1].magnitude.squareRoot(), x[2].magnitude.squareRoot(), x[3].magnitude.squareRoot(),
            x[4].magnitude.squareRoot(), x[5].magnitude.squareRoot(), x[6].magnitude.squareRoot(), x[7].magnitude.squareRoot())
    }

    /// 1.5·2²³: adding it to a float of magnitude below 2²² rounds to an integer (ties to even).
    static let roundingMagic: Float = 12_582_912

    /// Float(v) for v = word >> 8 < 2²⁴, exactly, with integer and float operations that
    /// vectorise on every x86-64 (the generic SIMD integer-to-float conversion does not): 2²³ + ⌊v/2⌋
    /// is assembled in the mantissa, 2²³ subtracted, doubled, and v's low bit added back; every
    /// step is exact, so the result equals `Float(v)` bit for bit.
    @inline(__always)
    static func top24BitsToFloat(_ words: SIMD8<UInt32>) -> Vector {
        let half = unsafeBitCast((words &>> 9) | 0x4B00_0000, to: Vector.self) - 8_388_608
        let lowBit = unsafeBitCast((SIMD8<UInt32>(repeating: 0) &- ((words &>> 8) & 1)) & 0x3F80_0000, to: Vector.self)
        return half * 2 + lowBit
    }

    /// Float(e) for |e| < 2²², exactly (1.5·2²³ + e assembled in the mantissa, then subtracted).
    @inline(__always)
    static func smallIntegerToFloat(_ e: SIMD8<Int32>) -> Vector {
        unsafeBitCast(e &+ 0x4B40_0000, to: Vector.self) - roundingMagic
    }
}

extension Float {
    /// The inverse error function, by the same approximation the random fills use.
    public static func erfinv(_ x: Float) -> Float {
        VectorMath.erfinv(SIMD8(repeating: x))[0]
    }
}
