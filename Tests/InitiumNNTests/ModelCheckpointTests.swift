import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("initium-\(UUID().uuidString)-\(name)").path
}

/// Save, load, same outputs: the rebuilt model (built with zeros, then loaded) computes the saved
/// model's logits bit for bit, and the metadata says what it is.
@Test func aCheckpointRebuildsTheModelWithTheSameOutputs() throws {
    let spec = try ModelSpec("mlp:4-6-3")
    let model = try spec.build(activation: .tanh, inputShape: [4], classCount: 3, key: RandomKey(seed: 7))
    let path = temporaryPath("model.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let saved = ModelCheckpoint(model: spec.text, activation: "tanh", inputShape: [4], classCount: 3, dataset: "blobs(n=10)")
    try saved.write(model, to: path)
    let (checkpoint, loaded) = try ModelCheckpoint.load(from: path)
    #expect(checkpoint.model == "mlp:4-6-3" && checkpoint.activation == "tanh" && checkpoint.inputShape == [4])
    #expect(checkpoint.classCount == 3 && checkpoint.dataset == "blobs(n=10)")
    let x = try Tensor.normal([5, 4], key: RandomKey(seed: 8))
    #expect(try loaded(x).scalars == model(x).scalars)
}

/// A file without Initium's metadata, and weights of another shape: one error naming the file
/// (and the tensor), and the model keeps its values.
@Test func checkpointMismatchesAreErrorsNamingTheTensorAndFile() throws {
    let path = temporaryPath("plain.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let small = try ModelSpec("mlp:4-6-3").build(activation: .relu, inputShape: [4], classCount: 3, key: RandomKey(seed: 1))
    try SafeTensorsFile.write(small.stateDictionary, to: path)
    do {
        _ = try ModelCheckpoint.load(from: path)
        Issue.record("expected an error for a file without metadata")
    } catch let error as InitiumError {
        #expect("\(error)".contains(path) && "\(error)".contains("metadata"))
    }
    let wide = try ModelSpec("mlp:4-7-3").build(activation: .relu, inputShape: [4], classCount: 3, key: RandomKey(seed: 2))
    let before = wide.parameters.map(\.value.scalars)
    do {
        try wide.load(try SafeTensorsFile.read(from: path).tensors, source: path)
        Issue.record("expected a shape mismatch")
    } catch let error as InitiumError {
        #expect("\(error)".contains("layers.0.weight") && "\(error)".contains(path))
    }
    #expect(wide.parameters.map(\.value.scalars) == before)
    var extra = small.stateDictionary
    extra.append(("head.weight", StoredArray(Tensor.zeros([1]))))
    #expect(throws: InitiumError.self) { try small.load(extra, source: path) }
}
