/// Eight-lane loops over contiguous Float runs for the convolution, pooling and normalization
/// kernels: sums with eight partial accumulators (LLVM does not reassociate a scalar Float sum,
/// so a plain loop runs one add at a time), and copies/accumulations short enough that a
/// `memmove` call would cost more than the work. Every result depends only on the data and the
/// run length, never on threads.
enum VectorLoops {
    typealias Vector = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>) -> Vector {
        UnsafeRawPointer(p).loadUnaligned(as: Vector.self)
    }

    @inline(__always)
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vector.self)
    }

    /// Σ p[0..<n].
    @inline(__always)
    static func sum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = Vector()
        var j = 0
        while j + 8 <= n {
            acc += load(p + j)
            j += 8
        }
        var total = acc.sum()
        while j < n {
            total += p[j]
            j += 1
        }
        return total
    }

    /// (Σ (p − shift), Σ (p − shift)²): one pass for a mean and variance, shifted to a value near
    /// the mean so the squares do not cancel.
    @inline(__always)
    static func shiftedMoments(_ p: UnsafePointer<Float>, _ n: Int, shift: Float) -> (Float, Float) {
        var (s, q) = (Vector(), Vector())
        let c = Vector(repeating: shift)
        var j = 0
        while j + 8 <= n {
            let d = load(p + j) - c
            s += d
            q += d * d
            j += 8
        }
        var (total, squares) = (s.sum(), q.sum())
        while j < n {
            let d = p[j] - shift
            total += d
            squares += d * d
            j += 1
        }
        return (total, squares)
    }

    /// (Σ g, Σ g·(x − mean)).
    @inline(__always)
    static func gradientMoments(_ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int, mean: Float) -> (Float, Float) {
        var (s, q) = (Vector(), Vector())
        let m = Vector(repeating: mean)
        var j = 0
        while j + 8 <= n {
            let gv = load(g + j)
            s += gv
            q += gv * (load(x + j) - m)
            j += 8
        }
        var (total, weighted) = (s.sum(), q.sum())
        while j < n {
            total += g[j]
            weighted += g[j] * (x[j] - mean)
            j += 1
        }
        return (total, weighted)
    }

    /// dst[j] = src[j]·a + b.
    @inline(__always)
    static func affine(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int, scale a: Float, shift b: Float) {
        let (va, vb) = (Vector(repeating: a), Vector(repeating: b))
        var j = 0
        while j + 8 <= n {
            store(load(src + j) * va + vb, dst + j)
            j += 8
        }
        while j < n {
            dst[j] = src[j] * a + b
            j += 1
        }
    }

    /// dst[j] = src[j].
    @inline(__always)
    static func copy(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        var j = 0
        while j + 8 <= n {
            store(load(src + j), dst + j)
            j += 8
        }
        while j < n {
            dst[j] = src[j]
            j += 1
        }
    }

    /// dst[j] += src[j].
    @inline(__always)
    static func accumulate(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
        var j = 0
        while j + 8 <= n {
            store(load(dst + j) + load(src + j), dst + j)
            j += 8
        }
        while j < n {
            dst[j] += src[j]
            j += 1
        }
    }
}

extension VectorLoops {
    /// dst[j] = g[j]·a + x[j]·b + c (the shape of every normalization pullback).
    @inline(__always)
    static func combine(
        _ g: UnsafePointer<Float>, _ x: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>, _ n: Int,
        a: Float, b: Float, c: Float
    ) {
        let (va, vb, vc) = (Vector(repeating: a), Vector(repeating: b), Vector(repeating: c))
        var j = 0
        while j + 8 <= n {
            store(load(g + j) * va + load(x + j) * vb + vc, dst + j)
            j += 8
        }
        while j < n {
            dst[j] = g[j] * a + x[j] * b + c
            j += 1
        }
    }
}
