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

extension Tensor {
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
