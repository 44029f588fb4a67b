import Foundation

/// The order-to-chaos phase diagram of an activation over a grid of (σ_w², σ_b²): χ₁ at the
/// variance fixed point reached from q₀ = 1, and the edge-of-chaos curve χ₁ = 1 (Poole et al.,
/// NeurIPS 2016, Fig. 1; Schoenholz et al., ICLR 2017, Fig. 1).
///
/// Each grid point is solved like `VarianceMap.fixedPoint()`, with Newton warm-started from the
/// neighbouring column's q* and χ₁'s E[φ′²] taken from the same quadrature passes (at a q within
/// 10ε q* of the fixed point, ε the integrator's tolerance), so χ₁ is accurate to about 10ε. A plot
/// needs far less than the default ε = 1e-10; `initium theory phase` uses ε = 1e-8.
public struct PhaseDiagram: Sendable {
    /// One grid point.
    public struct Point: Sendable, Equatable {
        /// σ_w².
        public let weightVariance: Double
        /// σ_b².
        public let biasVariance: Double
        /// q*, or nil where the variance map has no fixed point from q₀ = 1 (q grows without bound).
        public let fixedPointVariance: Double?
        /// χ₁ at q*, or nil with q*.
        public let chi1: Double?
    }

    /// The activation analysed.
    public let activation: MeanFieldActivation
    /// The σ_w² grid (columns), increasing.
    public let weightVariances: [Double]
    /// The σ_b² grid (rows), increasing.
    public let biasVariances: [Double]
    /// All points, row by row: index = row · weightVariances.count + column.
    public let points: [Point]
    /// The edge of chaos at each σ_b² of the grid where it exists and lies inside the σ_w² range.
    public let edgeOfChaos: [CriticalPoint]

    /// Computes the diagram on a `resolution` × `resolution` grid spanning both ranges (endpoints
    /// included), rows in parallel on the cooperative thread pool.
    public static func compute(
        activation: MeanFieldActivation, weightVariances weightRange: ClosedRange<Double>,
        biasVariances biasRange: ClosedRange<Double>, resolution: Int,
        integrator: GaussianIntegrator = GaussianIntegrator()
    ) async throws -> PhaseDiagram {
        guard resolution >= 2 else {
            throw TheoryError.invalidParameter(name: "resolution", value: Double(resolution), requirement: "at least 2")
        }
        for (name, range) in [("sigma_w2", weightRange), ("sigma_b2", biasRange)] {
            guard range.lowerBound >= 0, range.upperBound.isFinite, range.upperBound > range.lowerBound else {
                throw TheoryError.invalidParameter(
                    name: "\(name) range", value: range.lowerBound,
                    requirement: "a finite, non-negative range with upper > lower")
            }
        }
        func grid(_ range: ClosedRange<Double>) -> [Double] {
            (0..<resolution).map { range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(resolution - 1) }
        }
        let xs = grid(weightRange)
        let ys = grid(biasRange)
        let rows = try await withThrowingTaskGroup(of: (Int, [Point]).self) { group in
            for (row, biasVariance) in ys.enumerated() {
                group.addTask { (row, try Self.row(activation, xs, biasVariance, integrator)) }
            }
            var rows = [[Point]](repeating: [], count: ys.count)
            for try await (row, points) in group { rows[row] = points }
            return rows
        }
        let curve: [CriticalPoint]
        if activation.isPositivelyHomogeneous {
            curve = EdgeOfChaos.curve(for: activation, biasVariances: [0], integrator: integrator)
        } else {
            curve = EdgeOfChaos.curve(for: activation, biasVariances: ys, integrator: integrator)
        }
        return PhaseDiagram(
            activation: activation, weightVariances: xs, biasVariances: ys, points: rows.flatMap { $0 },
            edgeOfChaos: curve.filter { weightRange.contains($0.weightVariance) && biasRange.contains($0.biasVariance) })
    }

    /// One row of the grid (fixed σ_b²), each fixed point warm-started from the previous column's.
    private static func row(
        _ activation: MeanFieldActivation, _ weightVariances: [Double], _ biasVariance: Double, _ integrator: GaussianIntegrator
    ) throws -> [Point] {
        var previous: Double?
        return try weightVariances.map { weightVariance in
            let map = try VarianceMap(
                activation: activation, weightVariance: weightVariance, biasVariance: biasVariance, integrator: integrator)
            do {
                let solution = try map.solveFixedPoint(startingFrom: 1, initialGuess: previous)
                previous = solution.fixedPoint.value > 0 ? solution.fixedPoint.value : nil
                return Point(
                    weightVariance: weightVariance, biasVariance: biasVariance,
                    fixedPointVariance: solution.fixedPoint.value, chi1: weightVariance * solution.derivativeSecondMoment)
            } catch TheoryError.noFixedPoint {
                previous = nil
                return Point(weightVariance: weightVariance, biasVariance: biasVariance, fixedPointVariance: nil, chi1: nil)
            }
        }
    }
}
