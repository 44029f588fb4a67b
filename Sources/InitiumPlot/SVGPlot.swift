import Foundation

/// A minimal standalone SVG figure: one pair of linear axes with ticks and labels, heat-map cells,
/// line series, markers, a legend and an optional colour bar. Reports and the theory commands build
/// their figures from it and write them as self-contained `.svg` files (no scripts, fonts or external
/// references).
public struct SVGPlot: Sendable {
    /// An sRGB colour.
    public struct Color: Sendable, Equatable {
        /// Red component in [0, 1].
        public var red: Double
        /// Green component in [0, 1].
        public var green: Double
        /// Blue component in [0, 1].
        public var blue: Double

        /// A colour from components in [0, 1].
        public init(red: Double, green: Double, blue: Double) {
            self.red = red
            self.green = green
            self.blue = blue
        }

        /// `#rrggbb`.
        public var hex: String {
            func byte(_ v: Double) -> String {
                let value = Int((min(1, max(0, v)) * 255).rounded())
                let digits = String(value, radix: 16)
                return digits.count == 1 ? "0" + digits : digits
            }
            return "#" + byte(red) + byte(green) + byte(blue)
        }

        /// Linear interpolation from `self` (t = 0) to `other` (t = 1).
        public func mixed(with other: Color, _ t: Double) -> Color {
            Color(red: red + (other.red - red) * t, green: green + (other.green - green) * t,
                  blue: blue + (other.blue - blue) * t)
        }

        /// #000000.
        public static let black = Color(red: 0, green: 0, blue: 0)
        /// #ffffff, the centre of the diverging χ₁ scale.
        public static let white = Color(red: 1, green: 1, blue: 1)
        /// Light grey, used where a quantity does not exist (q diverges).
        public static let gray = Color(red: 0.85, green: 0.85, blue: 0.85)
        /// The ordered end of the χ₁ scale.
        public static let blue = Color(red: 0.129, green: 0.4, blue: 0.675)
        /// The chaotic end of the χ₁ scale.
        public static let red = Color(red: 0.698, green: 0.094, blue: 0.169)
        /// A third series colour.
        public static let orange = Color(red: 0.9, green: 0.5, blue: 0.1)
        /// A fourth series colour.
        public static let green = Color(red: 0.2, green: 0.6, blue: 0.3)
        /// A fifth series colour.
        public static let purple = Color(red: 0.5, green: 0.3, blue: 0.7)
        /// Eight distinguishable colours for series, used in turn.
        public static let series: [Color] = [.blue, .red, .green, .orange, .purple, .black,
                                             Color(red: 0.55, green: 0.35, blue: 0.2), Color(red: 0.1, green: 0.6, blue: 0.65)]
    }

    /// A colour bar: `stops` colours spread evenly from `range.lowerBound` to `range.upperBound`.
    public struct ColorBar: Sendable {
        /// The bar's caption.
        public var label: String
        /// The values at the bottom and top of the bar.
        public var range: ClosedRange<Double>
        /// The colours from bottom to top, in equal steps.
        public var colors: [Color]
        /// Labelled tick positions (in `range` units).
        public var tickLabels: [(value: Double, text: String)]

        /// A colour bar with evenly spaced colours and labelled ticks.
        public init(label: String, range: ClosedRange<Double>, colors: [Color], tickLabels: [(value: Double, text: String)]) {
            self.label = label
            self.range = range
            self.colors = colors
            self.tickLabels = tickLabels
        }
    }

    /// The title above the axes.
    public var title: String
    /// The horizontal axis caption.
    public var xLabel: String
    /// The vertical axis caption.
    public var yLabel: String
    /// The horizontal data range (validated in `init`).
    public let xRange: ClosedRange<Double>
    /// The vertical data range (validated in `init`).
    public let yRange: ClosedRange<Double>
    /// The document width in pixels.
    public var width = 680.0
    /// The document height in pixels.
    public var height = 500.0
    /// Drawn elements in data coordinates; `render` maps them to pixels once the layout is final.
    private enum Element: Sendable {
        case heatMap(xs: [Double], ys: [Double], colors: [[Color]])
        case line(points: [(x: Double, y: Double)], color: Color, width: Double, dashed: Bool)
        case markers(points: [(x: Double, y: Double)], color: Color, radius: Double)
    }
    private var elements: [Element] = []
    private var legend: [(label: String, color: Color, dashed: Bool)] = []
    private var colorBar: ColorBar?

    private let left = 72.0
    private let top = 44.0
    private let bottom = 58.0
    private var right: Double { colorBar == nil ? 24 : 118 }
    private var plotWidth: Double { width - left - right }
    private var plotHeight: Double { height - top - bottom }

    /// An empty figure with the given axes; throws ``PlotError/invalidRange(axis:range:)`` unless both
    /// ranges are finite with positive length.
    public init(
        title: String, xLabel: String, yLabel: String, xRange: ClosedRange<Double>, yRange: ClosedRange<Double>
    ) throws {
        for (name, range) in [("x range", xRange), ("y range", yRange)] {
            guard range.lowerBound.isFinite, range.upperBound.isFinite, range.upperBound > range.lowerBound else {
                throw PlotError.invalidRange(axis: name, range: range)
            }
        }
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
        self.xRange = xRange
        self.yRange = yRange
    }

    private func px(_ x: Double) -> Double {
        left + (x - xRange.lowerBound) / (xRange.upperBound - xRange.lowerBound) * plotWidth
    }

    private func py(_ y: Double) -> Double {
        top + (1 - (y - yRange.lowerBound) / (yRange.upperBound - yRange.lowerBound)) * plotHeight
    }

    /// A heat map on a regular grid: `colors[row][column]` fills the cell centred on
    /// (xs[column], ys[row]). Runs of equal colour in a row are merged into one rectangle.
    public mutating func addHeatMap(xs: [Double], ys: [Double], colors: [[Color]]) {
        guard !xs.isEmpty, !ys.isEmpty else { return }
        elements.append(.heatMap(xs: xs, ys: ys, colors: colors))
    }

    /// A polyline through the points inside the axes (non-finite points break the line).
    public mutating func addLine(
        _ points: [(x: Double, y: Double)], label: String?, color: Color, width: Double = 2, dashed: Bool = false
    ) {
        elements.append(.line(points: points, color: color, width: width, dashed: dashed))
        if let label { legend.append((label, color, dashed)) }
    }

    /// Circle markers at the given points.
    public mutating func addMarkers(_ points: [(x: Double, y: Double)], label: String?, color: Color, radius: Double = 4) {
        elements.append(.markers(points: points, color: color, radius: radius))
        if let label { legend.append((label, color, false)) }
    }

    private func renderedHeatMap(xs: [Double], ys: [Double], colors: [[Color]]) -> [String] {
        func edges(_ centres: [Double], _ range: ClosedRange<Double>) -> [Double] {
            guard centres.count > 1 else { return [range.lowerBound, range.upperBound] }
            var result = [centres[0] - 0.5 * (centres[1] - centres[0])]
            for (a, b) in zip(centres, centres.dropFirst()) { result.append(0.5 * (a + b)) }
            result.append(centres[centres.count - 1] + 0.5 * (centres[centres.count - 1] - centres[centres.count - 2]))
            return result.map { min(range.upperBound, max(range.lowerBound, $0)) }
        }
        let xEdges = edges(xs, xRange)
        let yEdges = edges(ys, yRange)
        var lines: [String] = []
        for (row, rowColors) in colors.enumerated() {
            var start = 0
            while start < rowColors.count {
                var end = start
                let hex = rowColors[start].hex
                while end + 1 < rowColors.count, rowColors[end + 1].hex == hex { end += 1 }
                let x0 = px(xEdges[start])
                let x1 = px(xEdges[end + 1])
                let y0 = py(yEdges[row + 1])
                let y1 = py(yEdges[row])
                lines.append(
                    "<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(x1 - x0 + 0.3))\" height=\"\(f(y1 - y0 + 0.3))\" "
                        + "fill=\"\(hex)\"/>")
                start = end + 1
            }
        }
        return lines
    }

    private func renderedLine(_ points: [(x: Double, y: Double)], color: Color, width: Double, dashed: Bool) -> [String] {
        var segments: [[String]] = [[]]
        for point in points {
            if point.x.isFinite, point.y.isFinite, yRange.contains(point.y), xRange.contains(point.x) {
                segments[segments.count - 1].append("\(f(px(point.x))),\(f(py(point.y)))")
            } else if !(segments.last?.isEmpty ?? true) {
                segments.append([])
            }
        }
        let dash = dashed ? " stroke-dasharray=\"6 4\"" : ""
        return segments.filter { $0.count >= 2 }.map { segment in
            "<polyline points=\"\(segment.joined(separator: " "))\" fill=\"none\" stroke=\"\(color.hex)\" "
                + "stroke-width=\"\(f(width))\"\(dash)/>"
        }
    }

    private func renderedMarkers(_ points: [(x: Double, y: Double)], color: Color, radius: Double) -> [String] {
        points.filter { xRange.contains($0.x) && yRange.contains($0.y) }.map { point in
            "<circle cx=\"\(f(px(point.x)))\" cy=\"\(f(py(point.y)))\" r=\"\(f(radius))\" fill=\"\(color.hex)\" "
                + "stroke=\"black\" stroke-width=\"0.8\"/>"
        }
    }

    /// Shows a colour bar to the right of the axes.
    public mutating func setColorBar(_ bar: ColorBar) { colorBar = bar }

    /// The complete SVG document.
    public func render() -> String {
        var svg: [String] = [
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
                + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
            "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
            "<defs><clipPath id=\"plot-area\"><rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" "
                + "height=\"\(f(plotHeight))\"/></clipPath></defs>",
            "<g clip-path=\"url(#plot-area)\">",
        ]
        for element in elements {
            switch element {
            case let .heatMap(xs, ys, colors): svg += renderedHeatMap(xs: xs, ys: ys, colors: colors)
            case let .line(points, color, width, dashed): svg += renderedLine(points, color: color, width: width, dashed: dashed)
            case let .markers(points, color, radius): svg += renderedMarkers(points, color: color, radius: radius)
            }
        }
        svg.append("</g>")
        svg.append(
            "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" "
                + "fill=\"none\" stroke=\"black\"/>")
        for tick in Self.ticks(xRange) {
            let x = px(tick)
            svg.append("<line x1=\"\(f(x))\" y1=\"\(f(top + plotHeight))\" x2=\"\(f(x))\" y2=\"\(f(top + plotHeight + 5))\" stroke=\"black\"/>")
            svg.append("<text x=\"\(f(x))\" y=\"\(f(top + plotHeight + 19))\" text-anchor=\"middle\">\(Self.label(tick))</text>")
        }
        for tick in Self.ticks(yRange) {
            let y = py(tick)
            svg.append("<line x1=\"\(f(left - 5))\" y1=\"\(f(y))\" x2=\"\(f(left))\" y2=\"\(f(y))\" stroke=\"black\"/>")
            svg.append("<text x=\"\(f(left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(Self.label(tick))</text>")
        }
        svg.append(
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(height - 14))\" text-anchor=\"middle\" font-size=\"14\">"
                + "\(escape(xLabel))</text>")
        svg.append(
            "<text transform=\"translate(\(f(18)),\(f(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" "
                + "font-size=\"14\">\(escape(yLabel))</text>")
        svg.append(
            "<text x=\"\(f(left + plotWidth / 2))\" y=\"\(f(26))\" text-anchor=\"middle\" font-size=\"15\" "
                + "font-weight=\"bold\">\(escape(title))</text>")
        svg += renderedLegend()
        svg += renderedColorBar()
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    private func renderedLegend() -> [String] {
        guard !legend.isEmpty else { return [] }
        let boxWidth = 12 + 7.2 * Double(legend.map(\.label.count).max() ?? 0) + 34
        let x = left + plotWidth - boxWidth - 8
        var lines = [
            "<rect x=\"\(f(x))\" y=\"\(f(top + 8))\" width=\"\(f(boxWidth))\" height=\"\(f(Double(legend.count) * 18 + 8))\" "
                + "fill=\"white\" fill-opacity=\"0.85\" stroke=\"#999\"/>"
        ]
        for (index, entry) in legend.enumerated() {
            let y = top + 8 + 14 + Double(index) * 18
            let dash = entry.dashed ? " stroke-dasharray=\"6 4\"" : ""
            lines.append(
                "<line x1=\"\(f(x + 8))\" y1=\"\(f(y - 4))\" x2=\"\(f(x + 32))\" y2=\"\(f(y - 4))\" "
                    + "stroke=\"\(entry.color.hex)\" stroke-width=\"2.5\"\(dash)/>")
            lines.append("<text x=\"\(f(x + 38))\" y=\"\(f(y))\">\(escape(entry.label))</text>")
        }
        return lines
    }

    private func renderedColorBar() -> [String] {
        guard let bar = colorBar, !bar.colors.isEmpty else { return [] }
        let x = left + plotWidth + 22
        let barWidth = 18.0
        var lines: [String] = []
        let step = plotHeight / Double(bar.colors.count)
        for (index, color) in bar.colors.enumerated() {
            let y = top + plotHeight - Double(index + 1) * step
            lines.append(
                "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(barWidth))\" height=\"\(f(step + 0.3))\" fill=\"\(color.hex)\"/>")
        }
        lines.append(
            "<rect x=\"\(f(x))\" y=\"\(f(top))\" width=\"\(f(barWidth))\" height=\"\(f(plotHeight))\" fill=\"none\" stroke=\"black\"/>")
        let span = bar.range.upperBound - bar.range.lowerBound
        for tick in bar.tickLabels {
            let y = top + plotHeight * (1 - (tick.value - bar.range.lowerBound) / span)
            lines.append("<line x1=\"\(f(x + barWidth))\" y1=\"\(f(y))\" x2=\"\(f(x + barWidth + 4))\" y2=\"\(f(y))\" stroke=\"black\"/>")
            lines.append("<text x=\"\(f(x + barWidth + 7))\" y=\"\(f(y + 4))\">\(escape(tick.text))</text>")
        }
        lines.append(
            "<text transform=\"translate(\(f(x + barWidth + 60)),\(f(top + plotHeight / 2))) rotate(90)\" "
                + "text-anchor=\"middle\">\(escape(bar.label))</text>")
        return lines
    }

    /// Tick positions at 1, 2 or 5 × 10ᵏ spacing, at most eight per axis. Each tick is an integer
    /// multiple of the step formed by one rounded division (6·2/10 = 0.6, not 3·0.2 = 0.6000000000000001).
    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        let raw = span / 7
        let exponent = Int(floor(log10(raw)))
        let mantissa = [1, 2, 5, 10].first { Double($0) * pow(10, Double(exponent)) >= raw } ?? 10
        func tick(_ k: Int) -> Double {
            exponent >= 0
                ? Double(k * mantissa) * pow(10, Double(exponent))
                : Double(k * mantissa) / pow(10, Double(-exponent))
        }
        let step = tick(1)
        var k = Int((range.lowerBound / step).rounded(.up))
        var ticks: [Double] = []
        while tick(k) <= range.upperBound + 1e-9 * span {
            ticks.append(tick(k))
            k += 1
        }
        return ticks
    }

    private static func label(_ value: Double) -> String {
        number((value * 1e6).rounded() / 1e6)
    }

    /// Several plots in one SVG document, `columns` to a row, each keeping its own size; clip-path
    /// ids are renamed per panel so the document's ids stay unique.
    public static func grid(_ plots: [SVGPlot], columns: Int) -> String {
        let columns = max(1, min(columns, plots.count))
        let cellWidth = plots.map(\.width).max() ?? 0, cellHeight = plots.map(\.height).max() ?? 0
        let rows = (plots.count + columns - 1) / columns
        let format: (Double) -> String = { String(format: "%.2f", $0) }
        var svg = ["<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(format(cellWidth * Double(columns)))\" "
            + "height=\"\(format(cellHeight * Double(rows)))\">"]
        for (index, plot) in plots.enumerated() {
            let x = cellWidth * Double(index % columns), y = cellHeight * Double(index / columns)
            let panel = plot.render()
                .replacingOccurrences(of: "id=\"plot-area\"", with: "id=\"plot-area-\(index)\"")
                .replacingOccurrences(of: "url(#plot-area)", with: "url(#plot-area-\(index))")
                .replacingOccurrences(of: "<svg xmlns=\"http://www.w3.org/2000/svg\" ", with: "<svg x=\"\(format(x))\" y=\"\(format(y))\" ")
            svg.append(panel)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    /// A number as a label shows it: the shortest decimal that reads back to the same `Double`,
    /// without a trailing `.0` (`30`, `1.04`, `1e-05`).
    public static func number(_ value: Double) -> String {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    private func f(_ value: Double) -> String { String(format: "%.2f", value) }

    private func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
