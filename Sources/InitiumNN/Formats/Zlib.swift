import CZlib
import Foundation
import InitiumCore

/// zlib, for gzip-compressed datasets and deflated `.npz` members.
enum Zlib {
    /// The file's bytes, decompressed if they start with the gzip magic number (1f 8b).
    /// A damaged or truncated compressed stream throws an error naming the file.
    static func readMaybeGzipped(at path: String) throws -> [UInt8] {
        let bytes = try readFile(at: path)
        guard bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B else { return bytes }
        return try inflate(bytes[...], windowBits: 15 + 16, path: path, what: "gzip")
    }

    /// The file's bytes, or an error naming the file.
    static func readFile(at path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InitiumError.file(path: path, problem: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InitiumError.file(path: path, problem: "cannot be read (permissions?)")
        }
        return [UInt8](data)
    }

    /// Decompresses a deflate stream: `windowBits` 15+16 expects a gzip header, −15 raw deflate.
    static func inflate(_ input: ArraySlice<UInt8>, windowBits: Int32, path: String, what: String, expectedSize: Int? = nil) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InitiumError.file(path: path, problem: "zlib could not start decompression")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(expectedSize ?? input.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        try input.withUnsafeBufferPointer { inBuffer in
            guard let base = inBuffer.baseAddress else { return }
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = UInt32(inBuffer.count)
            repeat {
                try chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress!
                    stream.avail_out = UInt32(outBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                        throw InitiumError.file(path: path, problem: "corrupt \(what) data (\(reason))")
                    }
                    output.append(contentsOf: outBuffer.prefix(outBuffer.count - Int(stream.avail_out)))
                }
            } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard status == Z_STREAM_END else {
            throw InitiumError.file(path: path, problem: "truncated \(what) data (the compressed stream ends early)")
        }
        return output
    }

    /// The CRC-32 of `bytes` (as in zip and gzip).
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.withUnsafeBufferPointer { b in
            UInt32(CZlib.crc32(0, b.baseAddress, UInt32(b.count)))
        }
    }
}
