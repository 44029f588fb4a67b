/// The leading finite-width correction to the Gaussian-process limit of a one-hidden-layer network
/// y = n^{−1/2} Σⱼ vⱼ φ(hⱼ), hⱼ ~ N(0, q) independent, v symmetric (Antognini, "Finite size corrections
/// for neural network Gaussian processes", 2019).
///
/// The output is Gaussian up to a 1/n term: p(y) ≈ N(y; 0, σ²)[1 + (κ̃₄/24) He₄(y/σ)] with
/// excess kurtosis κ̃₄ = (E[v⁴]E[φ⁴] − 3E[v²]²E[φ²]²)/(n E[v²]² E[φ²]²) — the fourth cumulant of
/// a sum of n i.i.d. terms divided by n² and by the squared variance. The third cumulant vanishes
/// because v is symmetric.
public enum FiniteWidth {
    /// κ̃₄ = (r E[φ(√q Z)⁴]/E[φ(√q Z)²]² − 3)/n, with r = E[v⁴]/E[v²]² the readout kurtosis
    /// (3 for Gaussian v, giving 3(E[φ⁴]/E[φ²]² − 1)/n; 1 for ±1 readouts).
    public static func outputExcessKurtosis(
        activation: MeanFieldActivation, preactivationVariance q: Double = 1, width n: Int, readoutKurtosis r: Double = 3,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> Double {
        guard n >= 1 else {
            throw TheoryError.invalidParameter(name: "width", value: Double(n), requirement: "an integer of at least 1")
        }
        guard r.isFinite, r >= 1 else {
            throw TheoryError.invalidParameter(
                name: "readout kurtosis", value: r, requirement: "at least 1 (E[v^4] >= E[v^2]^2)")
        }
        let lanes = try activation.expectations(of: [.secondMoment, .fourthMoment], variance: q, integrator: integrator)
        guard lanes[0] > 0 else {
            throw TheoryError.unsupported("\(activation) vanishes under N(0, \(formatNumber(q))), so the output is 0")
        }
        return (r * lanes[1] / (lanes[0] * lanes[0]) - 3) / Double(n)
    }

    /// The Edgeworth-corrected density N(y; 0, σ²)[1 + (κ̃₄/24) He₄(y/σ)], He₄(t) = t⁴ − 6t² + 3.
    public static func outputDensity(at y: Double, variance: Double, excessKurtosis: Double) throws -> Double {
        guard variance.isFinite, variance > 0 else { throw TheoryError.negativeVariance(name: "variance", value: variance) }
        let sigma = variance.squareRoot()
        let t = y / sigma
        let he4 = t * t * t * t - 6 * t * t + 3
        return StandardNormal.density(t) / sigma * (1 + excessKurtosis / 24 * he4)
    }
}
