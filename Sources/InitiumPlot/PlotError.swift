/// Why a figure could not be drawn.
public enum PlotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An axis range that is not finite or has no positive length.
    case invalidRange(axis: String, range: ClosedRange<Double>)

    /// A one-line message.
    public var description: String {
        switch self {
        case let .invalidRange(axis, range):
            return "plot \(axis) \(range.lowerBound)...\(range.upperBound) must be finite with upper bound above lower bound"
        }
    }
}
