import ArgumentParser

/// A `lo,hi` (or `lo:hi`) pair of numbers, e.g. `--sigma-w2-range 0.5,4`.
struct NumberRange: ExpressibleByArgument {
    let range: ClosedRange<Double>

    init(_ lower: Double, _ upper: Double) { range = lower...upper }

    init?(argument: String) {
        let parts = argument.split(whereSeparator: { $0 == "," || $0 == ":" })
        guard parts.count == 2, let lower = Double(parts[0]), let upper = Double(parts[1]), lower < upper else {
            return nil
        }
        range = lower...upper
    }

    var defaultValueDescription: String { "\(range.lowerBound),\(range.upperBound)" }
}
