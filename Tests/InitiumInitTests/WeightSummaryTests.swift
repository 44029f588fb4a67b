import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// Exact statistics of a known tensor (population std, as NumPy's default).
@Test func summaryOfAKnownTensor() throws {
    let s = WeightSummary(try Tensor(shape: [4], scalars: [1, 2, 3, 6]))
    #expect(s.mean == 3 && s.min == 1 && s.max == 6)
    #expect(abs(s.std - 3.5.squareRoot()) < 1e-12)
}

/// `initium init`'s computation: the key is seed → fold("weight"), so the tensor is what a
/// single layer at the model root would get; the summary describes it.
@Test func tensorInitializationUsesTheWeightPathKey() throws {
    let request = TensorInitialization(scheme: try Scheme("he-normal"), layout: try WeightLayout([64, 32, 3, 3], layoutName: "conv2d"), seed: 5)
    let (tensor, summary) = try request.run()
    #expect(tensor == (try Scheme("he-normal").sample(request.layout, key: RandomKey(seed: 5).fold("weight"))))
    #expect(summary == WeightSummary(tensor))
    #expect(abs(summary.std * summary.std / (2.0 / 288) - 1) < 5 * (2.0 / Double(tensor.count)).squareRoot())
}
