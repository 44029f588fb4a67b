import InitiumCore
import InitiumSpec
import Testing
@testable import InitiumNN

/// KAT's learnable group-rational activation.
struct GroupRationalTests {
    @Test func gradientsMatchFiniteDifferences() throws {
        let layer = try GroupRational(groups: 4, initial: try ActivationSpec(parsing: "rational"))
        // move the groups apart so that a wrong group index shows in the gradients
        layer.denominator.value = layerTestTensor([4, 4], seed: 3, low: -0.5, high: 0.5)
        try expectModuleGradientsMatchFiniteDifferences(layer, input: layerTestTensor([3, 5, 8], seed: 4, low: -2, high: 2), entries: 12)
    }

    @Test func equalsTheFixedRationalActivationAtInitialization() throws {
        let spec = try ActivationSpec(parsing: "rational")
        let layer = try GroupRational(groups: 2, initial: spec)
        let x = layerTestTensor([4, 6], seed: 9, low: -3, high: 3)
        let fixed = try #require(PointwiseFunction(spec)).apply(x)
        let y = try layer(x)
        for i in 0..<x.count { #expect(abs(y[flat: i] - fixed[flat: i]) < 1e-5) }
    }

    @Test func theNumeratorIsSharedAndTheDenominatorIsPerGroup() throws {
        let layer = try GroupRational(groups: 2, initial: try ActivationSpec(parsing: "rational"))
        let x = layerTestTensor([1, 4], seed: 1, low: 0.5, high: 2)
        let before = try layer(x)
        layer.denominator.value[flat: 0] += 0.5  // group 0's b1: only channels 0 and 1 change
        let after = try layer(x)
        #expect(after[flat: 0] != before[flat: 0] && after[flat: 1] != before[flat: 1])
        #expect(after[flat: 2] == before[flat: 2] && after[flat: 3] == before[flat: 3])
        layer.numerator.value[flat: 1] += 0.5  // a1: every channel changes
        let shared = try layer(x)
        for i in 0..<4 { #expect(shared[flat: i] != after[flat: i]) }
    }

    @Test func refusesOtherFamiliesAndIndivisibleChannels() throws {
        #expect(throws: InitiumError.self) { try GroupRational(groups: 2, initial: try ActivationSpec(parsing: "gelu")) }
        let layer = try GroupRational(groups: 3, initial: try ActivationSpec(parsing: "rational"))
        #expect(throws: InitiumError.self) { try layer(Tensor.zeros([2, 4])) }
    }
}
