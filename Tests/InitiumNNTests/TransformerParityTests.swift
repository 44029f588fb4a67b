import Foundation
import InitiumCore
import InitiumTestSupport
import Testing
@testable import InitiumNN

/// One model of `Fixtures/transformer_parity.json` (written by
/// `scripts/make_transformer_fixtures.py` from plain PyTorch in float64, nanoGPT's and Hugging
/// Face BERT's forward passes written out): hashed parameters under their names, token ids,
/// labels, the mean cross-entropy, the logits and every parameter's gradient.
private struct TransformerFixture: Decodable {
    let spec: String
    let tensors: [HashRule]
    let ids: [Int]
    let idsShape: [Int]
    let labels: [Int32]
    let loss: Double
    let logits: SampledReference
    let gradients: [SampledReference]

    enum CodingKeys: String, CodingKey {
        case spec, tensors, ids, idsShape = "ids_shape", labels, loss, logits, gradients
    }
}

private let transformerFixtures: [String: TransformerFixture] = {
    let url = Bundle.module.url(forResource: "transformer_parity", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode([String: TransformerFixture].self, from: Data(contentsOf: url))
}()

/// Forward and backward parity with PyTorch for GPT (pre-LN tied, post-LN, DeepNorm, no norm,
/// separate q/k/v with an untied head) and BERT (mean and `[CLS]` pooling, padded batch): the
/// loss, the logits and every parameter's gradient (tied `wte` gets both uses) within 1e-5
/// relative of float64 PyTorch. Float32 through two blocks gives a few 1e-7 here; a wrong
/// mask, scale, head split, norm placement or pooling errs by O(1e-2) or more.
@Test(arguments: [
    "gpt:layers=2,width=32,heads=4,context=16,norm=pre", "gpt:layers=2,width=32,heads=4,context=16,norm=post",
    "gpt:layers=2,width=32,heads=4,context=16,norm=deepnorm", "gpt:layers=2,width=32,heads=4,context=16,norm=none",
    "gpt:layers=2,width=32,heads=4,context=16,norm=pre,fused=false,tie=false",
    "bert:layers=2,width=32,heads=4,ffn=64,vocab=100,context=16,pool=mean",
    "bert:layers=2,width=32,heads=4,ffn=64,vocab=100,context=16,pool=cls",
])
func transformersMatchPyTorch(spec: String) throws {
    let fixture = try #require(transformerFixtures[spec])
    let classCount = spec.hasPrefix("gpt") ? 256 : 3
    let model = try ModelSpec(spec).build(activation: .relu, inputShape: [fixture.idsShape[1]], classCount: classCount, key: nil)
    var slots: [String: Parameter] = [:]
    for (path, p) in model.namedParameters { slots[path] = p }
    #expect(Set(fixture.tensors.map { $0.name! }) == Set(slots.keys))
    for rule in fixture.tensors {
        let slot = try #require(slots[rule.name!], "\(rule.name!) missing")
        try #require(slot.shape == rule.shape, "\(rule.name!)")
        slot.value = rule.tensor
    }
    let ids = try Tensor(shape: fixture.idsShape, scalars: fixture.ids.map(Float.init))
    model.zeroGradients()
    let logits = try model.forward(ids, context: ForwardContext(mode: .training))
    let loss = try logits.softmaxCrossEntropy(labels: fixture.labels)
    #expect(abs(Double(loss.scalar) - fixture.loss) < 1e-5 * max(1, abs(fixture.loss)))
    #expect(fixture.logits.relativeError(of: logits) < 1e-5, "logits: \(fixture.logits.relativeError(of: logits))")
    try loss.backward()
    for reference in fixture.gradients {
        let gradient = try #require(slots[reference.name!]?.gradient, "no gradient for \(reference.name!)")
        if reference.name!.hasSuffix("k_proj.bias") || reference.name!.hasSuffix("key.bias") {
            // A key bias adds q·b_k to every score of a query's row, which softmax ignores: its
            // gradient is exactly 0 (PyTorch's float64 gives ~1e-17), so only rounding remains.
            #expect(reference.norm < 1e-12 && gradient.scalars.allSatisfy { abs($0) < 1e-6 }, "\(reference.name!)")
            continue
        }
        let error = reference.relativeError(of: gradient)
        #expect(error < 1e-5, "\(reference.name!): \(error)")
    }
}
