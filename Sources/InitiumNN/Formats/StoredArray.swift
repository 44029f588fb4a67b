import InitiumCore

/// An array read from or written to a file, with the element type it is stored as.
///
/// Initium computes in Float32; other stored types are converted on reading (integers up to 2²⁴
/// and all bytes/booleans exactly) and on writing.
public struct StoredArray: Sendable {
    /// The element types Initium reads and writes.
    public enum ElementType: String, Sendable, CaseIterable {
        case float32, float64, int64, int32, uint8, bool

        /// Bytes per element.
        public var byteCount: Int {
            switch self {
            case .float32, .int32: return 4
            case .float64, .int64: return 8
            case .uint8, .bool: return 1
            }
        }
    }

    /// The values as a Float32 tensor with the stored shape.
    public var tensor: Tensor
    /// The type the values are (or will be) stored as.
    public var elementType: ElementType

    /// An array; `elementType` is how it is stored.
    public init(_ tensor: Tensor, as elementType: ElementType = .float32) {
        self.tensor = tensor
        self.elementType = elementType
    }

    /// Little-endian bytes of the values in `elementType`, row-major.
    func encodedBytes() -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(tensor.count * elementType.byteCount)
        tensor.withUnsafeBufferPointer { values in
            for v in values {
                switch elementType {
                case .float32: withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                case .float64: withUnsafeBytes(of: Double(v).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
                case .int64: withUnsafeBytes(of: Int64(v).littleEndian) { bytes.append(contentsOf: $0) }
                case .int32: withUnsafeBytes(of: Int32(v).littleEndian) { bytes.append(contentsOf: $0) }
                case .uint8: bytes.append(UInt8(clamping: Int(v)))
                case .bool: bytes.append(v != 0 ? 1 : 0)
                }
            }
        }
        return bytes
    }

    /// Decodes little-endian values of `type` from `bytes[offset...]` into a tensor of `shape`.
    static func decode(_ bytes: UnsafeRawBufferPointer, type: ElementType, shape: [Int]) throws -> Tensor {
        let n = Shape.count(of: shape)
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { out in
            for i in 0..<n {
                let o = i * type.byteCount
                switch type {
                case .float32: out[i] = Float(bitPattern: UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
                case .float64: out[i] = Float(Double(bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: UInt64.self))))
                case .int64: out[i] = Float(Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: Int64.self)))
                case .int32: out[i] = Float(Int32(littleEndian: bytes.loadUnaligned(fromByteOffset: o, as: Int32.self)))
                case .uint8, .bool: out[i] = Float(bytes[o])
                }
            }
        }
        return t
    }

    /// Checks that values survive conversion to `elementType` (integers for integer types).
    func validateForWriting(path: String, name: String) throws {
        switch elementType {
        case .float32, .float64: return
        case .int64, .int32, .uint8, .bool:
            let (low, high): (Float, Float) = elementType == .uint8 ? (0, 255) : (elementType == .bool ? (0, 1) : (-16_777_216, 16_777_216))
            let ok = tensor.withUnsafeBufferPointer { $0.allSatisfy { $0 == $0.rounded() && $0 >= low && $0 <= high } }
            guard ok else {
                throw InitiumError.file(path: path, problem: "\(name): values are not all \(elementType.rawValue) integers in [\(low), \(high)]")
            }
        }
    }
}
