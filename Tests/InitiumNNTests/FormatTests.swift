import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

private func fixture(_ name: String) throws -> String {
    try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
}

private let matrix: [Float] = (0..<12).map { Float($0) / 4 - 1 }

private func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("initium-\(UUID().uuidString)-\(name)").path
}

/// Fixtures written by NumPy (scripts/make_format_fixtures.py) load with their values and types.
@Test func readsArraysWrittenByNumPy() throws {
    let f32 = try NumPyFile.read(from: fixture("numpy-f32.npy"))
    #expect(f32.tensor.shape == [3, 4] && f32.tensor.scalars == matrix && f32.elementType == .float32)
    let fortran = try NumPyFile.read(from: fixture("numpy-f64-fortran.npy"))
    #expect(fortran.tensor.shape == [3, 4] && fortran.tensor.scalars == matrix && fortran.elementType == .float64)
    #expect(try NumPyFile.read(from: fixture("numpy-i64.npy")).tensor.scalars == [-3, 0, 7])
    #expect(try NumPyFile.read(from: fixture("numpy-bool.npy")).tensor.scalars == [1, 0, 1])
    for archive in ["numpy-stored.npz", "numpy-deflated.npz"] {
        let arrays = try NumPyArchive.read(from: fixture(archive))
        #expect(arrays.first { $0.name == "weight" }?.array.tensor.scalars == matrix)
    }
    #expect(try NumPyArchive.read(from: fixture("numpy-deflated.npz")).first { $0.name == "mask" }?.array.elementType == .uint8)
}

@Test func readsSafeTensorsWrittenByThePythonPackage() throws {
    let (tensors, metadata) = try SafeTensorsFile.read(from: fixture("python-safetensors.safetensors"))
    let byName = Dictionary(uniqueKeysWithValues: tensors.map { ($0.name, $0.array) })
    #expect(byName["weight"]?.tensor.scalars == matrix && byName["weight"]?.tensor.shape == [3, 4])
    #expect(byName["steps"]?.tensor.scalars == [3, 1, 4] && byName["steps"]?.elementType == .int64)
    #expect(byName["mask"]?.elementType == .uint8 && byName["double"]?.tensor.scalars == [0.25])
    #expect(metadata == ["source": "safetensors"])
}

@Test func roundTripsEveryFormat() throws {
    let t = try Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-7, -1e7])
    let npy = temporaryPath("w.npy"), npz = temporaryPath("w.npz"), st = temporaryPath("w.safetensors")
    defer { for p in [npy, npz, st] { try? FileManager.default.removeItem(atPath: p) } }
    try NumPyFile.write(t, to: npy)
    #expect(try NumPyFile.read(from: npy).tensor == t)
    let bias = try Tensor(shape: [3], scalars: [0.5, -0.25, 2])
    try NumPyArchive.write(
        [("a", StoredArray(t)), ("bias", StoredArray(bias)), ("m", StoredArray(Tensor.ones([4]), as: .uint8))], to: npz)
    let archive = try NumPyArchive.read(from: npz)
    #expect(archive.map(\.name) == ["a", "bias", "m"] && archive[0].array.tensor == t)
    #expect(archive[1].array.tensor.shape == [3] && archive[1].array.tensor == bias && archive[1].array.elementType == .float32)
    #expect(archive[2].array.elementType == .uint8 && archive[2].array.tensor.shape == [4] && archive[2].array.tensor.scalars == [1, 1, 1, 1])
    let steps = try Tensor(shape: [3], scalars: [3, 1, 4])
    try SafeTensorsFile.write(
        [("weight", StoredArray(t)), ("n", StoredArray(Tensor(3), as: .int64)), ("steps", StoredArray(steps, as: .int64))],
        metadata: ["k": "v"], to: st)
    let (read, metadata) = try SafeTensorsFile.read(from: st)
    #expect(read.first { $0.name == "weight" }?.array.tensor == t && metadata == ["k": "v"])
    // a rank-0 int64 stays rank 0 with its value; a 1-D int64 keeps its shape and values
    let n = try #require(read.first { $0.name == "n" }?.array)
    #expect(n.elementType == .int64 && n.tensor.shape == [] && n.tensor.scalars == [3])
    let readSteps = try #require(read.first { $0.name == "steps" }?.array)
    #expect(readSteps.elementType == .int64 && readSteps.tensor.shape == [3] && readSteps.tensor.scalars == [3, 1, 4])
    // The reference writer pads the header to a multiple of 8 bytes; so do we.
    let bytes = try Data(contentsOf: URL(fileURLWithPath: st))
    #expect(Int(bytes[0]) % 8 == 0)
}

@Test(arguments: [
    ("truncated.npy", "truncated"), ("truncated.safetensors", "truncated"), ("bad-header.safetensors", "implausible"),
    ("truncated.npz", "zip"), ("valid-images.idx", "not a .npy file"),
])
func damagedFilesThrowErrorsNamingFileAndProblem(name: String, problem: String) throws {
    let path = try fixture(name)
    do {
        if name.hasSuffix(".safetensors") {
            _ = try SafeTensorsFile.read(from: path)
        } else if name.hasSuffix(".npz") {
            _ = try NumPyArchive.read(from: path)
        } else {
            _ = try NumPyFile.read(from: path)
        }
        Issue.record("\(name) was accepted")
    } catch let error as InitiumError {
        #expect(error.description.contains(path))
        #expect(error.description.contains(problem), "\(error)")
    }
}

@Test func modelStateRoundTripsThroughSafeTensors() throws {
    let a = try MLP(widths: [4, 5, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 1)))
    let b = try MLP(widths: [4, 5, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 2)))
    let path = temporaryPath("model.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try SafeTensorsFile.write(a.stateDictionary, to: path)
    try b.load(SafeTensorsFile.read(from: path).tensors, source: path)
    #expect(zip(a.parameters, b.parameters).allSatisfy { $0.value == $1.value })
    let c = try MLP(widths: [4, 6, 3], activation: .relu, scope: Scope(key: RandomKey(seed: 2)))
    #expect(throws: InitiumError.self) { try c.load(SafeTensorsFile.read(from: path).tensors, source: path) }
}

@Test func checkpointsCarryBatchNormRunningStatistics() throws {
    let a = try ResNet(depth: 8, scope: Scope(key: RandomKey(seed: 1)))
    _ = try a.forward(Tensor.normal([4, 1, 12, 12], key: RandomKey(seed: 3)), context: ForwardContext(mode: .training))
    let b = try ResNet(depth: 8, scope: Scope(key: RandomKey(seed: 2)))
    let path = temporaryPath("resnet.safetensors")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try SafeTensorsFile.write(a.stateDictionary, to: path)
    try b.load(SafeTensorsFile.read(from: path).tensors, source: path)
    #expect(a.stateDictionary.contains { $0.name == "stem.norm.running_var" })
    #expect(zip(a.namedBuffers, b.namedBuffers).allSatisfy { $0.buffer.value == $1.buffer.value })
    #expect(a.namedBuffers.contains { $0.buffer.value != Tensor.ones($0.buffer.shape) && $0.path.hasSuffix("running_var") })
}

@Test func atomicWritesReplaceExistingFiles() throws {
    let path = temporaryPath("replace.npy")
    defer { try? FileManager.default.removeItem(atPath: path) }
    try NumPyFile.write(Tensor.ones([2]), to: path)
    try NumPyFile.write(Tensor.zeros([3]), to: path)
    #expect(try NumPyFile.read(from: path).tensor.scalars == [0, 0, 0])
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
        .filter { $0.hasPrefix(".") && $0.contains("replace.npy") }
    #expect(leftovers.isEmpty)
}
