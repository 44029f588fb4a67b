import Foundation

/// A one-line progress bar on stderr, drawn only when stderr is a terminal (docs/ARCHITECTURE.md): logs and
/// pipes get one summary line per epoch from the commands instead.
struct ProgressBar {
    let total: Int
    let label: String
    let isEnabled: Bool
    private var lastDraw = DispatchTime(uptimeNanoseconds: 0)
    private let start = DispatchTime.now()

    init(total: Int, label: String, isEnabled: Bool = standardErrorIsTerminal) {
        self.total = max(total, 1)
        self.label = label
        self.isEnabled = isEnabled
    }

    /// Redraws (at most ten times a second, and always at the end).
    mutating func update(_ done: Int, detail: String) {
        guard isEnabled else { return }
        let now = DispatchTime.now()
        guard done >= total || now.uptimeNanoseconds - lastDraw.uptimeNanoseconds > 100_000_000 else { return }
        lastDraw = now
        let fraction = Double(min(done, total)) / Double(total)
        let width = 24
        let filled = Int(fraction * Double(width))
        let elapsed = Double(now.uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = "\r\(label) \(bar) \(done)/\(total) \(detail) ETA \(Self.clock(eta))\u{1B}[K"
        FileHandle.standardError.write(Data(line.utf8))
        if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return String(format: "%d:%02d", s / 60, s % 60)
    }
}
