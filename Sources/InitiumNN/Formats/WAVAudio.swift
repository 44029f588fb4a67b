import Foundation
import InitiumCore

/// 16-bit PCM audio in a RIFF/WAVE file (Microsoft's WAVE format: a `RIFF` header, a `fmt `
/// chunk and a `data` chunk, little-endian), parsed and written by hand.
///
/// Only 16-bit integer PCM is read (format tag 1, or WAVE_FORMAT_EXTENSIBLE with the PCM
/// sub-format); any other encoding is refused with what it is ("8-bit PCM", "32-bit IEEE
/// float", "A-law", …). Samples are interleaved: frame by frame, channel by channel.
public struct WAVAudio: Sendable, Equatable {
    /// Frames per second.
    public let sampleRate: Int
    /// Channels per frame.
    public let channels: Int
    /// `frames · channels` samples, interleaved.
    public let samples: [Int16]

    /// Audio; throws unless the rate and channels are positive and `samples` holds whole frames.
    public init(sampleRate: Int, channels: Int, samples: [Int16]) throws {
        guard sampleRate > 0, sampleRate <= Int(UInt32.max), channels > 0, channels <= Int(UInt16.max),
              samples.count % channels == 0 else {
            throw InitiumError.invalidArgument("WAV audio needs a positive rate and channel count and whole frames, got rate \(sampleRate), \(channels) channels, \(samples.count) samples")
        }
        self.sampleRate = sampleRate
        self.channels = channels
        self.samples = samples
    }

    /// Frames (samples per channel).
    public var frameCount: Int { samples.count / channels }

    /// Reads the WAV file at `path`; throws naming the file and the problem.
    public static func read(from path: String) throws -> WAVAudio {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InitiumError.file(path: path, problem: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")
        }
        return try decode(data, source: path)
    }

    /// Parses WAV bytes; `source` names them in errors.
    public static func decode(_ data: Data, source: String) throws -> WAVAudio {
        let bytes = [UInt8](data)
        func fail(_ problem: String) -> InitiumError { .file(path: source, problem: problem) }
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func tag(_ at: Int) -> String { String(decoding: bytes[at..<at + 4], as: UTF8.self) }
        guard bytes.count >= 12, tag(0) == "RIFF", tag(8) == "WAVE" else {
            throw fail("is not a WAV file (no RIFF/WAVE header)")
        }
        var format: (tag: Int, channels: Int, rate: Int, blockAlign: Int, bits: Int)?
        var offset = 12
        while offset + 8 <= bytes.count {
            let id = tag(offset), size = u32(offset + 4)
            let body = offset + 8
            guard size <= bytes.count - body else {
                throw fail("is truncated: its '\(id)' chunk claims \(size) bytes, \(bytes.count - body) remain")
            }
            if id == "fmt " {
                guard size >= 16 else { throw fail("has a 'fmt ' chunk of \(size) bytes, fewer than the 16 a WAV format needs") }
                var formatTag = u16(body)
                if formatTag == 0xFFFE {
                    // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
                    guard size >= 40 else { throw fail("has an extensible 'fmt ' chunk of \(size) bytes, fewer than 40") }
                    formatTag = u16(body + 24)
                }
                format = (formatTag, u16(body + 2), u32(body + 4), u16(body + 12), u16(body + 14))
            } else if id == "data" {
                guard let format else { throw fail("has its 'data' chunk before the 'fmt ' chunk") }
                guard format.tag == 1, format.bits == 16 else {
                    throw fail("is \(describe(tag: format.tag, bits: format.bits)) audio; only 16-bit PCM WAV is read")
                }
                guard format.channels > 0, format.rate > 0, format.blockAlign == 2 * format.channels else {
                    throw fail("has an inconsistent format: \(format.channels) channels, \(format.rate) Hz, \(format.blockAlign)-byte frames")
                }
                let frames = size / format.blockAlign
                guard frames > 0 else { throw fail("holds no audio frames") }
                var samples = [Int16](repeating: 0, count: frames * format.channels)
                for i in 0..<samples.count { samples[i] = Int16(bitPattern: UInt16(u16(body + 2 * i))) }
                return try WAVAudio(sampleRate: format.rate, channels: format.channels, samples: samples)
            }
            offset = body + size + (size & 1)
        }
        throw fail(format == nil ? "has no 'fmt ' chunk" : "has no 'data' chunk")
    }

    /// What a format tag and sample size are, in words.
    static func describe(tag: Int, bits: Int) -> String {
        switch tag {
        case 1: return "\(bits)-bit PCM"
        case 3: return "\(bits)-bit IEEE float"
        case 2: return "Microsoft ADPCM"
        case 6: return "A-law"
        case 7: return "μ-law"
        case 0x11: return "IMA ADPCM"
        case 0x55: return "MPEG layer 3"
        default: return String(format: "format tag 0x%04X", tag)
        }
    }

    /// The 44-byte-header WAV encoding (format tag 1, 16 bits).
    public func encoded() -> Data {
        var out = Data()
        func put32(_ v: Int) { withUnsafeBytes(of: UInt32(v).littleEndian) { out.append(contentsOf: $0) } }
        func put16(_ v: Int) { withUnsafeBytes(of: UInt16(v).littleEndian) { out.append(contentsOf: $0) } }
        let dataBytes = samples.count * 2
        out.append(contentsOf: Array("RIFF".utf8)); put32(36 + dataBytes)
        out.append(contentsOf: Array("WAVE".utf8))
        out.append(contentsOf: Array("fmt ".utf8)); put32(16)
        put16(1); put16(channels); put32(sampleRate); put32(sampleRate * channels * 2); put16(channels * 2); put16(16)
        out.append(contentsOf: Array("data".utf8)); put32(dataBytes)
        out.reserveCapacity(out.count + dataBytes)
        for sample in samples { put16(Int(UInt16(bitPattern: sample))) }
        return out
    }

    /// Writes the WAV encoding to `path` atomically.
    public func write(to path: String) throws {
        try AtomicWrite.write(encoded(), to: path)
    }
}
