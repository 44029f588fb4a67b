import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import InitiumTheory

@Suite("Phase diagram and SVG plots")
struct PhaseDiagramTests {
    @Test func phaseDiagramAgreesWithPointwiseAnalysis() async throws {
        let tanh = MeanFieldActivation(.tanh)
        let diagram = try await PhaseDiagram.compute(
            activation: tanh, weightVariances: 0.5...4, biasVariances: 0...0.3, resolution: 8)
        #expect(diagram.points.count == 64)
        let point = diagram.points[3 * 8 + 5]
        let analysis = try SignalPropagation(
            activation: tanh, weightVariance: point.weightVariance, biasVariance: point.biasVariance)
        #expect(relativeError(try #require(point.chi1), analysis.chi1) < 1e-12)
        // χ₁ crosses 1 along each row exactly where the edge-of-chaos curve says.
        for critical in diagram.edgeOfChaos {
            let row = try #require(diagram.biasVariances.firstIndex(of: critical.biasVariance))
            for column in 0..<8 {
                let p = diagram.points[row * 8 + column]
                guard let chi1 = p.chi1 else { continue }
                #expect((chi1 < 1) == (p.weightVariance < critical.weightVariance))
            }
        }
    }

    @Test func divergentPointsHaveNoFixedPoint() async throws {
        let diagram = try await PhaseDiagram.compute(
            activation: MeanFieldActivation(.relu), weightVariances: 1...3, biasVariances: 0.1...0.5, resolution: 5)
        for point in diagram.points {
            // ReLU: V(q) = σ_w² q/2 + σ_b² diverges for σ_w² ≥ 2.
            #expect((point.chi1 == nil) == (point.weightVariance >= 2))
        }
        #expect(diagram.edgeOfChaos.isEmpty)
        await #expect(throws: TheoryError.self) {
            try await PhaseDiagram.compute(activation: MeanFieldActivation(.tanh), weightVariances: 1...2, biasVariances: 0...1, resolution: 1)
        }
    }

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

    @Test func ticksAreRoundNumbersInsideTheRange() {
        let ticks = SVGPlot.ticks(0.5...4)
        #expect(ticks == [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4])
        #expect(SVGPlot.ticks(0...1) == [0, 0.2, 0.4, 0.6, 0.8, 1])
        #expect(SVGPlot.ticks(0...0.3).allSatisfy { $0 >= 0 && $0 <= 0.3 })
    }
}
