import Foundation
import Testing
@testable import InitiumTheory

@Suite("Phase diagram")
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
        // tanh has an edge of chaos at every σ_b² ≥ 0, inside σ_w² ∈ [0.5, 4] for σ_b² ≤ 0.3, so
        // every row has one (an empty list would make the loop below vacuous); at σ_b² = 0 the
        // fixed point is q* = 0 and χ₁ = σ_w² tanh′(0)² = σ_w², so it sits at σ_w² = 1 exactly.
        #expect(diagram.edgeOfChaos.count == 8)
        let origin = try #require(diagram.edgeOfChaos.first { $0.biasVariance == 0 })
        #expect(abs(origin.weightVariance - 1) < 1e-6)
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
}
