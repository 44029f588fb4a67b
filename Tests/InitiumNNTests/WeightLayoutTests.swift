import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

private struct FanFixture: Decodable {
    struct Module: Decodable {
        let layout: String
        let in_channels: Int
        let out_channels: Int
        let kernel: Int
        let groups: Int
        let shape: [Int]
        let torch_fan_in: Int
        let torch_fan_out: Int
    }
    struct Row: Decodable { let shape: [Int]; let fan_in: Int; let fan_out: Int }
    let fans: [Row]
    let modules: [Module]
}

/// For ungrouped linear and convolution weights our fans equal PyTorch's
/// (`_calculate_fan_in_and_fan_out`, fixture made by scripts/torch_fan_fixture.py).
@Test func fansMatchPyTorchForOrdinaryShapes() throws {
    let url = try #require(Bundle.module.url(forResource: "torch_fans", withExtension: "json", subdirectory: "Fixtures"))
    let fixture = try JSONDecoder().decode(FanFixture.self, from: Data(contentsOf: url))
    for row in fixture.fans {
        let layout = try WeightLayout(row.shape, kind: row.shape.count == 2 ? .linear : .convolution(groups: 1))
        #expect(layout.fanIn == row.fan_in, "fan_in of \(row.shape)")
        #expect(layout.fanOut == row.fan_out, "fan_out of \(row.shape)")
    }
}

/// Grouped and depthwise convolutions: each output sees in/g channels, each input feeds out/g
/// (PyTorch reports out·rf, pytorch/pytorch#23854: Conv2d(4,4,3,groups=4) gives 36, not 9).
@Test func groupedAndTransposedFans() throws {
    let depthwise = try WeightLayout([4, 1, 3, 3], kind: .convolution(groups: 4))
    #expect(depthwise.fanIn == 9 && depthwise.fanOut == 9)
    let grouped = try WeightLayout([8, 2, 3, 3], kind: .convolution(groups: 2))
    #expect(grouped.fanIn == 18 && grouped.fanOut == 36)
    // ConvTranspose2d(6 → 4, k=3, groups=2): weight [6, 2, 3, 3]; each output sees 3 inputs.
    let transposed = try WeightLayout([6, 2, 3, 3], kind: .transposedConvolution(groups: 2))
    #expect(transposed.fanIn == 27 && transposed.fanOut == 18)
    #expect(throws: InitiumError.self) { try WeightLayout([6, 1, 3, 3], kind: .convolution(groups: 4)) }
}

/// Real PyTorch modules' weights (scripts/torch_fan_fixture.py), including the grouped and
/// transposed cases PyTorch gets wrong. For every one: fan_in = (in_channels/groups)·rf and
/// fan_out = (out_channels/groups)·rf, by construction from the module's hyper-parameters; and
/// the documented relation to PyTorch's numbers — equal fan_in and fan_out/groups for
/// convolutions (pytorch#23854), swapped for transposed ones (PyTorch reads their [in, out/g, k…]
/// weight as [out, in, k…]; tensorflow#31192).
@Test func fansOfRealModulesAreCorrectByConstruction() throws {
    let url = try #require(Bundle.module.url(forResource: "torch_fans", withExtension: "json", subdirectory: "Fixtures"))
    let fixture = try JSONDecoder().decode(FanFixture.self, from: Data(contentsOf: url))
    #expect(fixture.modules.count == 8)
    for m in fixture.modules {
        let l = try WeightLayout(m.shape, layoutName: m.layout, groups: m.groups)
        let rf = l.receptiveField
        #expect(rf == Int(pow(Double(m.kernel), Double(m.shape.count - 2))))
        #expect(l.fanIn == m.in_channels / m.groups * rf, "fan_in \(m.layout) \(m.shape) groups \(m.groups)")
        #expect(l.fanOut == m.out_channels / m.groups * rf, "fan_out \(m.layout) \(m.shape) groups \(m.groups)")
        if m.layout.hasPrefix("conv-transpose") {
            #expect(l.fanIn == m.torch_fan_out / m.groups && l.fanOut == m.torch_fan_in)
        } else {
            #expect(l.fanIn == m.torch_fan_in && l.fanOut == m.torch_fan_out / m.groups)
        }
    }
}

@Test func layoutNamesCheckRankAndGroups() throws {
    #expect(try WeightLayout([64, 32, 3, 3], layoutName: nil).kind == .convolution(groups: 1))
    #expect(try WeightLayout([64, 32], layoutName: nil).kind == .linear)
    #expect(try WeightLayout([8, 2, 3, 3], layoutName: "conv2d", groups: 4).groups == 4)
    #expect(throws: InitiumError.self) { try WeightLayout([64, 32, 3], layoutName: "conv2d") }
    #expect(throws: InitiumError.self) { try WeightLayout([64, 32], layoutName: "linear", groups: 2) }
    #expect(throws: InitiumError.self) { try WeightLayout([64, 32, 3, 3], layoutName: "sideways") }
    #expect(throws: InitiumError.self) { try WeightLayout([6, 2, 3, 3], layoutName: "conv2d", groups: 4) }
}

/// Embeddings: rows are looked up (one-hot inputs), so fan_in = the number of rows.
@Test func embeddingAndOverrideFans() throws {
    let embedding = try WeightLayout([1000, 64], layoutName: "embedding")
    #expect(embedding.fanIn == 1000 && embedding.fanOut == 64)
    let foreign = try WeightLayout([3, 3, 16, 32], kind: .linear, fans: .init(fanIn: 144, fanOut: 288))
    #expect(foreign.fanIn == 144 && foreign.fanOut == 288)
    #expect(throws: InitiumError.self) { try WeightLayout([3, 3], kind: .linear, fans: .init(fanIn: 0, fanOut: 1)) }
}

/// The flattened matrix view PyTorch's orthogonal_ and sparse_ use.
@Test func flattenedMatrixFollowsPyTorch() throws {
    let l = try WeightLayout([8, 4, 3, 3], layoutName: "conv2d")
    #expect(l.flattenedMatrix.rows == 8 && l.flattenedMatrix.columns == 36)
    #expect(l.kernelShape == [3, 3] && l.isConvolution)
}
