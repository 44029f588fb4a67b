import Foundation
import InitiumCore
import Testing
@testable import InitiumNN

/// Element counts of shapes that come from outside the program are multiplied with
/// overflow-reporting arithmetic: `[2³², 2³², 4]` has 2⁶⁶ elements, which `Shape.count(of:)`'s
/// trapping `*=` would abort on.
@Test func checkedCountReportsOverflowInsteadOfTrapping() {
    #expect(Shape.checkedCount(of: [3, 4, 5]) == 60)
    #expect(Shape.checkedCount(of: []) == 1)
    #expect(Shape.checkedCount(of: [1 << 32, 1 << 32, 4]) == nil)
    #expect(Shape.checkedCount(of: [Int.max, 2]) == nil)
    #expect(Shape.checkedCount(of: [1 << 31, 1 << 31]) == 1 << 62)
    // A zero dimension anywhere makes the tensor empty, even after sizes whose product overflows.
    #expect(Shape.checkedCount(of: [1 << 40, 1 << 40, 0]) == 0)
    // Elements that fit but whose bytes do not.
    #expect(Shape.checkedByteCount(of: [1 << 62], elementSize: 4) == nil)
    #expect(Shape.checkedByteCount(of: [1 << 60], elementSize: 4) == 1 << 62)
}

/// A file in a fresh temporary directory, removed after `body`.
private func withTemporaryFile<R>(_ name: String, _ bytes: [UInt8], _ body: (String) throws -> R) throws -> R {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("initium-overflow-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return try body(url.path)
}

/// A safetensors header declaring a tensor of 2⁶⁶ float32 values (with a 16-byte buffer) is a
/// file error naming the tensor, not a crash. The bytes follow the format: an 8-byte
/// little-endian header length, the JSON header, the buffer.
@Test func safetensorsHeaderWithAHugeShapeIsAnError() throws {
    for shape in ["[4294967296,4294967296,4]", "[9223372036854775807,2]"] {
        let header = Array(#"{"w":{"dtype":"F32","shape":\#(shape),"data_offsets":[0,16]}}"#.utf8)
        var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init)
        bytes += header + [UInt8](repeating: 0, count: 16)
        try withTemporaryFile("huge.safetensors", bytes) { path in
            do {
                _ = try SafeTensorsFile.read(from: path)
                Issue.record("read a tensor of shape \(shape)")
            } catch let error as InitiumError {
                #expect("\(error)".contains("'w'") && "\(error)".contains("addressed"), "\(error)")
            }
        }
    }
}

/// The same for a `.npy` header (format 1.0: magic, version, 2-byte header length, the header
/// dict padded with spaces to a multiple of 64 bytes and ending in a newline), alone and inside
/// an `.npz` archive, which decodes its members with the same reader.
@Test func npyHeaderWithAHugeShapeIsAnError() throws {
    var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4), }"
    header += String(repeating: " ", count: (64 - (10 + header.utf8.count + 1) % 64) % 64) + "\n"
    var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)]
    bytes += Array(header.utf8) + [UInt8](repeating: 0, count: 16)
    try withTemporaryFile("huge.npy", bytes) { path in
        #expect(throws: InitiumError.self) { try NumPyFile.read(from: path) }
        do { _ = try NumPyFile.read(from: path) } catch { #expect("\(error)".contains("addressed"), "\(error)") }
    }
}

/// Model specs whose sizes cannot be built are user errors at parse time, naming the size:
/// today's example `mlp:784-4294967296-10` (3.4·10¹² parameters, 13 TB) used to die in the
/// allocator (exit 134); counts that overflow Int and absurd ResNet depths likewise. Specs of
/// ordinary size still parse.
@Test func absurdModelSizesAreUserErrors() throws {
    for spec in ["mlp:784-4294967296-10", "mlp:784-4294967296x4-10", "resnet600000002", "resnet6000000000000000002"] {
        do {
            _ = try ModelSpec(spec)
            Issue.record("\(spec) parsed")
        } catch let error as InitiumError {
            let message = "\(error)"
            #expect(message.contains(spec) && (message.contains("memory") || message.contains("overflows")), "\(message)")
        }
    }
    #expect(throws: InitiumError.self) { try ModelSpec("mlp:2-3000000000-3") }  // BLAS's 32-bit dimension
    _ = try ModelSpec("mlp:784-100000-10")
    _ = try ModelSpec("resnet110")
}
