import Testing
@testable import InitiumCore

/// `Float − Tensor`: the pullback of c − x is −g. Checked through a weighted sum (gradient −w,
/// which a sign slip in the pullback turns into +w) and through a square (gradient −2(c − x)),
/// against central finite differences (tolerance of ``expectGradientMatchesFiniteDifferences``).
@Test func gradientOfFloatMinusTensor() throws {
    let x = testTensor([3, 4], seed: 21)
    let w = testTensor([3, 4], seed: 22)
    try expectGradientMatchesFiniteDifferences(x) { try ((2.5 - $0) * w).sum() }
    try expectGradientMatchesFiniteDifferences(x) { try (0.75 - $0).squared().sum() }
    // The exact value too: finite differences of a linear function are exact up to rounding.
    let p = Parameter(x)
    try ((2.5 - p.tracked) * w).sum().backward()
    #expect(try #require(p.gradient).scalars == w.scalars.map { -$0 })
}

/// ReLU′(0): Initium's convention is 1 (``PointwiseFunction`` documents "max(0, x), with
/// ReLU′(0) = 1"; the pullback passes g where x ≥ 0). PyTorch's is 0: `torch.relu`'s backward is
/// `threshold_backward(grad, result, 0)`, which passes g only where the output is > 0. Finite
/// differences cannot decide a kink, so the convention is pinned by exact values here: x = 0 and
/// x = −0 get the full gradient, negative x none.
///
/// The two conventions give different gradients wherever a pre-activation is exactly 0, which
/// happens in practice when a zero-initialized residual branch (Fixup, SkipInit, ZerO) adds 0 to
/// a ReLU output that is 0: ReLU(0 + 0). Random weights never produce exact zeros; the parity
/// fixture model_gradients.json measures the difference on ResNet-8 at Fixup's initialization
/// (`resnet8-nonorm@fixup-init` in ModelGradientParityTests).
@Test func reluDerivativeAtZeroIsOne() throws {
    let x = try Tensor(shape: [5], scalars: [-1, 0, -0.0, 1e-30, -1e-30])
    let p = Parameter(x)
    try (p.tracked.relu() * Tensor(shape: [5], scalars: [2, 3, 5, 7, 11])).sum().backward()
    #expect(try #require(p.gradient).scalars == [0, 3, 5, 7, 0])
}
