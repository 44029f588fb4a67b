import InitiumSpec

/// Every way a computation in `InitiumTheory` can fail: bad input, or a request the mathematics
/// cannot satisfy (no fixed point, no edge of chaos). Each message is one line that names the
/// problem and, where there is one, the fix.
public enum TheoryError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An activation specification that the shared parser refused (unknown name, malformed
    /// `name(k=v,...)`, a parameter unknown or outside its domain).
    case spec(SpecError)
    /// A parameter outside its domain (e.g. a sparsity outside (0, 1), a variance map's resolution).
    case invalidParameter(name: String, value: Double, requirement: String)
    /// A variance (σ_w², σ_b², q) that is negative or not finite.
    case negativeVariance(name: String, value: Double)
    /// The variance map has no fixed point that attracts the starting variance.
    case noFixedPoint(reason: String)
    /// No weight variance puts the activation at the edge of chaos for this bias variance.
    case noEdgeOfChaos(activation: String, biasVariance: Double, reason: String)
    /// Quadrature could not reach the requested accuracy.
    case quadratureDidNotConverge(errorEstimate: Double, tolerance: Double)
    /// The computation is not defined for this input (e.g. a correlation map for maxout).
    case unsupported(String)
    /// A sparse-activation recipe whose constraints cannot all hold (e.g. it would need σ_b² < 0).
    case infeasibleRecipe(String)

    public var description: String {
        switch self {
        case let .spec(error):
            return error.description
        case let .invalidParameter(name, value, requirement):
            return "\(name) = \(formatNumber(value)) is invalid: \(name) must be \(requirement)"
        case let .negativeVariance(name, value):
            return "\(name) = \(formatNumber(value)) is invalid: a variance must be finite and non-negative"
        case let .noFixedPoint(reason):
            return "the variance map has no fixed point: \(reason)"
        case let .noEdgeOfChaos(activation, biasVariance, reason):
            return "no edge of chaos for \(activation) at sigma_b2 = \(formatNumber(biasVariance)): \(reason)"
        case let .quadratureDidNotConverge(errorEstimate, tolerance):
            guard errorEstimate.isFinite else {
                return "Gaussian quadrature produced a non-finite value; the integrand grows too fast or is undefined"
            }
            return "Gaussian quadrature did not converge (error estimate \(errorEstimate) > tolerance \(tolerance)); "
                + "the integrand may be too oscillatory or grow too fast"
        case let .unsupported(reason):
            return "unsupported: \(reason)"
        case let .infeasibleRecipe(reason):
            return "infeasible recipe: \(reason)"
        }
    }
}

extension TheoryError {
    /// Runs `body`, reporting the spec layer's error as ``spec(_:)``.
    static func wrapping<T>(_ body: () throws(SpecError) -> T) throws(TheoryError) -> T {
        do {
            return try body()
        } catch {
            throw .spec(error)
        }
    }
}
