import Foundation
import InitiumPlot
import InitiumTheory

/// Variance-map curves q ↦ V(q) against the diagonal, with each map's fixed point marked: the
/// picture Price et al. (ICLR 2024, Fig. 2–3) use to explain (in)stability — a map crossing the
/// diagonal with slope < 1 is stable, one touching it from above (slope 1, convex) is not.
public enum VarianceMapPlot {
    /// An SVG of V(q) on [0, maximumVariance] (sampled at `samples` points) for each labelled map,
    /// with the diagonal V = q dashed and the fixed points (if given) as markers.
    public static func svg(
        title: String, maps: [(label: String, map: VarianceMap, fixedPoint: Double?)], maximumVariance: Double,
        samples: Int = 161
    ) throws -> String {
        guard maximumVariance.isFinite, maximumVariance > 0 else {
            throw TheoryError.invalidParameter(name: "maximum variance", value: maximumVariance, requirement: "finite and positive")
        }
        let qs = (0..<max(2, samples)).map { maximumVariance * Double($0) / Double(max(2, samples) - 1) }
        var curves: [[(x: Double, y: Double)]] = []
        var top = maximumVariance
        for entry in maps {
            let curve = try qs.map { (x: $0, y: try entry.map($0)) }
            top = max(top, curve.map(\.y).filter(\.isFinite).max() ?? 0)
            curves.append(curve)
        }
        var plot = try SVGPlot(
            title: title, xLabel: "q (pre-activation variance, layer l)", yLabel: "V(q) (layer l + 1)",
            xRange: 0...maximumVariance, yRange: 0...(1.05 * top))
        plot.addLine([(0, 0), (maximumVariance, maximumVariance)], label: "V(q) = q", color: .black, width: 1.2, dashed: true)
        let palette: [SVGPlot.Color] = [.blue, .red, .green, .orange, .purple]
        for (index, entry) in maps.enumerated() {
            let color = palette[index % palette.count]
            plot.addLine(curves[index], label: entry.label, color: color)
            if let q = entry.fixedPoint { plot.addMarkers([(q, try entry.map(q))], label: nil, color: color) }
        }
        return plot.render()
    }
}

extension PhaseDiagram {
    /// The diagram as a standalone SVG: log₂ χ₁ on a diverging scale (blue ordered, white critical,
    /// red chaotic, clamped to [1/4, 4]), grey where q diverges, and the edge of chaos in black.
    public func svg() -> String {
        // The grid was validated in `compute` (finite, increasing), so the axes are valid.
        var plot = try! SVGPlot(
            title: "Phase diagram of \(activation): chi1 at q*", xLabel: "sigma_w^2 (weight variance x fan-in)",
            yLabel: "sigma_b^2 (bias variance)",
            xRange: weightVariances[0]...weightVariances[weightVariances.count - 1],
            yRange: biasVariances[0]...biasVariances[biasVariances.count - 1])
        let levels = 33
        let palette = (0..<levels).map { Self.color(log2Chi1: -2 + 4 * Double($0) / Double(levels - 1)) }
        let colors = biasVariances.indices.map { row in
            weightVariances.indices.map { column -> SVGPlot.Color in
                guard let chi1 = points[row * weightVariances.count + column].chi1, chi1 > 0 else { return .gray }
                let t = (min(2, max(-2, log2(chi1))) + 2) / 4
                return palette[Int((t * Double(levels - 1)).rounded())]
            }
        }
        plot.addHeatMap(xs: weightVariances, ys: biasVariances, colors: colors)
        let curve = edgeOfChaos.map { (x: $0.weightVariance, y: $0.biasVariance) }
        if curve.count == 1 {
            plot.addMarkers(curve, label: "edge of chaos (chi1 = 1)", color: .black)
        } else {
            plot.addLine(curve, label: "edge of chaos (chi1 = 1)", color: .black, width: 2.5)
        }
        plot.setColorBar(SVGPlot.ColorBar(
            label: "chi1 (log scale; grey: q diverges)", range: -2...2, colors: palette,
            tickLabels: [(-2, "1/4"), (-1, "1/2"), (0, "1"), (1, "2"), (2, "4")]))
        return plot.render()
    }

    private static func color(log2Chi1 v: Double) -> SVGPlot.Color {
        v < 0 ? SVGPlot.Color.white.mixed(with: .blue, -v / 2) : SVGPlot.Color.white.mixed(with: .red, v / 2)
    }
}

extension SparseActivations {
    /// An SVG of the recipe's variance map next to the unclipped activation's at the same sparsity
    /// and q* (for an unclipped recipe, next to the clipped one at the recommended m), showing the
    /// marginal tangency V′(q*) = 1 against the stable crossing.
    public static func comparisonPlot(
        _ recipe: SparseRecipe, integrator: GaussianIntegrator = GaussianIntegrator()
    ) throws -> String {
        guard let family = recipe.activation.family else { throw TheoryError.unsupported("custom activation") }
        let partner: SparseRecipe
        switch family {
        case .clippedReLU, .shiftedReLU:
            partner = try self.recipe(
                for: family == .clippedReLU ? .shiftedReLU : .clippedReLU, sparsity: recipe.sparsity,
                fixedPointVariance: recipe.fixedPointVariance, integrator: integrator)
        default:
            partner = try self.recipe(
                for: family == .clippedSoftThreshold ? .softThreshold : .clippedSoftThreshold, sparsity: recipe.sparsity,
                fixedPointVariance: recipe.fixedPointVariance, integrator: integrator)
        }
        let number = SVGPlot.number
        func entry(_ recipe: SparseRecipe) throws -> (label: String, map: VarianceMap, fixedPoint: Double?) {
            let map = try VarianceMap(
                activation: recipe.activation, weightVariance: recipe.weightVariance,
                biasVariance: recipe.biasVariance, integrator: integrator)
            let label = "\(recipe.activation.name)\(recipe.clip.map { " m=" + number(($0 * 1000).rounded() / 1000) } ?? ""): "
                + "V'(q*) = \(number((recipe.varianceSlope * 1000).rounded() / 1000))"
            return (label, map, recipe.fixedPointVariance)
        }
        return try VarianceMapPlot.svg(
            title: "Variance maps at sparsity \(number(recipe.sparsity)), q* = \(number(recipe.fixedPointVariance))",
            maps: [try entry(recipe), try entry(partner)], maximumVariance: 3 * recipe.fixedPointVariance)
    }
}
