import Foundation
import InitiumCore

/// The safetensors format (huggingface/safetensors): an 8-byte little-endian header length N,
/// N bytes of UTF-8 JSON `{name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__":
/// {string: string}}`, then the byte buffer; offsets are relative to the buffer, data is C-order
/// little-endian. Reading validates the header size, every dtype, that each tensor's byte range
/// matches its shape and lies inside the buffer, and that ranges do not overlap.
public enum SafeTensorsFile {
    /// Headers larger than this are rejected (the reference implementation's limit).
    static let maximumHeaderSize = 100_000_000
    static let dtypeNames: [StoredArray.ElementType: String] = [
        .float32: "F32", .float64: "F64", .int64: "I64", .int32: "I32", .uint8: "U8", .bool: "BOOL",
    ]

    /// The tensors of a safetensors file, in buffer order, and its metadata.
    public static func read(from path: String) throws -> (tensors: [(name: String, array: StoredArray)], metadata: [String: String]) {
        let b = try Zlib.readFile(at: path)
        func fail(_ problem: String) -> InitiumError { .file(path: path, problem: problem) }
        guard b.count >= 8 else { throw fail("not a safetensors file (\(b.count) bytes, no header length)") }
        var headerLength = 0
        for i in 0..<8 { headerLength |= Int(b[i]) << (8 * i) }
        guard headerLength > 0, headerLength <= maximumHeaderSize else {
            throw fail("safetensors header length \(headerLength) is implausible (corrupt file?)")
        }
        guard 8 + headerLength <= b.count else {
            throw fail("truncated safetensors file: header of \(headerLength) bytes declared, \(b.count - 8) present")
        }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(b[8..<(8 + headerLength)]))
        } catch {
            throw fail("safetensors header is not valid JSON")
        }
        guard let header = json as? [String: Any] else { throw fail("safetensors header is not a JSON object") }
        let bufferStart = 8 + headerLength
        let bufferSize = b.count - bufferStart
        var metadata: [String: String] = [:]
        var entries: [(name: String, type: StoredArray.ElementType, shape: [Int], begin: Int, end: Int)] = []
        for (name, value) in header {
            if name == "__metadata__" {
                guard let m = value as? [String: String] else { throw fail("__metadata__ must map strings to strings") }
                metadata = m
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shape = info["shape"] as? [Int], let offsets = info["data_offsets"] as? [Int], offsets.count == 2 else {
                throw fail("tensor '\(name)': header entry needs dtype, shape and data_offsets")
            }
            guard let type = dtypeNames.first(where: { $0.value == dtype })?.key else {
                throw fail("tensor '\(name)': dtype \(dtype) is not supported (F32, F64, I64, I32, U8, BOOL)")
            }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw fail("tensor '\(name)': negative dimension in \(shape)") }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end >= begin, end <= bufferSize else {
                throw fail("tensor '\(name)': data_offsets [\(begin), \(end)] outside the \(bufferSize)-byte buffer (truncated file?)")
            }
            guard let bytes = Shape.checkedByteCount(of: shape, elementSize: type.byteCount) else {
                throw fail("tensor '\(name)': shape \(shape) has more elements than can be addressed (corrupt header?)")
            }
            guard end - begin == bytes else {
                throw fail("tensor '\(name)': \(end - begin) bytes for shape \(shape) of \(dtype)")
            }
            entries.append((name, type, shape, begin, end))
        }
        entries.sort { $0.begin < $1.begin }
        for (a, b) in zip(entries, entries.dropFirst()) where b.begin < a.end {
            throw fail("tensors '\(a.name)' and '\(b.name)' overlap in the buffer")
        }
        let tensors = try b.withUnsafeBytes { raw in
            try entries.map { e in
                let bytes = UnsafeRawBufferPointer(rebasing: raw[(bufferStart + e.begin)..<(bufferStart + e.end)])
                return (e.name, StoredArray(try StoredArray.decode(bytes, type: e.type, shape: e.shape), as: e.type))
            }
        }
        return (tensors, metadata)
    }

    /// Writes named arrays (and optional metadata) to `path` atomically. The JSON header is padded
    /// with spaces to a multiple of 8 bytes, as the reference writer does.
    public static func write(
        _ arrays: [(name: String, array: StoredArray)], metadata: [String: String] = [:], to path: String
    ) throws {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var buffer: [UInt8] = []
        for (name, array) in arrays {
            guard !name.isEmpty, name != "__metadata__", header[name] == nil else {
                throw InitiumError.file(path: path, problem: "tensor names must be unique, non-empty and not __metadata__ ('\(name)')")
            }
            try array.validateForWriting(path: path, name: name)
            let bytes = array.encodedBytes()
            header[name] = [
                "dtype": dtypeNames[array.elementType]!, "shape": array.tensor.shape,
                "data_offsets": [buffer.count, buffer.count + bytes.count],
            ] as [String: Any]
            buffer += bytes
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        json.append(contentsOf: [UInt8](repeating: 0x20, count: (8 - json.count % 8) % 8))
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(contentsOf: buffer)
        try AtomicWrite.write(out, to: path)
    }

    /// Writes Float32 tensors by name.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], to path: String) throws {
        try write(tensors.map { ($0.name, StoredArray($0.tensor)) }, to: path)
    }
}

extension Module {
    /// PyTorch's `state_dict` of the equivalent module, for saving as a checkpoint that
    /// `load_state_dict(strict=True)` accepts: the parameters and buffers (``namedState``, as
    /// Float32 under their paths), then every batch norm's `num_batches_tracked` as a rank-0 int64,
    /// a buffer PyTorch's `BatchNorm` keeps and Initium only counts (``load(_:source:)`` ignores it).
    public var stateDictionary: [(name: String, array: StoredArray)] {
        let counters = namedModules.compactMap { path, module -> (name: String, array: StoredArray)? in
            guard let norm = module as? BatchNorm else { return nil }
            let name = path.isEmpty ? "num_batches_tracked" : path + ".num_batches_tracked"
            return (name, StoredArray(Tensor(Float(norm.batchesTracked)), as: .int64))
        }
        return namedState.map { ($0.path, StoredArray($0.tensor.value)) } + counters
    }

    /// Loads parameters and buffers by path from arrays (e.g. a safetensors or `.npz`
    /// checkpoint): every entry of ``namedState`` must be present with its shape, and every array
    /// must be one of them (or a batch norm's `num_batches_tracked`); the first mismatch throws
    /// naming the tensor and `source`, before any value is changed.
    public func load(_ arrays: [(name: String, array: StoredArray)], source: String) throws {
        let byName = Dictionary(arrays.map { ($0.name, $0.array.tensor) }, uniquingKeysWith: { a, _ in a })
        let state = namedState
        for (path, parameter) in state {
            guard let tensor = byName[path] else {
                throw InitiumError.file(path: source, problem: "no tensor named '\(path)'")
            }
            guard tensor.shape == parameter.shape else {
                throw InitiumError.file(path: source, problem: "'\(path)' has shape \(tensor.shape), the model needs \(parameter.shape)")
            }
        }
        let expected = Set(state.map(\.path))
        if let extra = arrays.first(where: { !expected.contains($0.name) && !$0.name.hasSuffix("num_batches_tracked") }) {
            throw InitiumError.file(path: source, problem: "tensor '\(extra.name)' is not part of the model")
        }
        for (path, parameter) in state { parameter.value = byName[path]! }
    }
}
