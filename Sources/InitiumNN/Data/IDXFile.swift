import InitiumCore

/// The IDX format of MNIST and Fashion-MNIST (LeCun et al.): two zero bytes, a type byte, the
/// number of dimensions, each dimension as a big-endian UInt32, then the values in row-major order.
/// Files may be gzip-compressed.
public struct IDXFile: Sendable {
    /// The element type codes of the format.
    public enum ElementType: UInt8, Sendable {
        case unsignedByte = 0x08, signedByte = 0x09, short = 0x0B, int = 0x0C, float = 0x0D, double = 0x0E

        var byteCount: Int {
            switch self {
            case .unsignedByte, .signedByte: return 1
            case .short: return 2
            case .int, .float: return 4
            case .double: return 8
            }
        }
    }

    /// The dimensions.
    public let shape: [Int]
    /// The element type stored in the file.
    public let elementType: ElementType
    /// The values converted to Float, row-major.
    public let values: [Float]

    /// Reads and validates an IDX file (magic number, dimensions, exact byte count).
    public init(path: String) throws {
        let bytes = try Zlib.readMaybeGzipped(at: path)
        try self.init(bytes: bytes, path: path)
    }

    /// Parses IDX bytes; `path` is used in error messages.
    public init(bytes: [UInt8], path: String) throws {
        guard bytes.count >= 4 else {
            throw InitiumError.file(path: path, problem: "not an IDX file: \(bytes.count) bytes, too short for the header")
        }
        guard bytes[0] == 0, bytes[1] == 0, let type = ElementType(rawValue: bytes[2]) else {
            let magic = bytes.prefix(4).map { String($0, radix: 16) }.joined(separator: " ")
            throw InitiumError.file(path: path, problem: "not an IDX file: bad magic number \(magic)")
        }
        let rank = Int(bytes[3])
        guard rank >= 1 else { throw InitiumError.file(path: path, problem: "IDX header declares 0 dimensions") }
        let headerSize = 4 + 4 * rank
        guard bytes.count >= headerSize else {
            throw InitiumError.file(path: path, problem: "truncated IDX header: \(bytes.count) bytes, need \(headerSize)")
        }
        var shape: [Int] = []
        var total = 1
        for d in 0..<rank {
            let o = 4 + 4 * d
            let size = Int(bytes[o]) << 24 | Int(bytes[o + 1]) << 16 | Int(bytes[o + 2]) << 8 | Int(bytes[o + 3])
            shape.append(size)
            let (product, overflow) = total.multipliedReportingOverflow(by: size)
            guard !overflow, product <= 1 << 34 else {
                throw InitiumError.file(path: path, problem: "IDX dimensions \(shape) are implausibly large")
            }
            total = product
        }
        let expected = headerSize + total * type.byteCount
        guard bytes.count == expected else {
            let what = bytes.count < expected ? "truncated" : "has trailing bytes"
            throw InitiumError.file(
                path: path,
                problem: "IDX file \(what): dimensions \(shape) need \(expected) bytes, found \(bytes.count)")
        }
        self.shape = shape
        self.elementType = type
        self.values = bytes.withUnsafeBufferPointer { b in
            let data = b.baseAddress! + headerSize
            return (0..<total).map { i in Self.value(at: i, in: data, type: type) }
        }
    }

    private static func value(at i: Int, in data: UnsafePointer<UInt8>, type: ElementType) -> Float {
        func bigEndian(_ offset: Int, _ count: Int) -> UInt64 {
            var v: UInt64 = 0
            for j in 0..<count { v = v << 8 | UInt64(data[offset + j]) }
            return v
        }
        switch type {
        case .unsignedByte: return Float(data[i])
        case .signedByte: return Float(Int8(bitPattern: data[i]))
        case .short: return Float(Int16(bitPattern: UInt16(bigEndian(2 * i, 2))))
        case .int: return Float(Int32(bitPattern: UInt32(bigEndian(4 * i, 4))))
        case .float: return Float(bitPattern: UInt32(bigEndian(4 * i, 4)))
        case .double: return Float(Double(bitPattern: bigEndian(8 * i, 8)))
        }
    }
}
