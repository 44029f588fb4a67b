/// Eight-lane exp, expm1, tanh and the logistic function for activations, with explicit
/// polynomials (relative error ≲ 2e-7, checked against libm in tests) so they vectorise.
extension VectorMath {
    /// eˣ: x = n·ln 2 + r with |r| ≤ ln2/2, eʳ by its Taylor series through r⁸ (truncation
    /// < 1e-10), times 2ⁿ built in the exponent bits. Inputs are clamped to [−87, 88].
    @inline(__always)
    static func exp(_ x: Vector) -> Vector {
        // Clamp with exact sign-bit masks (the generic SIMD min/max/rounding/conversions are not
        // specialised on baseline x86-64); n = round(x·log₂e) by the 1.5·2²³ trick, which also
        // leaves n in the low mantissa bits for building 2ⁿ.
        var clamped = select(lessThanMask(x, Vector(repeating: -87)), Vector(repeating: -87), else: x)
        clamped = select(lessThanMask(Vector(repeating: 88), clamped), Vector(repeating: 88), else: clamped)
        let shifted = clamped * 1.442_695_040_888_963_4 + roundingMagic
        let n = shifted - roundingMagic
        let r = (clamped - n * 0.693_359_375) - n * -2.121_944_400_546_905_8e-4
        var p = r * (1.0 / 40320.0) + (1.0 / 5040.0)
        p = p * r + (1.0 / 720.0)
        p = p * r + (1.0 / 120.0)
        p = p * r + (1.0 / 24.0)
        p = p * r + (1.0 / 6.0)
        p = p * r + 0.5
        p = p * r + 1
        p = p * r + 1
        let exponent = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
        return p * unsafeBitCast(exponent, to: Vector.self)
    }

    /// eˣ − 1 without cancellation near 0: the Taylor series through x⁹ for |x| < 0.3
    /// (truncation < 3e-11), else exp(x) − 1.
    @inline(__always)
    static func expm1(_ x: Vector) -> Vector {
        var p = x * (1.0 / 362_880.0) + (1.0 / 40320.0)
        p = p * x + (1.0 / 5040.0)
        p = p * x + (1.0 / 720.0)
        p = p * x + (1.0 / 120.0)
        p = p * x + (1.0 / 24.0)
        p = p * x + (1.0 / 6.0)
        p = p * x + 0.5
        p = (p * x) * x + x
        return select(lessThanMask(magnitude(x), Vector(repeating: 0.3)), p, else: exp(x) - 1)
    }

    /// tanh x: the odd Taylor series through x¹⁵ for |x| < 0.55 (truncation < 4e-8 relative),
    /// else sign(x)·(1 − 2/(e^{2|x|} + 1)).
    @inline(__always)
    static func tanh(_ x: Vector) -> Vector {
        let a = magnitude(x)
        let large = 1 - 2 / (exp(2 * a) + 1)
        let x2 = x * x
        var p = x2 * (-929_569.0 / 638_512_875.0) + (21844.0 / 6_081_075.0)
        p = p * x2 - (1382.0 / 155_925.0)
        p = p * x2 + (62.0 / 2835.0)
        p = p * x2 - (17.0 / 315.0)
        p = p * x2 + (2.0 / 15.0)
        p = p * x2 - (1.0 / 3.0)
        p = (p * x2) * x + x
        let signed = unsafeBitCast(
            unsafeBitCast(large, to: SIMD8<UInt32>.self) | (unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x8000_0000), to: Vector.self)
        return select(lessThanMask(a, Vector(repeating: 0.55)), p, else: signed)
    }

    /// |x| lane by lane (clears the sign bit).
    @inline(__always)
    static func magnitude(_ x: Vector) -> Vector {
        unsafeBitCast(unsafeBitCast(x, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: Vector.self)
    }

    /// `v` where v > 0, else `other` (exact blend by the sign of 0 − v).
    @inline(__always)
    static func positivePart(_ v: Vector, else other: Vector) -> Vector {
        select(lessThanMask(Vector(repeating: 0), v), v, else: other)
    }

    /// The standard normal CDF Φ(x) = ½·erfc(−x/√2), with erfc(z) from Numerical Recipes'
    /// Chebyshev fit (Press et al., "Numerical Recipes", 2nd ed., §6.2 `erfcc`: fractional error
    /// < 1.2e-7 everywhere): t = 1/(1 + |z|/2), erfc|z| = t·exp(−z² + P(t)), erfc(−|z|) = 2 − erfc|z|.
    /// The fractional accuracy of erfc carries over to Φ's lower tail, so x·Φ(x) (GELU) keeps
    /// its relative accuracy for negative x.
    @inline(__always)
    static func normalCDF(_ x: Vector) -> Vector {
        let z = x * -0.707_106_781_186_547_5
        let a = magnitude(z)
        let t = 1 / (1 + 0.5 * a)
        var p = t * 0.170_872_77 - 0.822_152_23
        p = p * t + 1.488_515_87
        p = p * t - 1.135_203_98
        p = p * t + 0.278_868_07
        p = p * t - 0.186_288_06
        p = p * t + 0.096_784_18
        p = p * t + 0.374_091_96
        p = p * t + 1.000_023_68
        p = p * t - 1.265_512_23
        let upper = t * exp(p - a * a)
        return 0.5 * select(lessThanMask(z, Vector(repeating: 0)), 2 - upper, else: upper)
    }

    /// The logistic function 1/(1 + e⁻ˣ).
    @inline(__always)
    static func logistic(_ x: Vector) -> Vector {
        1 / (1 + exp(-x))
    }
}

extension VectorMath {
    /// sinc u = sin u/u (1 at u = 0) and its derivative (u cos u − sin u)/u² = (cos u − sinc u)/u.
    /// For |u| < 1 both use their Taylor series (through u¹⁰ and u¹¹; truncation below 2e-10), which
    /// avoids 0/0 at u = 0 and the cancellation in u cos u − sin u near it; elsewhere the
    /// quotients of ``sinCos(_:)``.
    @inline(__always)
    static func sincAndSlope(_ u: Vector) -> (value: Vector, slope: Vector) {
        let (s, c) = sinCos(u)
        let value = s / u
        let slope = (c - value) / u
        let u2 = u * u
        var v = u2 * (-1.0 / 39_916_800.0) + (1.0 / 362_880.0)
        v = v * u2 - (1.0 / 5040.0)
        v = v * u2 + (1.0 / 120.0)
        v = v * u2 - (1.0 / 6.0)
        v = v * u2 + 1
        var d = u2 * (1.0 / 518_918_400.0) - (1.0 / 3_991_680.0)
        d = d * u2 + (1.0 / 45360.0)
        d = d * u2 - (1.0 / 840.0)
        d = d * u2 + (1.0 / 30.0)
        d = d * u2 - (1.0 / 3.0)
        d = d * u
        let small = lessThanMask(magnitude(u), Vector(repeating: 1))
        return (select(small, v, else: value), select(small, d, else: slope))
    }
}

extension Tensor {
    /// Applies an eight-lane function to pairs of elements of two tensors of the same shape (the
    /// tail padded with zeros), without recording a pullback; the result has this tensor's shape.
    @inline(__always)
    func zippedVectorized(with other: Tensor, _ f: (SIMD8<Float>, SIMD8<Float>) -> SIMD8<Float>) -> Tensor {
        precondition(count == other.count, "zippedVectorized: \(shape) and \(other.shape) differ in size")
        let out = Tensor(uninitializedShape: shape)
        let a = storage.base, b = other.storage.base, dst = out.storage.base
        let n = count
        var i = 0
        while i + 8 <= n {
            let u = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD8<Float>.self)
            let v = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: f(u, v), as: SIMD8<Float>.self)
            i += 8
        }
        if i < n {
            var u = SIMD8<Float>(repeating: 0), v = SIMD8<Float>(repeating: 0)
            for j in 0..<(n - i) {
                u[j] = a[i + j]
                v[j] = b[i + j]
            }
            let result = f(u, v)
            for j in 0..<(n - i) { dst[i + j] = result[j] }
        }
        return out
    }

    /// Applies an eight-lane function to every element (the tail padded with zeros), without
    /// recording a pullback. Elementwise results do not depend on the position in the vector.
    @inline(__always)
    func mappedVectorized(_ f: (SIMD8<Float>) -> SIMD8<Float>) -> Tensor {
        let out = Tensor(uninitializedShape: shape)
        let src = storage.base, dst = out.storage.base
        let n = count
        var i = 0
        while i + 8 <= n {
            let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: f(v), as: SIMD8<Float>.self)
            i += 8
        }
        if i < n {
            var tail = SIMD8<Float>(repeating: 0)
            for j in 0..<(n - i) { tail[j] = src[i + j] }
            let result = f(tail)
            for j in 0..<(n - i) { dst[i + j] = result[j] }
        }
        return out
    }
}

extension VectorMath {
    /// sin x and cos x for any finite x, eight lanes at a time (Cody & Waite, "Software Manual for
    /// the Elementary Functions", 1980, reduction; Moshier's Cephes `sinf`/`cosf` polynomials).
    ///
    /// x = n·π/2 + r with n = round(2x/π) and r ∈ [−π/4, π/4], computed as ((x − n·C₁) − n·C₂) − n·C₃
    /// with π/2 = C₁ + C₂ + C₃ split (8, 11 and 24 bits) so that n·C₁ and n·C₂ are exact for |n| < 2¹³
    /// (|x| ≲ 1.2·10⁴):
    /// the reduced argument keeps an absolute error of a few 10⁻⁸ however large x is in that range
    /// (SIREN's ω·x reaches ~100). sin r = r + r³·P(r²), cos r = 1 − r²/2 + r⁴·Q(r²) (errors below
    /// 1 ulp on [−π/4, π/4]); the quadrant n mod 4 swaps and negates them. Beyond 2¹³·π/2 the
    /// result loses accuracy gradually (no Payne–Hanek reduction); it stays in [−1, 1].
    @inline(__always)
    static func sinCos(_ x: Vector) -> (sin: Vector, cos: Vector) {
        // 2/π·x rounded to the nearest integer by the 1.5·2²³ trick; the integer stays in the low
        // mantissa bits, which give the quadrant (two's complement keeps n mod 4 right for n < 0).
        // Clamped so the trick stays exact; |x| > 2²¹ has no meaningful Float32 phase anyway.
        let limit = Vector(repeating: 4_194_304)
        var t = x * 0.636_619_772_367_581_3
        t = select(lessThanMask(t, -limit), -limit, else: t)
        t = select(lessThanMask(limit, t), limit, else: t)
        let shifted = t + roundingMagic
        let n = shifted - roundingMagic
        let r = ((x - n * 1.570_312_5) - n * 4.837_512_969_970_703_1e-4) - n * 7.549_789_954_891_882_1e-8
        let r2 = r * r
        var s = r2 * -1.951_529_589_1e-4 + 8.332_160_873_6e-3
        s = s * r2 - 1.666_665_461_1e-1
        s = (s * r2) * r + r
        var c = r2 * 2.443_315_711_809_948e-5 - 1.388_731_625_493_765e-3
        c = c * r2 + 4.166_664_568_298_827e-2
        c = (c * r2) * r2 - 0.5 * r2 + 1
        let quadrant = unsafeBitCast(shifted, to: SIMD8<UInt32>.self) & 3
        let zero = SIMD8<UInt32>(repeating: 0)
        let swap = zero &- (quadrant & 1)
        let sinNegate = zero &- (quadrant &>> 1)
        let cosNegate = zero &- (((quadrant &+ 1) & 3) &>> 1)
        let sinOut = select(swap, c, else: s)
        let cosOut = select(swap, s, else: c)
        return (select(sinNegate, -sinOut, else: sinOut), select(cosNegate, -cosOut, else: cosOut))
    }

    /// sin x (see ``sinCos(_:)``).
    @inline(__always)
    static func sin(_ x: Vector) -> Vector { sinCos(x).sin }

    /// cos x (see ``sinCos(_:)``).
    @inline(__always)
    static func cos(_ x: Vector) -> Vector { sinCos(x).cos }
}
