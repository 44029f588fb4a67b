/// One-dimensional root finding shared by the fixed-point, edge-of-chaos and recipe solvers.
enum RootFinding {
    /// Brent's method (Brent, "Algorithms for Minimization without Derivatives", 1973, ch. 4):
    /// inverse quadratic interpolation and secant steps, falling back to bisection so the bracket
    /// always shrinks. Requires f(a) and f(b) of opposite sign (or one of them zero); otherwise it
    /// throws `unsupported` naming `quantity`, since callers establish the bracket first.
    static func brent(
        _ lower: Double, _ upper: Double, absoluteTolerance: Double = 0, maximumIterations: Int = 200,
        solving quantity: String = "the equation", _ f: (Double) throws -> Double
    ) throws -> Double {
        var a = lower
        var b = upper
        var fa = try f(a)
        var fb = try f(b)
        if fa == 0 { return a }
        if fb == 0 { return b }
        guard (fa > 0) != (fb > 0) else {
            throw TheoryError.unsupported(
                "could not bracket a root of \(quantity) in [\(formatNumber(lower)), \(formatNumber(upper))]")
        }
        var c = a
        var fc = fa
        var step = b - a
        var previousStep = step
        for _ in 0..<maximumIterations {
            if (fb > 0) == (fc > 0) {
                c = a
                fc = fa
                step = b - a
                previousStep = step
            }
            if abs(fc) < abs(fb) {
                (a, b, c) = (b, c, b)
                (fa, fb, fc) = (fb, fc, fb)
            }
            let tolerance = 2 * Double.ulpOfOne * abs(b) + 0.5 * absoluteTolerance
            let half = 0.5 * (c - b)
            if abs(half) <= tolerance || fb == 0 { return b }
            if abs(previousStep) >= tolerance, abs(fa) > abs(fb) {
                let s = fb / fa
                var p: Double
                var q: Double
                if a == c {
                    p = 2 * half * s
                    q = 1 - s
                } else {
                    let t = fa / fc
                    let r = fb / fc
                    p = s * (2 * half * t * (t - r) - (b - a) * (r - 1))
                    q = (t - 1) * (r - 1) * (s - 1)
                }
                if p > 0 { q = -q } else { p = -p }
                if 2 * p < min(3 * half * q - abs(tolerance * q), abs(previousStep * q)) {
                    previousStep = step
                    step = p / q
                } else {
                    step = half
                    previousStep = half
                }
            } else {
                step = half
                previousStep = half
            }
            a = b
            fa = fb
            b += abs(step) > tolerance ? step : (half > 0 ? tolerance : -tolerance)
            fb = try f(b)
        }
        return b
    }

    /// Newton's method kept inside a sign-change bracket [lower, upper]: a step that leaves the
    /// bracket or does not halve |f| is replaced by bisection. `f` returns (value, slope).
    static func safeguardedNewton(
        _ lower: Double, _ upper: Double, start: Double, relativeTolerance: Double = 1e-14,
        maximumIterations: Int = 100, _ f: (Double) throws -> (value: Double, slope: Double)
    ) throws -> Double {
        var low = lower
        var high = upper
        let lowSign = try f(low).value > 0
        var x = min(max(start, low), high)
        var previousMagnitude = Double.infinity
        for _ in 0..<maximumIterations {
            let (value, slope) = try f(x)
            if value == 0 { return x }
            if (value > 0) == lowSign { low = x } else { high = x }
            var next = x - value / slope
            if !(next > low && next < high) || abs(value) > 0.5 * previousMagnitude {
                next = 0.5 * (low + high)
            }
            previousMagnitude = abs(value)
            if abs(next - x) <= relativeTolerance * max(abs(x), Double.leastNormalMagnitude) || high - low <= relativeTolerance * abs(high) {
                return next
            }
            x = next
        }
        return x
    }
}
