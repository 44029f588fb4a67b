import Foundation

/// The kernel behind every random tensor: fills a range of flat indices of a buffer with draws
/// from a ``Distribution``, 32 elements (eight Philox blocks) per step.
enum RandomFill {
    /// Fills `out[range]` with the elements `range` of the draw identified by `key`.
    static func fill(
        _ out: UnsafeMutablePointer<Float>, range: Range<Int>, distribution: Distribution, key: RandomKey
    ) {
        let sampler = Sampler(distribution)
        let lanes = SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        let firstGroup = range.lowerBound / 32
        let lastGroup = (range.upperBound + 31) / 32
        var scratch = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())
        for group in firstGroup..<lastGroup {
            let block = UInt64(group) * 8
            let (w0, w1, w2, w3) = Philox4x32.blocks8(
                low: SIMD8(repeating: UInt32(truncatingIfNeeded: block)) &+ lanes,
                high: UInt32(truncatingIfNeeded: block >> 32), stream: 0, key: key.pair)
            let start = group * 32
            if start >= range.lowerBound && start + 32 <= range.upperBound {
                sampler.write(w0, w1, w2, w3, to: UnsafeMutableRawPointer(out + start))
            } else {
                withUnsafeMutableBytes(of: &scratch) { raw in
                    sampler.write(w0, w1, w2, w3, to: raw.baseAddress!)
                    let v = raw.bindMemory(to: Float.self)
                    for i in Swift.max(start, range.lowerBound)..<Swift.min(start + 32, range.upperBound) {
                        out[i] = v[i - start]
                    }
                }
            }
        }
    }

    /// Precomputed constants of a distribution and the map from four words to 32 values.
    struct Sampler {
        enum Kind { case uniform, normal, truncated, bernoulli }
        let kind: Kind
        let a: Float, b: Float, c: Float, d: Float

        init(_ distribution: Distribution) {
            switch distribution {
            case let .uniform(low, high):
                (kind, a, b, c, d) = (.uniform, low, high - low, 0, 0)
            case let .normal(mean, std):
                (kind, a, b, c, d) = (.normal, mean, std, 0, 0)
            case let .truncatedNormal(mean, std, _, _):
                let bounds = distribution.standardizedBounds!
                let lo = 2 * Gaussian.cdf(bounds.a) - 1
                let hi = 2 * Gaussian.cdf(bounds.b) - 1
                (kind, a, b, c, d) = (.truncated, mean, std * Float(2.0.squareRoot()), Float(lo), Float(hi - lo))
            case let .bernoulli(p):
                (kind, a, b, c, d) = (.bernoulli, p, 0, 0, 0)
            }
        }

        /// Maps four words of eight lanes to 32 values and stores them at `p` (128 bytes), one
        /// vector at a time so few values are live at once (the baseline x86-64 register file
        /// holds only sixteen 128-bit vectors).
        @inline(__always)
        func write(_ w0: SIMD8<UInt32>, _ w1: SIMD8<UInt32>, _ w2: SIMD8<UInt32>, _ w3: SIMD8<UInt32>, to p: UnsafeMutableRawPointer) {
            switch kind {
            case .uniform:
                p.storeBytes(of: VectorMath.unitInterval(w0) * b + a, toByteOffset: 0, as: SIMD8<Float>.self)
                p.storeBytes(of: VectorMath.unitInterval(w1) * b + a, toByteOffset: 32, as: SIMD8<Float>.self)
                p.storeBytes(of: VectorMath.unitInterval(w2) * b + a, toByteOffset: 64, as: SIMD8<Float>.self)
                p.storeBytes(of: VectorMath.unitInterval(w3) * b + a, toByteOffset: 96, as: SIMD8<Float>.self)
            case .normal:
                let (z0, z1) = boxMuller(w0, w1)
                p.storeBytes(of: z0 * b + a, toByteOffset: 0, as: SIMD8<Float>.self)
                p.storeBytes(of: z1 * b + a, toByteOffset: 32, as: SIMD8<Float>.self)
                let (z2, z3) = boxMuller(w2, w3)
                p.storeBytes(of: z2 * b + a, toByteOffset: 64, as: SIMD8<Float>.self)
                p.storeBytes(of: z3 * b + a, toByteOffset: 96, as: SIMD8<Float>.self)
            case .truncated:
                p.storeBytes(of: truncated(w0), toByteOffset: 0, as: SIMD8<Float>.self)
                p.storeBytes(of: truncated(w1), toByteOffset: 32, as: SIMD8<Float>.self)
                p.storeBytes(of: truncated(w2), toByteOffset: 64, as: SIMD8<Float>.self)
                p.storeBytes(of: truncated(w3), toByteOffset: 96, as: SIMD8<Float>.self)
            case .bernoulli:
                p.storeBytes(of: bernoulli(w0), toByteOffset: 0, as: SIMD8<Float>.self)
                p.storeBytes(of: bernoulli(w1), toByteOffset: 32, as: SIMD8<Float>.self)
                p.storeBytes(of: bernoulli(w2), toByteOffset: 64, as: SIMD8<Float>.self)
                p.storeBytes(of: bernoulli(w3), toByteOffset: 96, as: SIMD8<Float>.self)
            }
        }

        @inline(__always)
        func boxMuller(_ u: SIMD8<UInt32>, _ v: SIMD8<UInt32>) -> (SIMD8<Float>, SIMD8<Float>) {
            let radius = VectorMath.squareRoot(-2 * VectorMath.log(VectorMath.openUnitInterval(u)))
            let (s, c) = VectorMath.sinCosTurns(VectorMath.unitInterval(v))
            return (radius * c, radius * s)
        }

        @inline(__always)
        func truncated(_ w: SIMD8<UInt32>) -> SIMD8<Float> {
            let y = VectorMath.openUnitInterval(w) * d + c
            // y.clamped(to −0.9999999…0.9999999), as two exact blends.
            let lower = SIMD8<Float>(repeating: -0.999_999_9), upper = SIMD8<Float>(repeating: 0.999_999_9)
            let atLeastLower = VectorMath.select(VectorMath.lessThanMask(y, lower), lower, else: y)
            let clampedY = VectorMath.select(VectorMath.lessThanMask(upper, atLeastLower), upper, else: atLeastLower)
            return VectorMath.erfinv(clampedY) * b + a
        }

        @inline(__always)
        func bernoulli(_ w: SIMD8<UInt32>) -> SIMD8<Float> {
            let below = VectorMath.lessThanMask(VectorMath.unitInterval(w), SIMD8(repeating: a))
            return unsafeBitCast(below & Float(1).bitPattern, to: SIMD8<Float>.self)
        }
    }
}

extension Tensor {
    /// A tensor of draws from `distribution`. Element *i* depends only on (`key`, *i*): the same
    /// key gives the same bits for any thread count (see ``Parallel``).
    public static func random(_ shape: [Int], _ distribution: Distribution, key: RandomKey) throws -> Tensor {
        try distribution.validate()
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw InitiumError.invalidShape(operation: "random", shape: shape, reason: "negative dimension")
        }
        var t = Tensor(uninitializedShape: shape)
        t.fillRandom(distribution, key: key)
        return t
    }

    /// Overwrites every element with draws from `distribution` (the distribution must be valid).
    public mutating func fillRandom(_ distribution: Distribution, key: RandomKey) {
        withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            Parallel.forEachChunk(count: buffer.count, minimumPerThread: 1 << 16) { range in
                RandomFill.fill(base, range: range, distribution: distribution, key: key)
            }
        }
    }

    /// Uniform draws on [low, high).
    public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, key: RandomKey) throws -> Tensor {
        try random(shape, .uniform(low: low, high: high), key: key)
    }

    /// Normal draws with the given mean and standard deviation.
    public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, key: RandomKey) throws -> Tensor {
        try random(shape, .normal(mean: mean, std: std), key: key)
    }

    /// A random permutation of `0..<n`: indices sorted by a 32-bit Philox word each (ties broken
    /// by index), so it depends only on the key.
    public static func permutation(_ n: Int, key: RandomKey) -> [Int] {
        var keys = [UInt64](repeating: 0, count: n)
        let lanes = SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        var group = 0
        while group * 8 < n {
            let block = UInt32(truncatingIfNeeded: group * 8)
            let (w, _, _, _) = Philox4x32.blocks8(
                low: SIMD8(repeating: block) &+ lanes, high: 0, stream: 0x7065_726D, key: key.pair)
            for l in 0..<8 where group * 8 + l < n {
                keys[group * 8 + l] = UInt64(w[l]) << 32 | UInt64(group * 8 + l)
            }
            group += 1
        }
        keys.sort()
        return keys.map { Int($0 & 0xFFFF_FFFF) }
    }
}
