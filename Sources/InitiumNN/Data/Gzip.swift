import CZlib
import Foundation

/// Reading files that may be gzip-compressed, through zlib.
enum Gzip {
    /// The file's bytes, decompressed if they start with the gzip magic number (1f 8b).
    /// A damaged or truncated compressed stream throws an error naming the file.
    static func readFile(at path: String) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw InitiumError.file(path: path, problem: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InitiumError.file(path: path, problem: "cannot be read (permissions?)")
        }
        let bytes = [UInt8](data)
        guard bytes.count >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B else { return bytes }
        return try inflate(bytes, path: path)
    }

    private static func inflate(_ input: [UInt8], path: String) throws -> [UInt8] {
        var stream = z_stream()
        // windowBits 15 + 16: expect a gzip header.
        guard inflateInit2_(&stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InitiumError.file(path: path, problem: "zlib could not start decompression")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(input.count * 4)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var status: Int32 = Z_OK
        try input.withUnsafeBufferPointer { inBuffer in
            stream.next_in = UnsafeMutablePointer(mutating: inBuffer.baseAddress!)
            stream.avail_in = UInt32(inBuffer.count)
            repeat {
                try chunk.withUnsafeMutableBufferPointer { outBuffer in
                    stream.next_out = outBuffer.baseAddress!
                    stream.avail_out = UInt32(outBuffer.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        let reason = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                        throw InitiumError.file(path: path, problem: "corrupt gzip data (\(reason))")
                    }
                    output.append(contentsOf: outBuffer.prefix(outBuffer.count - Int(stream.avail_out)))
                }
            } while status == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0)
        }
        guard status == Z_STREAM_END else {
            throw InitiumError.file(path: path, problem: "truncated gzip data (the compressed stream ends early)")
        }
        return output
    }
}
