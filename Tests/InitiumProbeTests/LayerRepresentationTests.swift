import InitiumCore
import InitiumNN
import Testing
@testable import InitiumProbe

/// Representations by layer path: shapes, the default (penultimate) layer, and unknown names.
@Suite struct LayerRepresentationTests {
    static func model() throws -> any Module {
        try ModelSpec("mlp:4-8-6-3").build(activation: .relu, inputShape: [4], classCount: 3, key: RandomKey(seed: 1))
    }

    @Test func outputsAreRowsOfEachLayerInBatches() throws {
        let model = try Self.model()
        let names = LayerRepresentation.names(of: model)
        let x = try Tensor.normal([10, 4], key: RandomKey(seed: 2))
        let whole = try LayerRepresentation.outputs(of: model, layers: names, inputs: x)
        let batched = try LayerRepresentation.outputs(of: model, layers: names, inputs: x, batchSize: 3)
        for name in names {
            #expect(whole[name]!.shape[0] == 10)
            #expect(whole[name]!.scalars == batched[name]!.scalars, "\(name)")
        }
        // the last layer's output is the model's
        let logits = try model.forward(x, context: ForwardContext(mode: .inference))
        #expect(whole[names.last!]!.scalars == logits.scalars)
    }

    @Test func theDefaultLayerIsThePenultimateRepresentation() throws {
        let model = try Self.model()
        let layer = try #require(LayerRepresentation.defaultLayer(of: model))
        let x = try Tensor.normal([5, 4], key: RandomKey(seed: 3))
        #expect(try LayerRepresentation.outputs(of: model, layers: [layer], inputs: x)[layer]!.shape == [5, 6])
    }

    @Test func anUnknownLayerListsTheValidNames() throws {
        let model = try Self.model()
        do {
            _ = try LayerRepresentation.outputs(of: model, layers: ["nope"], inputs: Tensor.normal([2, 4], key: RandomKey(seed: 4)))
            Issue.record("no error")
        } catch let error as InitiumError {
            for name in LayerRepresentation.names(of: model) { #expect(error.description.contains(name)) }
        }
    }
}
