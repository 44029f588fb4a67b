import COpenBLAS
import Dispatch
import Foundation

/// Own data parallelism for elementwise kernels and random fills.
///
/// The process-wide thread count is OpenBLAS's (`openblas_set_num_threads`, set by `--threads`),
/// so BLAS and Initium's own loops agree and never oversubscribe: they run one after the other,
/// not nested. ``withThreadCount(_:_:)`` sets a count for one piece of work only, so that code
/// running concurrently (tests, library users with several tasks) keeps its own.
public enum Parallel {
    /// The number of threads kernels may use: that of the innermost ``withThreadCount(_:_:)``
    /// around this code, else the process-wide count (``setThreadCount(_:)``).
    public static var threadCount: Int { threadScope?.count ?? processWide.count }

    /// Sets the process-wide number of threads used by BLAS and by Initium's own kernels. It
    /// waits for any ``withThreadCount(_:_:)`` running on another thread to finish, and takes
    /// effect for BLAS when the outermost one on this thread ends.
    public static func setThreadCount(_ n: Int) {
        processWide.set(max(1, n))
    }

    /// Runs `body` with `count` threads for Initium's kernels (``threadCount`` reads `count`
    /// inside, on this task and in the workers it starts) and for BLAS, whatever the process-wide
    /// count, which is unchanged afterwards. Loops nested in a parallel loop's chunks run serially.
    ///
    /// OpenBLAS 0.3.21 has only a process-wide thread count, so BLAS's is held at `count` for
    /// the duration: such calls (and ``setThreadCount(_:)``, and the spreading of convolution
    /// blocks over workers) on other threads wait until `body` returns. Concurrent code that
    /// calls BLAS directly meanwhile runs with `count` BLAS threads; its results do not change,
    /// since no kernel's result depends on the thread count. So `body` must not wait for another
    /// thread that runs such calls outside the scope (it would wait for `body`); work `body`
    /// itself spreads with ``forEachChunk(count:minimumPerThread:_:)`` is inside the scope.
    public static func withThreadCount<R>(_ count: Int, _ body: () throws -> R) rethrows -> R {
        let inner = ThreadScope(count: max(1, count), recorder: Recorder())
        return try processWide.holdingBLASThreads(inner.count) {
            try $threadScope.withValue(inner, operation: body)
        }
    }

    /// Inside ``withThreadCount(_:_:)``: the most workers any parallel loop or worker pool has
    /// split its work between so far (1 when everything ran serially); `nil` outside. Tests use
    /// it to check that a multi-threaded run really was split.
    public static var widestSplit: Int? { threadScope?.recorder?.widest }

    /// The number of threads BLAS uses now. BLAS's count is process-wide: read outside a
    /// ``withThreadCount(_:_:)``, it may be another thread's scope's.
    public static var blasThreadCount: Int { Int(openblas_get_num_threads()) }

    /// Runs `body` over consecutive chunks that cover `0..<count`, in parallel when the work is
    /// large enough (`count ≥ minimumPerThread · 2`). Chunk boundaries never change results:
    /// each element's value must depend only on its index.
    public static func forEachChunk(
        count: Int, minimumPerThread: Int = 1 << 15, _ body: (Range<Int>) -> Void
    ) {
        let current = threadScope
        let threads = min(current?.count ?? processWide.count, count / max(minimumPerThread, 1))
        current?.recorder?.record(max(1, threads))
        if threads <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        let chunk = (count + threads - 1) / threads
        // inside a scope, a chunk runs serially whichever thread of the pool takes it (the
        // pool's threads do not see task-locals), as a nested parallel loop would oversubscribe
        let single = current.map { ThreadScope(count: 1, recorder: $0.recorder) }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let start = t * chunk
                let end = min(count, start + chunk)
                guard start < end else { return }
                if let single {
                    $threadScope.withValue(single) { shared.value(start..<end) }
                } else {
                    shared.value(start..<end)
                }
            }
        }
    }

    /// The thread count of a ``withThreadCount(_:_:)`` and what its work did.
    final class ThreadScope: Sendable {
        let count: Int
        let recorder: Recorder?
        init(count: Int, recorder: Recorder?) {
            self.count = count
            self.recorder = recorder
        }
    }

    /// The widest split seen in a scope (written from any thread).
    final class Recorder: @unchecked Sendable {
        private let lock = NSLock()
        private var widestSplit = 1
        var widest: Int { lock.withLock { widestSplit } }
        func record(_ workers: Int) { lock.withLock { widestSplit = max(widestSplit, workers) } }
    }

    /// The innermost ``withThreadCount(_:_:)`` scope, or the single-thread scope of a worker.
    @TaskLocal static var threadScope: ThreadScope?

    static let processWide = ProcessThreads()
}

/// The process-wide thread count and who holds BLAS's (process-wide) setting.
///
/// BLAS's count is `configured` unless a thread holds it (``holdingBLASThreads(_:_:)``: a
/// thread-count scope, or a worker pool that needs single-threaded BLAS in its workers); holders
/// on different threads run one after the other, nested holders on one thread restore each
/// other's count.
final class ProcessThreads: @unchecked Sendable {
    /// Guards `configured` (held briefly).
    private let state = NSLock()
    /// Held while BLAS's count differs from `configured`; recursive for nested holders.
    private let holder = NSRecursiveLock()
    private var configured: Int
    /// Nesting depth of holders on the thread holding `holder` (only that thread touches it).
    private var depth = 0

    init() { configured = Int(max(1, openblas_get_num_threads())) }

    /// The process-wide count.
    var count: Int { state.withLock { configured } }

    func set(_ n: Int) {
        holder.withLock {
            state.withLock { configured = n }
            if depth == 0 { openblas_set_num_threads(Int32(n)) }
        }
    }

    /// Runs `body` with BLAS limited to `n` threads, restoring the count afterwards.
    func holdingBLASThreads<R>(_ n: Int, _ body: () throws -> R) rethrows -> R {
        holder.lock()
        defer { holder.unlock() }
        let previous = Int(openblas_get_num_threads())
        depth += 1
        openblas_set_num_threads(Int32(n))
        defer {
            depth -= 1
            openblas_set_num_threads(Int32(depth == 0 ? count : previous))
        }
        return try body()
    }
}

/// Hands a value to concurrent workers that only read disjoint parts of what it points to.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
