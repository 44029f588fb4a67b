import InitiumCore
import InitiumInit
import InitiumNN
import InitiumProbe
import Testing

/// Rank collapse at initialization in real GPTs (Noci et al., NeurIPS 2022): a post-LN stack with
/// Xavier weights and no residual scaling collapses its tokens onto one direction; GPT-2's scaled
/// residual projections (pre-LN) and DeepNet's α/β (DeepNorm) keep them apart.
struct TransformerSignalTests {
    private func lastCosine(norm: String, scheme: String) throws -> (cosine: Double, report: TransformerSignalReport) {
        let model = try ModelSpec("gpt:layers=12,width=64,heads=4,context=32,norm=\(norm)").build(
            activation: try Activation("gelu"), inputShape: [32], classCount: 256, key: RandomKey(seed: 0))
        try Scheme(scheme).apply(to: model, context: InitializationContext(key: RandomKey(seed: 1)))
        // byte-like token ids and next-token labels
        let ids = try Tensor.uniform([4, 32], low: 0, high: 256, key: RandomKey(seed: 2)).mapped { $0.rounded(.down) }
        let labels = (0..<(4 * 32)).map { Int32(ids[flat: ($0 + 1) % (4 * 32)]) }
        let report = try TransformerSignalReport(model: model, inputs: ids, labels: labels)
        return (report.blocks.last!.tokenCosine, report)
    }

    @Test func postLNWithXavierCollapsesWhereGPT2AndDeepNetDoNot() throws {
        let collapsed = try lastCosine(norm: "post", scheme: "glorot-normal")
        #expect(collapsed.cosine > 0.9)
        #expect(collapsed.report.blocks.contains { $0.verdict.contains("rank collapse") })
        #expect(try lastCosine(norm: "pre", scheme: "gpt2").cosine < 0.5)
        let deepnet = try lastCosine(norm: "deepnorm", scheme: "deepnet")
        #expect(deepnet.cosine < 0.5)
        #expect(deepnet.report.blocks.allSatisfy { $0.verdict == "ok" })
        // causal attention at initialization is near uniform: entropy within the causal maximum
        for block in deepnet.report.blocks {
            for entropy in block.attentionEntropy { #expect(entropy > 0 && entropy <= block.maximumEntropy) }
        }
    }
}
