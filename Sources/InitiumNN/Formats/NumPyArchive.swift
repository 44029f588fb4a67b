import Foundation
import InitiumCore

/// NumPy's `.npz` archives: a zip file of `<name>.npy` members, stored (`np.savez`) or deflated
/// (`np.savez_compressed`). Reading walks the zip central directory (with ZIP64 sizes) and
/// checks each member's CRC-32; writing stores members uncompressed.
public enum NumPyArchive {
    /// Reads every array of an `.npz` file, keyed by name (without `.npy`), in archive order.
    public static func read(from path: String) throws -> [(name: String, array: StoredArray)] {
        let bytes = try Zlib.readFile(at: path)
        return try ZipArchive.members(of: bytes, path: path).map { member in
            let name = member.name.hasSuffix(".npy") ? String(member.name.dropLast(4)) : member.name
            return (name, try NumPyFile.decode(member.data[...], path: "\(path):\(member.name)"))
        }
    }

    /// Writes named arrays to `path` atomically as an uncompressed `.npz`.
    public static func write(_ arrays: [(name: String, array: StoredArray)], to path: String) throws {
        var seen = Set<String>()
        let members = try arrays.map { name, array -> (String, [UInt8]) in
            guard !name.isEmpty, seen.insert(name).inserted else {
                throw InitiumError.file(path: path, problem: "array names must be unique and non-empty, got '\(name)'")
            }
            return (name + ".npy", try NumPyFile.encode(array, path: path))
        }
        try AtomicWrite.write(Data(ZipArchive.storedArchive(members)), to: path)
    }
}

/// The parts of the zip format `.npz` needs (PKWARE APPNOTE: local headers, central directory,
/// end-of-central-directory record, ZIP64 extra field 0x0001).
enum ZipArchive {
    struct Member {
        var name: String
        var data: [UInt8]
    }

    static func members(of b: [UInt8], path: String) throws -> [Member] {
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        func u64(_ o: Int) -> Int { u32(o) | u32(o + 4) << 32 }
        func fail(_ problem: String) -> InitiumError { .file(path: path, problem: problem) }
        guard b.count >= 22 else { throw fail("not a zip/.npz archive (too short)") }
        var eocd = -1
        var o = b.count - 22
        while o >= max(0, b.count - 22 - 65_535) {
            if u32(o) == 0x0605_4B50 { eocd = o; break }
            o -= 1
        }
        guard eocd >= 0 else { throw fail("not a zip/.npz archive (no end-of-central-directory record; truncated?)") }
        var count = u16(eocd + 10)
        var directoryOffset = u32(eocd + 16)
        if (directoryOffset == 0xFFFF_FFFF || count == 0xFFFF), eocd >= 20, u32(eocd - 20) == 0x0706_4B50 {
            let record = u64(eocd - 20 + 8)
            guard record + 56 <= b.count, u32(record) == 0x0606_4B50 else { throw fail("corrupt ZIP64 end record") }
            count = u64(record + 32)
            directoryOffset = u64(record + 48)
        }
        var members: [Member] = []
        var p = directoryOffset
        for _ in 0..<count {
            guard p + 46 <= b.count, u32(p) == 0x0201_4B50 else { throw fail("corrupt zip central directory") }
            let method = u16(p + 10)
            let crc = UInt32(u32(p + 16))
            var compressedSize = u32(p + 20)
            var size = u32(p + 24)
            let nameLength = u16(p + 28), extraLength = u16(p + 30), commentLength = u16(p + 32)
            var localOffset = u32(p + 42)
            guard p + 46 + nameLength + extraLength <= b.count else { throw fail("corrupt zip central directory entry") }
            let name = String(decoding: b[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd {
                let id = u16(e), length = u16(e + 2)
                if id == 0x0001 {
                    var q = e + 4
                    if size == 0xFFFF_FFFF { size = u64(q); q += 8 }
                    if compressedSize == 0xFFFF_FFFF { compressedSize = u64(q); q += 8 }
                    if localOffset == 0xFFFF_FFFF { localOffset = u64(q) }
                }
                e += 4 + length
            }
            guard localOffset + 30 <= b.count, u32(localOffset) == 0x0403_4B50 else {
                throw fail("zip member \(name): bad local header")
            }
            let dataStart = localOffset + 30 + u16(localOffset + 26) + u16(localOffset + 28)
            guard dataStart + compressedSize <= b.count else {
                throw fail("zip member \(name) is truncated: \(compressedSize) bytes declared")
            }
            let raw = b[dataStart..<(dataStart + compressedSize)]
            let data: [UInt8]
            switch method {
            case 0: data = Array(raw)
            case 8: data = try Zlib.inflate(raw, windowBits: -15, path: "\(path):\(name)", what: "deflate", expectedSize: size)
            default: throw fail("zip member \(name) uses compression method \(method); only stored (0) and deflate (8) are supported")
            }
            guard data.count == size else { throw fail("zip member \(name): \(data.count) bytes, \(size) declared") }
            guard Zlib.crc32(data[...]) == crc else { throw fail("zip member \(name): CRC-32 mismatch (corrupt data)") }
            members.append(Member(name: name, data: data))
            p += 46 + nameLength + extraLength + commentLength
        }
        return members
    }

    /// An uncompressed zip archive of `members` (no ZIP64; each member under 4 GiB).
    static func storedArchive(_ members: [(String, [UInt8])]) throws -> [UInt8] {
        var out: [UInt8] = []
        var directory: [UInt8] = []
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func le32(_ v: Int) -> [UInt8] { le16(v & 0xFFFF) + le16(v >> 16 & 0xFFFF) }
        for (name, data) in members {
            guard data.count < 0xFFFF_FFFF, out.count < 0xFFFF_FFFF else {
                throw InitiumError.invalidArgument("archive member \(name) is too large for a plain zip")
            }
            let nameBytes = Array(name.utf8)
            let crc = Int(Zlib.crc32(data[...]))
            let offset = out.count
            let common = le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21) + le32(crc) + le32(data.count) + le32(data.count) + le16(nameBytes.count) + le16(0)
            out += le32(0x0403_4B50) + common + nameBytes + data
            directory += le32(0x0201_4B50) + le16(20) + common + le16(0) + le16(0) + le16(0) + le32(0) + le32(offset) + nameBytes
        }
        let directoryOffset = out.count
        out += directory
        out += le32(0x0605_4B50) + le16(0) + le16(0) + le16(members.count) + le16(members.count)
            + le32(directory.count) + le32(directoryOffset) + le16(0)
        return out
    }
}
