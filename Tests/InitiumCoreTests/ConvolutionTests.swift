import Testing
@testable import InitiumCore

/// The convolution straight from its definition, one output at a time, as the reference for the
/// im2col + GEMM kernel.
private func directConvolution(
    _ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: Size2d, padding: Size2d, dilation: Size2d, groups: Int
) -> Tensor {
    let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (m, cg, kh, kw) = (w.shape[0], w.shape[1], w.shape[2], w.shape[3])
    let oh = (h + 2 * padding.height - dilation.height * (kh - 1) - 1) / stride.height + 1
    let ow = (wd + 2 * padding.width - dilation.width * (kw - 1) - 1) / stride.width + 1
    let (xs, ws, bs) = (x.scalars, w.scalars, b?.scalars)
    var ys = [Float](repeating: 0, count: n * m * oh * ow)
    let mg = m / groups
    for i in 0..<n {
        for o in 0..<m {
            for oy in 0..<oh {
                for ox in 0..<ow {
                    var total = bs?[o] ?? 0
                    for ci in 0..<cg {
                        for u in 0..<kh {
                            for v in 0..<kw {
                                let iy = oy * stride.height - padding.height + u * dilation.height
                                let ix = ox * stride.width - padding.width + v * dilation.width
                                guard iy >= 0, iy < h, ix >= 0, ix < wd else { continue }
                                let xi = ((i * c + (o / mg) * cg + ci) * h + iy) * wd + ix
                                total += ws[((o * cg + ci) * kh + u) * kw + v] * xs[xi]
                            }
                        }
                    }
                    ys[((i * m + o) * oh + oy) * ow + ox] = total
                }
            }
        }
    }
    return try! Tensor(shape: [n, m, oh, ow], scalars: ys)
}

private func weighted(_ y: Tensor) throws -> Tensor {
    try (y * testTensor(y.shape, seed: 99)).sum()
}

/// A convolution configuration: input shape, weight shape, stride, padding, dilation, groups.
struct ConvolutionCase: Sendable, CustomTestStringConvertible {
    let input: [Int], weight: [Int]
    let stride: Size2d, padding: Size2d, dilation: Size2d
    let groups: Int
    var testDescription: String { "x\(input) w\(weight) s\(stride) p\(padding) d\(dilation) g\(groups)" }
}

private let convolutionCases: [ConvolutionCase] = [
    .init(input: [2, 3, 6, 5], weight: [4, 3, 3, 3], stride: 1, padding: 1, dilation: 1, groups: 1),
    .init(input: [3, 4, 7, 7], weight: [6, 2, 3, 2], stride: Size2d(2, 1), padding: Size2d(1, 0), dilation: 1, groups: 2),
    .init(input: [2, 2, 7, 6], weight: [3, 2, 3, 3], stride: 1, padding: 2, dilation: 2, groups: 1),
    .init(input: [1, 3, 5, 5], weight: [3, 1, 3, 3], stride: 2, padding: 1, dilation: 1, groups: 3),
    .init(input: [2, 4, 4, 4], weight: [5, 4, 1, 1], stride: 2, padding: 0, dilation: 1, groups: 1),
]

/// im2col + GEMM equals the direct definition; float sums in a different order agree to ~1e-6.
@Test(arguments: convolutionCases)
func convolutionMatchesDefinition(c: ConvolutionCase) throws {
    let x = testTensor(c.input, seed: 1), w = testTensor(c.weight, seed: 2), b = testTensor([c.weight[0]], seed: 3)
    let y = try Tensor.conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
    let expected = directConvolution(x, w, b, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups)
    #expect(y.shape == expected.shape)
    let error = zip(y.scalars, expected.scalars).map { abs($0 - $1) }.max() ?? 0
    #expect(error < 1e-5)
}

@Test(arguments: convolutionCases)
func convolutionGradientsMatchFiniteDifferences(c: ConvolutionCase) throws {
    let x = testTensor(c.input, seed: 1), w = testTensor(c.weight, seed: 2), b = testTensor([c.weight[0]], seed: 3)
    func conv(_ x: Tensor, _ w: Tensor, _ b: Tensor) throws -> Tensor {
        try weighted(Tensor.conv2d(x, weight: w, bias: b, stride: c.stride, padding: c.padding, dilation: c.dilation, groups: c.groups))
    }
    try expectGradientMatchesFiniteDifferences(x) { try conv($0, w, b) }
    try expectGradientMatchesFiniteDifferences(w) { try conv(x, $0, b) }
    try expectGradientMatchesFiniteDifferences(b) { try conv(x, w, $0) }
}

/// Large inputs split the batch into several blocks: one image per block (the path without
/// gathering), or several blocks in several lanes whose weight-gradient partial sums are added at
/// the end. Forward against the definition; pullbacks by the adjoint identities of a bilinear map,
/// ⟨conv(x, W), G⟩ = ⟨x, ∂x⟩ = ⟨W, ∂W⟩, exact in real arithmetic (Float32 sums of ~10⁵ O(1)
/// terms agree to well within 1e-3 relative).
@Test(arguments: [([2, 1, 250, 250], [1, 1, 3, 3], 1, 2), ([12, 2, 64, 64], [3, 2, 3, 3], 1, 2), ([12, 2, 128, 128], [3, 2, 3, 3], 2, 2)])
func convolutionOfLargeBatchesMatchesAcrossBlocks(input: [Int], weight: [Int], stride: Int, lanes: Int) throws {
    let x = testTensor(input, seed: 4), w = testTensor(weight, seed: 5)
    let shape = try ConvolutionShape(
        input: x.shape, weight: w.shape, bias: nil, stride: Size2d(stride, stride), padding: 1, dilation: 1, groups: 1,
        operation: "test")
    #expect(shape.imagesPerBlock < input[0])
    #expect(shape.laneCount == lanes)
    let (px, pw) = (Parameter(x), Parameter(w))
    let y = try Tensor.conv2d(px.tracked, weight: pw.tracked, stride: Size2d(stride, stride), padding: 1)
    let expected = directConvolution(x, w, nil, stride: Size2d(stride, stride), padding: 1, dilation: 1, groups: 1)
    #expect(zip(y.scalars, expected.scalars).map { abs($0 - $1) }.max()! < 1e-5)
    let g = testTensor(y.shape, seed: 6)
    try (y * g).sum().backward()
    let inner = try (y.detached() * g).sum().scalar
    let viaInput = try (x * px.gradient!).sum().scalar
    let viaWeight = try (w * pw.gradient!).sum().scalar
    #expect(abs(viaInput - inner) < 1e-3 * max(1, abs(inner)))
    #expect(abs(viaWeight - inner) < 1e-3 * max(1, abs(inner)))
}

@Test func convolutionShapeErrorsNameTheShapes() {
    let x = Tensor.zeros([2, 3, 8, 8])
    #expect {
        try Tensor.conv2d(x, weight: Tensor.zeros([4, 2, 3, 3]))
    } throws: { error in
        "\(error)".contains("[2, 3, 8, 8]") && "\(error)".contains("[4, 2, 3, 3]") && "\(error)".contains("expected 2 input channels")
    }
    #expect {
        try Tensor.conv2d(x, weight: Tensor.zeros([4, 3, 11, 11]), padding: 1)
    } throws: { error in
        "\(error)".contains("kernel 11×11") && "\(error)".contains("padded input 10×10")
    }
    #expect(throws: InitiumError.self) { try Tensor.conv2d(x, weight: Tensor.zeros([4, 1, 3, 3]), groups: 3) }
    #expect(throws: InitiumError.self) { try Tensor.conv2d(x, weight: Tensor.zeros([4, 3, 3, 3]), bias: Tensor.zeros([3])) }
    #expect(throws: InitiumError.self) { try Tensor.conv2d(Tensor.zeros([3, 8, 8]), weight: Tensor.zeros([4, 3, 3, 3])) }
}
