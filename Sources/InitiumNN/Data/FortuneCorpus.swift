import Foundation
import InitiumCore

/// The fortune cookies of Debian's `fortunes` package (about 2.5 MB of English text in ~40
/// category files), read and split the one way both fortune datasets (``FortunesBytes``,
/// ``FortunesTopics``) and the reference scripts in `scripts/` use:
///
/// - files: the regular files (not symlinks, not folders) of the directory whose names contain no
///   `.` (so `cookie`, not `cookie.dat` or `cookie.u8`), sorted by name in byte order;
/// - lines: a file's bytes split at `\n`, without the empty piece after a final `\n`;
/// - fortunes: the runs of lines between lines that are exactly `%`; a fortune is its lines joined
///   with `\n` plus a final `\n`; fortunes that are empty or only ASCII whitespace (space, `\t`,
///   `\n`, `\v`, `\f`, `\r`) are dropped;
/// - split: within each file, fortune `i` (0-based, after dropping) is a validation fortune when
///   `i % 10 == 9`, a training fortune otherwise.
public struct FortuneCorpus: Sendable {
    /// Where Debian's `fortunes` package installs the files.
    public static let defaultDirectory = "/usr/share/games/fortunes"

    /// One category file and its fortunes (raw bytes, each ending in `\n`), in file order.
    public struct File: Sendable {
        /// The file's name, which is the category (`cookie`, `computers`…).
        public var name: String
        /// The file's fortunes in order.
        public var fortunes: [[UInt8]]

        /// The file's fortunes of one split, in order.
        public func fortunes(in split: Split) -> [[UInt8]] {
            fortunes.enumerated().filter { FortuneCorpus.split(ofFortuneAt: $0.offset) == split }.map(\.element)
        }

        /// The number of bytes of all its fortunes: the size by which ``FortunesTopics`` ranks categories.
        public var byteCount: Int { fortunes.reduce(0) { $0 + $1.count } }
    }

    /// The two halves of the corpus.
    public enum Split: String, Sendable {
        /// Nine fortunes in ten of each file.
        case training
        /// Every tenth fortune of each file (`i % 10 == 9`), also the test set.
        case validation
    }

    /// The directory read.
    public var directory: String
    /// The category files, sorted by name.
    public var files: [File]

    /// The split of the fortune at 0-based position `index` of its file.
    public static func split(ofFortuneAt index: Int) -> Split { index % 10 == 9 ? .validation : .training }

    /// The directory to read: an explicit one, else ``defaultDirectory``.
    public static func directory(explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        return defaultDirectory
    }

    /// Reads every category file of `directory`; throws ``InitiumError/missingDataset(name:path:hint:)``
    /// when the directory holds no fortune file, ``InitiumError/file(path:problem:)`` when one cannot be read.
    public init(directory: String) throws {
        self.directory = directory
        let manager = FileManager.default
        let names = (try? manager.contentsOfDirectory(atPath: directory)) ?? []
        var files: [File] = []
        for name in names.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) where !name.contains(".") {
            let path = (directory as NSString).appendingPathComponent(name)
            guard let attributes = try? manager.attributesOfItem(atPath: path),
                attributes[.type] as? FileAttributeType == .typeRegular
            else { continue }
            guard let data = manager.contents(atPath: path) else {
                throw InitiumError.file(path: path, problem: "cannot be read")
            }
            files.append(File(name: name, fortunes: Self.fortunes(in: [UInt8](data))))
        }
        guard files.contains(where: { !$0.fortunes.isEmpty }) else {
            throw InitiumError.missingDataset(
                name: "fortunes", path: directory,
                hint: "install Debian's fortunes package (scripts/install-system-deps) or point `directory` at a folder of fortune files")
        }
        self.files = files
    }

    /// The fortunes of one file's bytes, by the rule in the type's documentation.
    public static func fortunes(in bytes: [UInt8]) -> [[UInt8]] {
        var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if bytes.last == UInt8(ascii: "\n") { lines.removeLast() }
        var fortunes: [[UInt8]] = []
        var current: [UInt8] = []
        func finish() {
            if current.contains(where: { !isASCIIWhitespace($0) }) { fortunes.append(current) }
            current = []
        }
        for line in lines {
            if line.count == 1, line.first == UInt8(ascii: "%") {
                finish()
            } else {
                current.append(contentsOf: line)
                current.append(UInt8(ascii: "\n"))
            }
        }
        finish()
        return fortunes
    }

    /// All fortunes of one split: file order, then fortune order.
    public func fortunes(in split: Split) -> [[UInt8]] { files.flatMap { $0.fortunes(in: split) } }

    private static func isASCIIWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
