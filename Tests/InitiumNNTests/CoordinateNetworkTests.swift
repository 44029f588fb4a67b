import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

private func build(_ text: String, inputs: Int, outputs: Int, seed: UInt64? = 3) throws -> CoordinateNetwork {
    let module = try ModelSpec(text).build(
        activation: .relu, inputShape: [inputs], classCount: outputs, key: seed.map { RandomKey(seed: $0) })
    return try #require(module as? CoordinateNetwork)
}

/// `layers` counts Linear layers (SIREN's 3 hidden layers are 5 Linear layers); the first has
/// role `.input`, the last `.classifier`; a Fourier encoding of m features feeds 2m inputs to the
/// first layer and is a buffer, not a parameter.
@Test func inrShapesRolesAndBuffers() throws {
    let plain = try build("inr:in=2,out=3,layers=5,width=8,act=sine(omega=30)", inputs: 2, outputs: 3)
    #expect(plain.namedParameters.map(\.path) == (0..<5).flatMap { ["layers.\(2 * $0).weight", "layers.\(2 * $0).bias"] })
    #expect(plain.namedParameters.map(\.parameter.shape) == [[8, 2], [8], [8, 8], [8], [8, 8], [8], [8, 8], [8], [3, 8], [3]])
    let linears = plain.namedModules.compactMap { $0.module as? Linear }
    #expect(linears.map(\.roles) == [[.input], [.hidden], [.hidden], [.hidden], [.classifier]])
    #expect(plain.namedBuffers.isEmpty)
    #expect(try plain(Tensor.zeros([7, 2])).shape == [7, 3])

    let encoded = try build("inr:in=2,out=1,layers=3,width=6,act=relu,encoding=fourier(sigma=10,features=5)", inputs: 2, outputs: 1)
    #expect(encoded.namedParameters.first?.parameter.shape == [6, 10])
    #expect(encoded.namedBuffers.map(\.path) == ["encoding.frequencies"])
    #expect(encoded.namedBuffers.first?.buffer.shape == [5, 2])
    #expect(encoded.parameterCount == (10 * 6 + 6) + (6 * 6 + 6) + (6 + 1))
    #expect(try ModelSpec("inr:in=2,out=1,layers=3,width=6,encoding=fourier(sigma=10,features=5)").configuration.parameterCount
        == encoded.parameterCount)
    #expect(try encoded(Tensor.zeros([4, 2])).shape == [4, 1])

    // One Linear layer is both the input and the output layer.
    let single = try build("inr:in=1,out=1,layers=1,width=4", inputs: 1, outputs: 1)
    #expect(single.namedModules.compactMap { ($0.module as? Linear)?.roles } == [[.input, .classifier]])
}

/// B ~ N(0, σ²): its sample standard deviation is σ within 5 standard errors (the sample
/// standard deviation of n normals has relative standard error ≈ 1/√(2n)); and ‖γ(v)‖² = m for
/// every v (cos² + sin² = 1 per frequency).
@Test func fourierFeaturesHaveTheirScaleAndUnitNorm() throws {
    let encoding = try FourierFeatureEncoding(inputs: 2, features: 2000, sigma: 7, scope: Scope(key: RandomKey(seed: 11)))
    let b = encoding.frequencies.value.scalars.map(Double.init)
    let std = (b.map { $0 * $0 }.reduce(0, +) / Double(b.count)).squareRoot()
    #expect(abs(std / 7 - 1) < 5 / (2 * Double(b.count)).squareRoot())
    let v = try Tensor.uniform([3, 2], low: -1, high: 1, key: RandomKey(seed: 12))
    let gamma = try encoding(v)
    #expect(gamma.shape == [3, 4000])
    for row in 0..<3 {
        let norm = (0..<4000).map { Double(gamma[flat: row * 4000 + $0]) }.map { $0 * $0 }.reduce(0, +)
        #expect(abs(norm - 2000) < 1e-2)
    }
}

/// The forward pass of a tiny network with set weights equals the formula computed by hand:
/// y = W₂ sin(ω(W₁γ(x) + b₁)) + b₂ with γ(x) = [cos 2πBx, sin 2πBx].
@Test func inrForwardEqualsAHandComputation() throws {
    let net = try build("inr:in=1,out=1,layers=2,width=2,act=sine(omega=3),encoding=fourier(sigma=1,features=1)", inputs: 1, outputs: 1)
    let state: [String: [Float]] = [
        "encoding.frequencies": [0.25], "layers.0.weight": [0.5, -1, 2, 0.25], "layers.0.bias": [0.1, -0.2],
        "layers.2.weight": [1.5, -0.5], "layers.2.bias": [0.3],
    ]
    for (path, tensor) in net.namedState { tensor.value = try Tensor(shape: tensor.shape, scalars: try #require(state[path])) }
    for x in [-1.0, 0.2, 0.7] {
        let phase = 2 * Double.pi * 0.25 * x
        let gamma = [cos(phase), sin(phase)]
        let h0 = sin(3 * (0.5 * gamma[0] - 1 * gamma[1] + 0.1))
        let h1 = sin(3 * (2 * gamma[0] + 0.25 * gamma[1] - 0.2))
        let expected = 1.5 * h0 - 0.5 * h1 + 0.3
        let y = try net(Tensor(shape: [1, 1], scalars: [Float(x)]))
        #expect(abs(Double(y.scalar) - expected) < 1e-5)
    }
}

/// Gradients with respect to the coordinates and every trainable parameter match finite
/// differences, through the encoding and the sine layers; the frequencies get none (a buffer).
@Test(arguments: ["sine(omega=3)", "gaussian", "tanh"])
func inrGradientsMatchFiniteDifferences(activation: String) throws {
    let net = try build("inr:in=2,out=2,layers=3,width=5,act=\(activation),encoding=fourier(sigma=0.5,features=3)", inputs: 2, outputs: 2)
    #expect(!net.namedParameters.contains { $0.path.hasPrefix("encoding") })
    try expectModuleGradientsMatchFiniteDifferences(net, input: layerTestTensor([4, 2], seed: 9, low: -0.5, high: 0.5), step: 5e-3)
}

/// Save and load: a checkpoint of an encoded network rebuilds it (weights and Fourier
/// frequencies) with bit-identical outputs, although the rebuilt network starts with zero frequencies.
@Test func inrCheckpointRoundTripKeepsTheFourierFrequencies() throws {
    let text = "inr:in=2,out=1,layers=3,width=6,act=sine(omega=30),encoding=fourier(sigma=10,features=4)"
    let net = try build(text, inputs: 2, outputs: 1, seed: 21)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("initium-\(UUID().uuidString)-inr.safetensors").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    try ModelCheckpoint(model: text, activation: "relu", inputShape: [2], classCount: 1, dataset: "signal").write(net, to: path)
    let (_, loaded) = try ModelCheckpoint.load(from: path)
    let frequencies = try #require(loaded.namedBuffers.first { $0.path == "encoding.frequencies" }).buffer.value
    #expect(frequencies.scalars == net.encoding!.frequencies.value.scalars)
    #expect(frequencies.scalars.contains { $0 != 0 })
    let x = try Tensor.uniform([5, 2], low: -1, high: 1, key: RandomKey(seed: 4))
    #expect(try loaded(x).scalars == net(x).scalars)
}

/// The spec's activation is the model's (not the run's), and keyed specs split at top-level
/// commas only, so activation parameters pass through (for `gcn:` too).
@Test func inrSpecNamesItsActivation() throws {
    let spec = try ModelSpec("inr:in=2,out=1,layers=2,width=4,act=sine(omega=30)")
    #expect(spec.activation(default: .relu).description == "sine(omega=30)")
    #expect(try ModelSpec("inr:in=2,out=1,layers=2,width=4").activation(default: .tanh) == .tanh)
    #expect(try ModelSpec("gcn:layers=2,width=4,act=leaky-relu(slope=0.2)").activation(default: .relu).description == "leaky-relu(slope=0.2)")
    let net = try build("inr:in=1,out=1,layers=2,width=3,act=sine(omega=30)", inputs: 1, outputs: 1)
    let activations = net.namedModules.compactMap { ($0.module as? ActivationLayer)?.activation.description }
    #expect(activations == ["sine(omega=30)"])
}

/// Bad specs and data that do not fit: one error naming the problem.
@Test(arguments: [
    ("inr:in=2,out=1,width=8", "missing 'layers'"),
    ("inr:in=2,out=1,layers=0,width=8", "'layers' must be a positive integer"),
    ("inr:in=2,out=1,layers=3,width=8,act=sin", "'act'"),
    ("inr:in=2,out=1,layers=3,width=8,act=sine(omega=-1)", "omega must be finite and positive"),
    ("inr:in=2,out=1,layers=3,width=8,encoding=gauss(sigma=1)", "'encoding' must be fourier"),
    ("inr:in=2,out=1,layers=3,width=8,encoding=fourier(sigma=0)", "sigma must be > 0"),
    ("inr:in=2,out=1,layers=3,width=8,encoding=fourier(sigma=1,features=0)", "features must be a positive integer"),
    ("inr:in=2,out=1,layers=3,width=8,encoding=fourier(scale=1)", "no parameter 'scale'"),
    ("inr:in=2,out=1,layers=3,width=8,encoding=fourier(sigma=1", "'encoding'"),
    ("inr:in=2,out=1,layers=3,width=8,depth=2", "unknown key 'depth'"),
])
func badInrSpecsAreErrors(spec: String, message: String) throws {
    do {
        _ = try ModelSpec(spec)
        Issue.record("expected an error for \(spec)")
    } catch let error as InitiumError {
        #expect("\(error)".contains(message), "\(error)")
    }
}

/// A spec whose in/out do not match the signal's coordinates and channels is refused at build.
@Test func inrRefusesDataOfAnotherShape() throws {
    let spec = try ModelSpec("inr:in=2,out=1,layers=2,width=4")
    #expect(throws: InitiumError.self) { try spec.build(activation: .relu, inputShape: [1], classCount: 1, key: nil) }
    #expect(throws: InitiumError.self) { try spec.build(activation: .relu, inputShape: [2], classCount: 3, key: nil) }
}
