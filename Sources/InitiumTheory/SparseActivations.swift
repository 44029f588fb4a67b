import InitiumSpec

/// An edge-of-chaos initialization for a sparsity-inducing activation (Price, Daultry Ball, Lam,
/// Jones, Tanner, "Deep Neural Network Initialization with Sparsity Inducing Activations", ICLR 2024).
public struct SparseRecipe: Sendable, Equatable {
    /// The activation with its threshold (and clip level) filled in, e.g. `clipped-relu(tau=1.036…,m=1)`.
    public let activation: MeanFieldActivation
    /// s, the fraction of hidden units that output exactly zero.
    public let sparsity: Double
    /// q*, the chosen pre-activation variance at the fixed point.
    public let fixedPointVariance: Double
    /// τ, the threshold that zeroes a fraction s of N(0, q*) pre-activations.
    public let threshold: Double
    /// m, the clip level (nil for the unclipped activations).
    public let clip: Double?
    /// σ_w² = 1/E[φ′(√q* Z)²], making χ₁ = 1.
    public let weightVariance: Double
    /// σ_b² = q* − σ_w² E[φ(√q* Z)²], making q* a fixed point.
    public let biasVariance: Double
    /// V′(q*): exactly 1 without clipping (marginal), 1 − σ_w² m N(τ + m; 0, q*) with CReLU
    /// (twice the subtracted term for CST), so below 1 and stable.
    public let varianceSlope: Double
    /// V″(q*): positive means the map bends above the diagonal beyond q*, so an upward perturbation
    /// keeps growing when V′(q*) = 1.
    public let varianceCurvature: Double

    /// Whether deviations from q* decay, |V′(q*)| < 1 (with 1e-9 slack for the exact-1 marginal case).
    public var isStable: Bool { abs(varianceSlope) < 1 - 1e-9 }
}

/// Edge-of-chaos recipes for the sparsifying activations ReLU_τ (`shifted-relu`), ST_τ
/// (`soft-threshold`) and their magnitude-clipped versions CReLU_{τ,m} (`clipped-relu`) and
/// CST_{τ,m} (`clipped-soft-threshold`) (Price et al., ICLR 2024).
///
/// Recipe, given sparsity s, q* and m: τ = √q* Φ⁻¹(s) for the ReLU types (P(X ≤ τ) = s) or
/// τ = √q* Φ⁻¹((1 + s)/2) for the soft-threshold types (P(|X| ≤ τ) = s), X ~ N(0, q*); then
/// σ_w² = 1/E[φ′(X)²] and σ_b² = q* − σ_w² E[φ(X)²], all in closed form. Because φ(τ) = 0 at the
/// kink, V′(q*) = σ_w² E[φ′² + φφ″] = χ₁ = 1 for the unclipped versions: the fixed point is only
/// marginally stable and, with V″(q*) > 0, unstable to upward perturbations — the paper's
/// instability. Clipping at m subtracts σ_w² m N(τ + m; 0, q*) (per clipped side) from V′(q*).
///
/// **Reading of the clip-level rule.** The paper sets m "at a level prescribed by the shape of the
/// associated Gaussian process variance map"; its exact criterion (§3.1, Fig. 4, in terms of V′(q*)
/// and V″(q*)) could not be consulted. This implementation reads it as: take the largest m for which
/// the variance map is not convex at its fixed point, V″(q*) ≤ 0 (the inflection point sits at q*).
/// Large m reverts to the unclipped map, tangent-like at q* with V″ > 0; decreasing m first turns
/// V″(q*) negative at this level, which removes the upward instability while keeping V′(q*) as close
/// to 1 as possible, i.e. clipping as little of the activation as stability allows. For s = 0.85,
/// q* = 1 this gives m ≈ 1.13 for CReLU (V′ ≈ 0.66), consistent with the m = 1 used in the paper's
/// worked setting; see `recommendedClip`.
public enum SparseActivations {
    /// The four sparsity-inducing families.
    public static let families: [ActivationFamily] = [.shiftedReLU, .softThreshold, .clippedReLU, .clippedSoftThreshold]

    /// The recipe for `family` at sparsity s ∈ (0, 1), fixed-point variance q* > 0 and, for the
    /// clipped families, clip level m > 0 (nil: `recommendedClip`).
    ///
    /// Throws `invalidParameter` for s outside (0, 1), a non-positive q* or m, a clip for an
    /// unclipped family or a non-sparse family, and `infeasibleRecipe` if σ_b² would be negative.
    public static func recipe(
        for family: ActivationFamily, sparsity s: Double, fixedPointVariance q: Double = 1, clip m: Double? = nil,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> SparseRecipe {
        try validate(family: family, sparsity: s, fixedPointVariance: q)
        let isClipped = family == .clippedReLU || family == .clippedSoftThreshold
        var clip = m
        if let m {
            guard isClipped else {
                throw TheoryError.invalidParameter(
                    name: "clip", value: m, requirement: "omitted for \(family.rawValue) (only clipped-relu and "
                        + "clipped-soft-threshold are clipped)")
            }
            guard m.isFinite, m > 0 else {
                throw TheoryError.invalidParameter(name: "clip", value: m, requirement: "finite and positive")
            }
        } else if isClipped {
            clip = try recommendedClip(for: family, sparsity: s, fixedPointVariance: q, integrator: integrator)
        }
        return try makeRecipe(family: family, sparsity: s, fixedPointVariance: q, clip: clip, integrator: integrator)
    }

    /// The recipe for an activation specification such as `clipped-relu` or `clipped-relu(m=1)`:
    /// its family selects the activation, an explicit `m` is the clip level when `clip` is nil, and
    /// τ always comes from the sparsity (an explicit `tau` is rejected rather than silently ignored).
    public static func recipe(
        for specification: MeanFieldActivation, sparsity s: Double, fixedPointVariance q: Double = 1, clip m: Double? = nil,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> SparseRecipe {
        guard let family = specification.family, families.contains(family) else {
            throw TheoryError.unsupported(
                "\(specification) is not sparsity-inducing; use one of \(families.map(\.rawValue).joined(separator: ", "))")
        }
        let explicit = specification.spec?.explicitParameters ?? [:]
        if let tau = explicit["tau"] {
            throw TheoryError.invalidParameter(
                name: "tau", value: tau, requirement: "omitted: the threshold is derived from the sparsity")
        }
        var clip = m
        if let given = explicit["m"] {
            if let m, m != given {
                throw TheoryError.invalidParameter(
                    name: "clip", value: m, requirement: "equal to the activation's m = \(formatNumber(given)) if both are given")
            }
            clip = given
        }
        return try recipe(for: family, sparsity: s, fixedPointVariance: q, clip: clip, integrator: integrator)
    }

    /// The threshold τ that zeroes a fraction s of N(0, q) pre-activations.
    public static func threshold(for family: ActivationFamily, sparsity s: Double, fixedPointVariance q: Double) throws -> Double {
        try validate(family: family, sparsity: s, fixedPointVariance: q)
        let isReLUType = family == .shiftedReLU || family == .clippedReLU
        return q.squareRoot() * (try StandardNormal.quantile(isReLUType ? s : (1 + s) / 2))
    }

    /// The recommended clip level: the largest m with V″(q*) ≤ 0 for the recipe at (s, q*, m) (see
    /// the type's documentation for this reading of the paper). Scans m = 10√q*·0.9ᵏ downwards to the
    /// first non-positive V″(q*) and refines the sign change with Brent's method.
    ///
    /// Throws `infeasibleRecipe` if V″(q*) ≤ 0 already at m = 10√q* (no clipping needed) or stays
    /// positive down to m = 10⁻³√q*.
    public static func recommendedClip(
        for family: ActivationFamily, sparsity s: Double, fixedPointVariance q: Double = 1,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> Double {
        try validate(family: family, sparsity: s, fixedPointVariance: q)
        guard family == .clippedReLU || family == .clippedSoftThreshold else {
            throw TheoryError.unsupported("\(family.rawValue) has no clip level; use clipped-relu or clipped-soft-threshold")
        }
        func curvature(_ m: Double) throws -> Double {
            try makeRecipe(family: family, sparsity: s, fixedPointVariance: q, clip: m, integrator: integrator)
                .varianceCurvature
        }
        var upper = 10 * q.squareRoot()
        guard try curvature(upper) > 0 else {
            throw TheoryError.infeasibleRecipe(
                "the variance map of \(family.rawValue) at sparsity \(formatNumber(s)) is already concave at q* "
                    + "without clipping; any clip level keeps q* stable")
        }
        var lower = upper * 0.9
        while try curvature(lower) > 0 {
            upper = lower
            lower *= 0.9
            guard lower > 1e-3 * q.squareRoot() else {
                throw TheoryError.infeasibleRecipe(
                    "no clip level above \(formatNumber(1e-3 * q.squareRoot())) makes the variance map of "
                        + "\(family.rawValue) concave at q* = \(formatNumber(q))")
            }
        }
        return try RootFinding.brent(lower, upper, absoluteTolerance: 1e-13, solving: "V''(q*) = 0 in m", curvature)
    }

    private static func validate(family: ActivationFamily, sparsity s: Double, fixedPointVariance q: Double) throws {
        guard families.contains(family) else {
            throw TheoryError.unsupported(
                "\(family.rawValue) is not sparsity-inducing; use one of \(families.map(\.rawValue).joined(separator: ", "))")
        }
        guard s.isFinite, s > 0, s < 1 else {
            throw TheoryError.invalidParameter(name: "sparsity", value: s, requirement: "strictly between 0 and 1")
        }
        guard q.isFinite, q > 0 else {
            throw TheoryError.invalidParameter(name: "q_star", value: q, requirement: "finite and positive")
        }
    }

    private static func makeRecipe(
        family: ActivationFamily, sparsity s: Double, fixedPointVariance q: Double, clip m: Double?,
        integrator: GaussianIntegrator
    ) throws -> SparseRecipe {
        let tau = try threshold(for: family, sparsity: s, fixedPointVariance: q)
        var parameters = ["tau": tau]
        if let m { parameters["m"] = m }
        let activation = try MeanFieldActivation(family, parameters: parameters)
        let lanes = try activation.expectations(
            of: [.secondMoment, .derivativeSecondMoment, .secondMomentSlope, .secondMomentCurvature],
            variance: q, integrator: integrator)
        let weightVariance = 1 / lanes[1]
        let biasVariance = q - weightVariance * lanes[0]
        guard biasVariance >= -1e-12 * q else {
            throw TheoryError.infeasibleRecipe(
                "\(activation) at sparsity \(formatNumber(s)) and q* = \(formatNumber(q)) needs sigma_b2 = "
                    + "\(formatNumber(biasVariance)) < 0; raise the sparsity or q*")
        }
        return SparseRecipe(
            activation: activation, sparsity: s, fixedPointVariance: q, threshold: tau, clip: m,
            weightVariance: weightVariance, biasVariance: max(0, biasVariance),
            varianceSlope: weightVariance * lanes[2], varianceCurvature: weightVariance * lanes[3])
    }
}
