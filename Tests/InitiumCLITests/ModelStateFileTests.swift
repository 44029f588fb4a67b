import Foundation
import InitiumCore
import InitiumNN
import InitiumTestSupport
import Testing

// `initium init --model M --out F` writes the model's whole state under PyTorch's names (issue 19,
// item 9). scripts/check_torch_state_dict.py ran the same commands, loaded each file into the
// equivalent PyTorch module with load_state_dict(strict=True) and recorded PyTorch's logits on a
// hashed input in Fixtures/torch_state_dict_logits.json. Here the CLI writes the file again, it is
// loaded into Initium's model, and Initium's logits must equal PyTorch's: the file is the model's
// state (every tensor, right names, right layout) and the draw is the one PyTorch saw.

private struct LogitsFixture: Decodable {
    let scheme: String
    let seed: Int
    let input: HashRule
    let models: [String: [Float]]
}

private let fixture: LogitsFixture = {
    let url = Bundle.module.url(forResource: "torch_state_dict_logits", withExtension: "json", subdirectory: "Fixtures")!
    return try! JSONDecoder().decode(LogitsFixture.self, from: Data(contentsOf: url))
}()

/// A folder of Fashion-MNIST-shaped IDX files with 8 images per split, as the script writes: the
/// scheme (he-normal) does not look at the data, the image models only need its shape.
func tinyImageFolder() throws -> URL {
    let directory = try CLI.temporaryDirectory()
    for split in ["train", "t10k"] {
        var images: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 8, 0, 0, 0, 28, 0, 0, 0, 28]
        images += (0..<(8 * 28 * 28)).map { UInt8(truncatingIfNeeded: $0 &* 37) }
        try Data(images).write(to: directory.appendingPathComponent("\(split)-images-idx3-ubyte"))
        try Data([0, 0, 8, 1, 0, 0, 0, 8] + (0..<8).map { UInt8($0) }).write(to: directory.appendingPathComponent("\(split)-labels-idx1-ubyte"))
    }
    return directory
}

/// Each model written as safetensors and as npz computes PyTorch's logits once loaded. Both
/// sides compute in float32 with different summation orders; through resnet20 (logits up to
/// ≈ 30 at he-normal with eval-mode batch norm) that differs by ~1e-5 relative; the bound is
/// 1e-4 of the largest logit (at least 1).
@Test(arguments: ["lenet300", "lenet5", "resnet20"])
func initModelOutIsTheStatePyTorchComputesTheSameLogitsFrom(model name: String) throws {
    let expected = try #require(fixture.models[name])
    let images = try tinyImageFolder()
    defer { try? FileManager.default.removeItem(at: images) }
    for file in ["state.safetensors", "state.npz"] {
        let path = images.appendingPathComponent(file).path
        let result = try CLI.run([
            "init", "--model", name, "--scheme", fixture.scheme, "--seed", "\(fixture.seed)", "--data-dir", images.path,
            "--batch", "8", "--out", path, "--json",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let arrays = file.hasSuffix(".npz") ? try NumPyArchive.read(from: path) : try SafeTensorsFile.read(from: path).tensors
        let model = try ModelSpec(name).build(activation: .relu, inputShape: [1, 28, 28], classCount: 10, key: nil)
        // Every entry of the state is in the file (load checks names and shapes) and nothing else
        // is, apart from PyTorch's batch counters.
        try model.load(arrays, source: path)
        let extra = Set(arrays.map(\.name)).subtracting(model.namedState.map(\.path))
        #expect(extra.allSatisfy { $0.hasSuffix(".num_batches_tracked") }, "\(extra.sorted())")
        #expect(extra.count == model.namedModules.filter { $0.module is BatchNorm }.count)

        let shape = name == "lenet300" ? [fixture.input.shape[0], 784] : fixture.input.shape
        let x = try fixture.input.tensor.reshaped(shape)
        let logits = try model.forward(x, context: ForwardContext(mode: .inference)).scalars
        #expect(logits.count == expected.count)
        let scale = max(1, expected.map(abs).max()!)
        let error = zip(logits, expected).map { abs($0 - $1) }.max() ?? .infinity
        #expect(error < 1e-4 * scale, "\(name) \(file): max |Initium − PyTorch| = \(error), scale \(scale)")
    }
}
