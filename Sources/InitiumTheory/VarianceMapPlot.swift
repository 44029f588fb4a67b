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
