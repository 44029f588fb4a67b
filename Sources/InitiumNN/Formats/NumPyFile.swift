import Foundation
import InitiumCore

/// NumPy's `.npy` format (numpy/lib/format.py): the magic `\x93NUMPY`, a version, a header
/// length (u16 for 1.0, u32 for 2.0/3.0), an ASCII Python-dict header
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded so the data starts on a
/// 64-byte boundary, then the raw little-endian values.
public enum NumPyFile {
    static let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

    /// Reads a `.npy` file; supports `<f4 <f8 <i8 <i4 |u1 |b1` in C or Fortran order.
    public static func read(from path: String) throws -> StoredArray {
        try decode(Zlib.readFile(at: path)[...], path: path)
    }

    /// Writes `array` to `path` atomically (format 1.0).
    public static func write(_ array: StoredArray, to path: String) throws {
        try AtomicWrite.write(Data(encode(array, path: path)), to: path)
    }

    /// Writes a Float32 tensor to `path` atomically.
    public static func write(_ tensor: Tensor, to path: String) throws {
        try write(StoredArray(tensor), to: path)
    }

    /// The file bytes for `array`.
    static func encode(_ array: StoredArray, path: String) throws -> [UInt8] {
        try array.validateForWriting(path: path, name: "array")
        let shape = array.tensor.shape
        let shapeText = shape.isEmpty ? "()" : shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descriptor(for: array.elementType))', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = magic.count + 2 + 2 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes = magic + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        bytes += array.encodedBytes()
        return bytes
    }

    static func descriptor(for type: StoredArray.ElementType) -> String {
        switch type {
        case .float32: return "<f4"
        case .float64: return "<f8"
        case .int64: return "<i8"
        case .int32: return "<i4"
        case .uint8: return "|u1"
        case .bool: return "|b1"
        }
    }

    /// Parses `.npy` bytes; `path` names the file (or `archive.npz:member`) in errors.
    static func decode(_ bytes: ArraySlice<UInt8>, path: String) throws -> StoredArray {
        let b = Array(bytes)
        guard b.count >= 10, Array(b[0..<6]) == magic else {
            throw InitiumError.file(path: path, problem: "not a .npy file (bad magic number)")
        }
        let major = b[6]
        let (headerLength, headerStart): (Int, Int)
        switch major {
        case 1: (headerLength, headerStart) = (Int(b[8]) | Int(b[9]) << 8, 10)
        case 2, 3:
            guard b.count >= 12 else { throw InitiumError.file(path: path, problem: "truncated .npy header") }
            (headerLength, headerStart) = (Int(b[8]) | Int(b[9]) << 8 | Int(b[10]) << 16 | Int(b[11]) << 24, 12)
        default:
            throw InitiumError.file(path: path, problem: ".npy format version \(major) is not supported (1, 2 or 3)")
        }
        guard headerStart + headerLength <= b.count else {
            throw InitiumError.file(path: path, problem: "truncated .npy header: \(headerLength) bytes declared, \(b.count - headerStart) present")
        }
        guard let header = String(bytes: b[headerStart..<(headerStart + headerLength)], encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw InitiumError.file(path: path, problem: ".npy header is not text")
        }
        let (type, fortranOrder, shape) = try parseHeader(header, path: path)
        let dataStart = headerStart + headerLength
        guard let needed = Shape.checkedByteCount(of: shape, elementSize: type.byteCount) else {
            throw InitiumError.file(path: path, problem: ".npy shape \(shape) has more elements than can be addressed (corrupt header?)")
        }
        guard b.count - dataStart >= needed else {
            throw InitiumError.file(path: path, problem: "truncated .npy data: shape \(shape) needs \(needed) bytes, found \(b.count - dataStart)")
        }
        guard b.count - dataStart == needed else {
            throw InitiumError.file(path: path, problem: ".npy data has \(b.count - dataStart - needed) unexpected trailing bytes")
        }
        var tensor = try b.withUnsafeBytes { raw in
            try StoredArray.decode(UnsafeRawBufferPointer(rebasing: raw[dataStart...]), type: type, shape: fortranOrder ? shape.reversed() : shape)
        }
        if fortranOrder && shape.count > 1 {
            tensor = try tensor.permuted(Array((0..<shape.count).reversed()))
        }
        return StoredArray(tensor, as: type)
    }

    static func parseHeader(_ header: String, path: String) throws -> (StoredArray.ElementType, Bool, [Int]) {
        func value(after key: String) -> Substring? {
            guard let range = header.range(of: "'\(key)'") else { return nil }
            var rest = header[range.upperBound...].drop { $0 == " " }
            guard rest.first == ":" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " }
            return rest
        }
        guard let descrPart = value(after: "descr"), let quote = descrPart.first, quote == "'" || quote == "\"",
              let end = descrPart.dropFirst().firstIndex(of: quote) else {
            throw InitiumError.file(path: path, problem: ".npy header has no 'descr': \(header)")
        }
        let descr = String(descrPart[descrPart.index(after: descrPart.startIndex)..<end])
        let types: [String: StoredArray.ElementType] = [
            "<f4": .float32, "<f8": .float64, "<i8": .int64, "<i4": .int32, "|u1": .uint8, "|b1": .bool,
            "=f4": .float32, "=f8": .float64, "=i8": .int64, "=i4": .int32, "<u1": .uint8, "u1": .uint8, "?": .bool, "|?": .bool,
        ]
        guard let type = types[descr] else {
            let reason = descr.hasPrefix(">") ? "big-endian data" : "dtype"
            throw InitiumError.file(path: path, problem: "unsupported .npy \(reason) '\(descr)' (use float32/float64/int64/int32/uint8/bool, little-endian)")
        }
        guard let orderPart = value(after: "fortran_order") else {
            throw InitiumError.file(path: path, problem: ".npy header has no 'fortran_order'")
        }
        let fortran: Bool
        if orderPart.hasPrefix("True") { fortran = true } else if orderPart.hasPrefix("False") { fortran = false } else {
            throw InitiumError.file(path: path, problem: ".npy 'fortran_order' is neither True nor False")
        }
        guard let shapePart = value(after: "shape"), shapePart.first == "(", let close = shapePart.firstIndex(of: ")") else {
            throw InitiumError.file(path: path, problem: ".npy header has no 'shape' tuple")
        }
        let inner = shapePart[shapePart.index(after: shapePart.startIndex)..<close]
        var shape: [Int] = []
        for piece in inner.split(separator: ",") {
            let trimmed = piece.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let d = Int(trimmed.hasSuffix("L") ? String(trimmed.dropLast()) : trimmed), d >= 0 else {
                throw InitiumError.file(path: path, problem: ".npy shape entry '\(trimmed)' is not a size")
            }
            shape.append(d)
        }
        return (type, fortran, shape)
    }
}
