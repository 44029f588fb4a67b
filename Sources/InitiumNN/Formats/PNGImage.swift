import CPNG
import Foundation
import InitiumCore

/// An 8-bit image decoded from or encoded to PNG through libpng's simplified API
/// (`png_image_begin_read_from_memory` / `png_image_finish_read` / `png_image_write_to_memory`).
///
/// Pixels are row-major, top row first, `channels` bytes per pixel: 1 (grey) or 3 (RGB). Reading
/// keeps grey files grey and turns every colour file (RGB, RGBA, palette) into RGB; an alpha
/// channel is composited onto black, as libpng does when the output format has none. Files of
/// 16 bits per sample are refused: their samples are linear-light, and scaling them to 8 bits
/// would change the values the caller fits.
public struct PNGImage: Sendable, Equatable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Bytes per pixel: 1 (grey) or 3 (RGB).
    public let channels: Int
    /// `height · width · channels` bytes, row-major.
    public let pixels: [UInt8]

    /// An image; throws unless the sizes are positive, `channels` is 1 or 3 and `pixels` has
    /// `height · width · channels` bytes.
    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0, channels == 1 || channels == 3 else {
            throw InitiumError.invalidArgument("a PNG image needs positive sizes and 1 or 3 channels, got \(width)×\(height)×\(channels)")
        }
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        let (bytes, overflow2) = area.multipliedReportingOverflow(by: channels)
        guard !overflow, !overflow2, bytes == pixels.count else {
            throw InitiumError.invalidArgument("a \(width)×\(height) image with \(channels) channels needs width·height·channels bytes, got \(pixels.count)")
        }
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    // libpng's format flags (png.h: PNG_FORMAT_FLAG_ALPHA 1, _COLOR 2, _LINEAR 4); the macros
    // built from them do not import into Swift.
    private static let formatGray: UInt32 = 0
    private static let formatColor: UInt32 = 2
    private static let formatLinear: UInt32 = 4

    /// Deflate expands data at most about 1032-fold, so a PNG whose pixels would need more bytes
    /// than this multiple of its size is lying about its dimensions: refused before allocating.
    static let maximumExpansion = 1032

    /// Reads and decodes the PNG file at `path`; throws naming the file when it is missing, not a
    /// PNG, truncated or damaged, or 16-bit.
    public static func read(from path: String) throws -> PNGImage {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InitiumError.file(path: path, problem: FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist")
        }
        return try decode(data, source: path)
    }

    /// Decodes PNG bytes; `source` names them in errors.
    public static func decode(_ data: Data, source: String) throws -> PNGImage {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard data.count >= 8, Array(data.prefix(8)) == signature else {
            throw InitiumError.file(path: source, problem: "is not a PNG image (no PNG signature)")
        }
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        defer { png_image_free(&image) }
        let began = data.withUnsafeBytes { bytes in
            png_image_begin_read_from_memory(&image, bytes.baseAddress, bytes.count)
        }
        guard began != 0 else {
            throw InitiumError.file(path: source, problem: "is not a readable PNG (\(message(of: &image)))")
        }
        guard image.format & formatLinear == 0 else {
            throw InitiumError.file(path: source, problem: "is a 16-bit PNG; only 8-bit grey, RGB and RGBA images are read")
        }
        let width = Int(image.width), height = Int(image.height)
        let channels = image.format & formatColor != 0 ? 3 : 1
        let (area, overflow) = width.multipliedReportingOverflow(by: height)
        let (bytes, overflow2) = area.multipliedReportingOverflow(by: channels)
        guard width > 0, height > 0, !overflow, !overflow2, bytes / maximumExpansion <= data.count else {
            throw InitiumError.file(path: source, problem: "claims \(width)×\(height) pixels, more than its \(data.count) bytes can hold")
        }
        image.format = channels == 3 ? formatColor : formatGray
        var pixels = [UInt8](repeating: 0, count: bytes)
        let finished = pixels.withUnsafeMutableBytes { buffer in
            png_image_finish_read(&image, nil, buffer.baseAddress, Int32(width * channels), nil)
        }
        guard finished != 0 else {
            throw InitiumError.file(path: source, problem: "is a damaged or truncated PNG (\(message(of: &image)))")
        }
        return try PNGImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// The PNG encoding of the image (8-bit grey or RGB, no gamma chunk beyond libpng's sRGB default).
    public func encoded() throws -> Data {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = channels == 3 ? Self.formatColor : Self.formatGray
        defer { png_image_free(&image) }
        var size = 0
        let stride = Int32(width * channels)
        let sized = pixels.withUnsafeBytes { buffer in
            png_image_write_to_memory(&image, nil, &size, 0, buffer.baseAddress, stride, nil)
        }
        guard sized != 0, size > 0 else {
            throw InitiumError.invalidArgument("libpng cannot encode a \(width)×\(height)×\(channels) image (\(Self.message(of: &image)))")
        }
        var output = Data(count: size)
        let written = output.withUnsafeMutableBytes { out in
            pixels.withUnsafeBytes { buffer in
                png_image_write_to_memory(&image, out.baseAddress, &size, 0, buffer.baseAddress, stride, nil)
            }
        }
        guard written != 0 else {
            throw InitiumError.invalidArgument("libpng cannot encode a \(width)×\(height)×\(channels) image (\(Self.message(of: &image)))")
        }
        return output.prefix(size)
    }

    /// Writes the PNG encoding to `path` atomically.
    public func write(to path: String) throws {
        try AtomicWrite.write(try encoded(), to: path)
    }

    /// libpng's error or warning message.
    private static func message(of image: inout png_image) -> String {
        withUnsafeBytes(of: &image.message) { raw in
            let bytes = raw.prefix(while: { $0 != 0 })
            let text = String(decoding: bytes, as: UTF8.self)
            return text.isEmpty ? "libpng gave no reason" : text
        }
    }
}
