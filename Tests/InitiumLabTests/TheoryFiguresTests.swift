import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import InitiumLab
import InitiumTheory

@Suite("Theory figures")
struct TheoryFiguresTests {
    @Test func svgIsAWellFormedStandaloneDocument() async throws {
        let diagram = try await PhaseDiagram.compute(
            activation: MeanFieldActivation(.tanh), weightVariances: 0.5...4, biasVariances: 0...0.5, resolution: 12)
        let svg = diagram.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("<polyline"))
        #expect(!svg.contains("nan"))
        let data = try #require(svg.data(using: .utf8))
        #expect(XMLParser(data: data).parse())
        let map = try VarianceMap(activation: MeanFieldActivation(.tanh), weightVariance: 2, biasVariance: 0.1)
        let curves = try VarianceMapPlot.svg(title: "tanh <test> & co", maps: [("tanh", map, 0.5)], maximumVariance: 2)
        #expect(XMLParser(data: try #require(curves.data(using: .utf8))).parse())
        #expect(curves.contains("&lt;test&gt; &amp; co"))
    }
}
