import Foundation
import InitiumCore

/// Writes files so that a reader (or an interrupted run) never sees a half-written file: the
/// bytes go to a temporary file in the same directory, which is then renamed over the target.
public enum AtomicWrite {
    /// Writes `data` to `path` atomically, creating missing parent directories.
    public static func write(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
            try data.write(to: temporary)
            // rename(2) replaces an existing target atomically (FileManager.replaceItemAt fails
            // on Linux when the target exists).
            guard rename(temporary.path, url.path) == 0 else {
                let reason = String(cString: strerror(errno))
                try? FileManager.default.removeItem(at: temporary)
                throw InitiumError.file(path: path, problem: "cannot be written (\(reason))")
            }
        } catch let error as InitiumError {
            throw error
        } catch {
            throw InitiumError.file(path: path, problem: "cannot be written (\(error.localizedDescription))")
        }
    }

    /// Writes a UTF-8 string to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}
