import Foundation
import InitiumCore
import InitiumProbe
import Testing

/// Rank collapse and attention entropy on constructed cases whose values are known in closed form.
struct TokenGeometryTests {
    @Test func identicalTokensHaveCosineOne() throws {
        let row: [Float] = [0.3, -1.2, 2.0, 0.5]
        let tokens = try Tensor(shape: [2, 5, 4], scalars: Array((0..<10).map { i in row.map { $0 * Float(i + 1) } }.joined()))
        #expect(abs(try TokenGeometry.meanPairwiseCosine(tokens) - 1) < 1e-12)
    }

    @Test func orthogonalTokensHaveCosineZero() throws {
        // rows of the identity are exactly orthogonal
        var scalars = [Float](repeating: 0, count: 6 * 6)
        for i in 0..<6 { scalars[i * 6 + i] = Float(i + 1) }
        #expect(abs(try TokenGeometry.meanPairwiseCosine(try Tensor(shape: [1, 6, 6], scalars: scalars))) < 1e-15)
    }

    @Test func randomTokensInHighDimensionAreNearlyOrthogonal() throws {
        // cosines of independent Gaussian vectors in d dimensions have mean 0 and std 1/√d; the mean
        // over 28 pairs of 8 tokens in d = 4096 has std ≈ 1/√(4096·28) ≈ 0.003
        let tokens = try Tensor.normal([4, 8, 4096], key: RandomKey(seed: 7))
        #expect(abs(try TokenGeometry.meanPairwiseCosine(tokens)) < 0.015)
    }

    @Test func oppositeTokensAverageTheirPairs() throws {
        // tokens x, −x, x: pairs (1,2) = −1, (1,3) = 1, (2,3) = −1 → mean −1/3
        let tokens = try Tensor(shape: [1, 3, 2], scalars: [1, 2, -1, -2, 1, 2])
        #expect(abs(try TokenGeometry.meanPairwiseCosine(tokens) + 1.0 / 3) < 1e-12)
    }

    @Test func uniformAttentionHasEntropyLogT() throws {
        let t = 16
        let probabilities = Tensor(shape: [2, 3, t, t], repeating: 1 / Float(t))
        for entropy in try TokenGeometry.attentionEntropy(probabilities) {
            #expect(abs(entropy - log(Double(t))) < 1e-5)
        }
    }

    @Test func oneHotAttentionHasEntropyZeroAndCausalUniformRowsSumTheirLogs() throws {
        let t = 5
        var oneHot = [Float](repeating: 0, count: t * t)
        var causal = [Float](repeating: 0, count: t * t)
        for i in 0..<t {
            oneHot[i * t + (t - 1 - i)] = 1
            for j in 0...i { causal[i * t + j] = 1 / Float(i + 1) }
        }
        #expect(try TokenGeometry.attentionEntropy(try Tensor(shape: [1, 1, t, t], scalars: oneHot)) == [0])
        // row i is uniform over i + 1 keys: mean over rows of ln(i + 1)
        let expected = (1...t).map { log(Double($0)) }.reduce(0, +) / Double(t)
        #expect(abs(try TokenGeometry.attentionEntropy(try Tensor(shape: [1, 1, t, t], scalars: causal))[0] - expected) < 1e-6)
    }

    @Test func refusesWrongShapes() {
        #expect(throws: (any Error).self) { try TokenGeometry.meanPairwiseCosine(Tensor.zeros([3, 4])) }
        #expect(throws: (any Error).self) { try TokenGeometry.attentionEntropy(Tensor.zeros([3, 4, 4])) }
    }
}
