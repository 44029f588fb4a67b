import Testing
@testable import InitiumPlot

@Suite("SVG plots")
struct SVGPlotTests {
    @Test func ticksAreRoundNumbersInsideTheRange() {
        let ticks = SVGPlot.ticks(0.5...4)
        #expect(ticks == [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4])
        #expect(SVGPlot.ticks(0...1) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(SVGPlot.ticks(0...0.3).allSatisfy { $0 >= 0 && $0 <= 0.3 })
    }

    @Test func rejectsEmptyOrInfiniteRanges() {
        #expect(throws: PlotError.self) {
            try SVGPlot(title: "", xLabel: "", yLabel: "", xRange: 1...1, yRange: 0...1)
        }
        #expect(throws: PlotError.self) {
            try SVGPlot(title: "", xLabel: "", yLabel: "", xRange: 0...1, yRange: 0...Double.infinity)
        }
    }

    @Test func numbersPrintAsTyped() {
        #expect(SVGPlot.number(30) == "30")
        #expect(SVGPlot.number(1.04) == "1.04")
        #expect(SVGPlot.number(-0.5) == "-0.5")
    }
}
