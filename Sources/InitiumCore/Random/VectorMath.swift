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
        var exponent = SIMD8<Int32>(truncatingIfNeeded: bits &>> 23) &- 127
        var m = unsafeBitCast((bits & 0x007F_FFFF) | 0x3F80_0000, to: Vector.self)
        let large = m .> 1.414_213_56
        m.replace(with: m * 0.5, where: large)
        exponent.replace(with: exponent &+ 1, where: large)
        let f = (m - 1) / (m + 1)
        let f2 = f * f
        var p = f2 * (1.0 / 9.0) + (1.0 / 7.0)
        p = p * f2 + (1.0 / 5.0)
        p = p * f2 + (1.0 / 3.0)
        p = p * f2 + 1
        let e = Vector(exponent)
        return e * 0.693_359_375 + (e * -2.121_944_4e-4 + 2 * f * p)
    }

    /// sin(2πt) and cos(2πt) for t ∈ [0, 1]. The turn t is reduced exactly to r ∈ [−⅛, ⅛] and a
    /// quadrant; sin and cos of x = 2πr ∈ [−π/4, π/4] use Taylor polynomials through x⁹ and x¹⁰
    /// (truncation below 2e-9).
    @inline(__always)
    static func sinCosTurns(_ t: Vector) -> (sin: Vector, cos: Vector) {
        let q = (t * 4).rounded(.toNearestOrEven)
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
        let quadrant = SIMD8<Int32>(q) & 3
        let swap = (quadrant & 1) .== 1
        var sinOut = s, cosOut = c
        sinOut.replace(with: c, where: swap)
        cosOut.replace(with: -s, where: swap)
        let negate = quadrant .>= 2
        sinOut.replace(with: -sinOut, where: negate)
        cosOut.replace(with: -cosOut, where: negate)
        return (sinOut, cosOut)
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
        let b = w.squareRoot() - 3
        var r = b * -0.000_200_214_257 + 0.000_100_950_558
        r = r * b + 0.001_349_343_22
        r = r * b - 0.003_673_428_44
        r = r * b + 0.005_739_507_73
        r = r * b - 0.007_622_461_3
        r = r * b + 0.009_438_870_47
        r = r * b + 1.001_674_06
        r = r * b + 2.832_976_82
        p.replace(with: r, where: w .>= 5)
        return p * x
    }

    /// Uniform floats in [0, 1) from the top 24 bits of each word.
    @inline(__always)
    static func unitInterval(_ words: SIMD8<UInt32>) -> Vector {
        Vector(words &>> 8) * 0x1p-24
    }

    /// Uniform floats in (0, 1) from the top 24 bits (centred in their bin, so never 0 or 1).
    @inline(__always)
    static func openUnitInterval(_ words: SIMD8<UInt32>) -> Vector {
        (Vector(words &>> 8) + 0.5) * 0x1p-24
    }
}

extension Float {
    /// The inverse error function, by the same approximation the random fills use.
    public static func erfinv(_ x: Float) -> Float {
        VectorMath.erfinv(SIMD8(repeating: x))[0]
    }
}
