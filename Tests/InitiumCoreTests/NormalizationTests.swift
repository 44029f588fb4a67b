import Testing
@testable import InitiumCore

private func weighted(_ y: Tensor) throws -> Tensor {
    try (y * testTensor(y.shape, seed: 99)).sum()
}

private func maxDifference(_ a: Tensor, _ b: Tensor) -> Float {
    zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
}

/// The same normalization composed from unfused ops: (x − mean)/√(var + ε)·γ + β, with the
/// statistics over `axes` and γ, β broadcast from `parameterShape`.
private func composedNormalization(
    _ x: Tensor, axes: [Int], scale: Tensor, shift: Tensor, parameterShape: [Int], epsilon: Float
) throws -> Tensor {
    let mean = try x.mean(axes: axes, keepDims: true)
    let variance = try x.variance(axes: axes, keepDims: true)
    let normalized = try (x - mean) / (variance + epsilon).sqrt()
    return try normalized * scale.reshaped(parameterShape) + shift.reshaped(parameterShape)
}

/// The fused kernels agree with the composition to Float32 rounding (values are O(1), so 1e-5),
/// and so do their gradients (the composition's pullbacks are tested in GradientTests).
@Test func fusedNormalizationsMatchTheirComposition() throws {
    let x = testTensor([4, 6, 3, 2], seed: 1)
    let gamma6 = testTensor([6], seed: 2, low: 0.5, high: 1.5), beta6 = testTensor([6], seed: 3)
    let batch = try Tensor.batchNormalized(x, scale: gamma6, shift: beta6, epsilon: 1e-5)
    let batchReference = try composedNormalization(
        x, axes: [0, 2, 3], scale: gamma6, shift: beta6, parameterShape: [1, 6, 1, 1], epsilon: 1e-5)
    #expect(maxDifference(batch.output, batchReference) < 1e-5)
    #expect(maxDifference(batch.mean, try x.mean(axes: [0, 2, 3])) < 1e-6)
    #expect(maxDifference(batch.variance, try x.variance(axes: [0, 2, 3])) < 1e-6)

    let gamma32 = testTensor([3, 2], seed: 4, low: 0.5, high: 1.5), beta32 = testTensor([3, 2], seed: 5)
    let layer = try x.layerNormalized([3, 2], scale: gamma32, shift: beta32, epsilon: 1e-5)
    let layerReference = try composedNormalization(
        x, axes: [2, 3], scale: gamma32, shift: beta32, parameterShape: [3, 2], epsilon: 1e-5)
    #expect(maxDifference(layer, layerReference) < 1e-5)

    let group = try x.groupNormalized(groups: 3, scale: gamma6, shift: beta6, epsilon: 1e-5)
    let grouped = try x.reshaped([4, 3, 2, 3, 2])
    let groupReference = try composedNormalization(
        grouped, axes: [2, 3, 4], scale: Tensor.ones([6]), shift: Tensor.zeros([6]), parameterShape: [1, 3, 2, 1, 1], epsilon: 1e-5
    ).reshaped([4, 6, 3, 2]) * gamma6.reshaped([1, 6, 1, 1]) + beta6.reshaped([1, 6, 1, 1])
    #expect(maxDifference(group, groupReference) < 1e-5)

    func gradients(_ f: (Tensor) throws -> Tensor) throws -> Tensor {
        let p = Parameter(x)
        try weighted(f(p.tracked)).backward()
        return p.gradient!
    }
    let fusedBatch = try gradients { try Tensor.batchNormalized($0, scale: gamma6, shift: beta6, epsilon: 1e-5).output }
    let composedBatch = try gradients {
        try composedNormalization($0, axes: [0, 2, 3], scale: gamma6, shift: beta6, parameterShape: [1, 6, 1, 1], epsilon: 1e-5)
    }
    #expect(maxDifference(fusedBatch, composedBatch) < 1e-4)
    let fusedLayer = try gradients { try $0.layerNormalized([3, 2], scale: gamma32, shift: beta32, epsilon: 1e-5) }
    let composedLayer = try gradients {
        try composedNormalization($0, axes: [2, 3], scale: gamma32, shift: beta32, parameterShape: [3, 2], epsilon: 1e-5)
    }
    #expect(maxDifference(fusedLayer, composedLayer) < 1e-4)
}

@Test func normalizationGradientsMatchFiniteDifferences() throws {
    let x = testTensor([3, 4, 2, 3], seed: 1)
    let gamma = testTensor([4], seed: 2, low: 0.5, high: 1.5), beta = testTensor([4], seed: 3)
    try expectGradientMatchesFiniteDifferences(x) { try weighted(Tensor.batchNormalized($0, scale: gamma, shift: beta, epsilon: 1e-5).output) }
    try expectGradientMatchesFiniteDifferences(gamma) { try weighted(Tensor.batchNormalized(x, scale: $0, shift: beta, epsilon: 1e-5).output) }
    try expectGradientMatchesFiniteDifferences(beta) { try weighted(Tensor.batchNormalized(x, scale: gamma, shift: $0, epsilon: 1e-5).output) }
    let features = testTensor([5, 3], seed: 4)
    try expectGradientMatchesFiniteDifferences(features) { try weighted(Tensor.batchNormalized($0, scale: nil, shift: nil, epsilon: 1e-5).output) }

    try expectGradientMatchesFiniteDifferences(x) { try weighted(Tensor.channelAffine($0, scale: gamma, shift: beta)) }
    try expectGradientMatchesFiniteDifferences(gamma) { try weighted(Tensor.channelAffine(x, scale: $0, shift: beta)) }
    try expectGradientMatchesFiniteDifferences(beta) { try weighted(Tensor.channelAffine(x, scale: gamma, shift: $0)) }

    let gammaLayer = testTensor([2, 3], seed: 5, low: 0.5, high: 1.5), betaLayer = testTensor([2, 3], seed: 6)
    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.layerNormalized([2, 3], scale: gammaLayer, shift: betaLayer, epsilon: 1e-5)) }
    try expectGradientMatchesFiniteDifferences(gammaLayer) { try weighted(x.layerNormalized([2, 3], scale: $0, shift: betaLayer, epsilon: 1e-5)) }
    try expectGradientMatchesFiniteDifferences(betaLayer) { try weighted(x.layerNormalized([2, 3], scale: gammaLayer, shift: $0, epsilon: 1e-5)) }

    try expectGradientMatchesFiniteDifferences(x) { try weighted($0.groupNormalized(groups: 2, scale: gamma, shift: beta, epsilon: 1e-5)) }
    try expectGradientMatchesFiniteDifferences(gamma) { try weighted(x.groupNormalized(groups: 2, scale: $0, shift: beta, epsilon: 1e-5)) }
    try expectGradientMatchesFiniteDifferences(beta) { try weighted(x.groupNormalized(groups: 2, scale: gamma, shift: $0, epsilon: 1e-5)) }
}

@Test func normalizationShapeErrors() {
    #expect(throws: InitiumError.self) { try Tensor.batchNormalized(Tensor.zeros([1, 3]), scale: nil, shift: nil, epsilon: 1e-5) }
    #expect(throws: InitiumError.self) { try Tensor.batchNormalized(Tensor.zeros([4, 3]), scale: Tensor.ones([4]), shift: nil, epsilon: 1e-5) }
    #expect(throws: InitiumError.self) { try Tensor.zeros([2, 3, 4]).layerNormalized([3], scale: nil, shift: nil, epsilon: 1e-5) }
    #expect(throws: InitiumError.self) { try Tensor.zeros([2, 6, 4]).groupNormalized(groups: 4, scale: nil, shift: nil, epsilon: 1e-5) }
}
