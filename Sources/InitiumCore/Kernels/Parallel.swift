import COpenBLAS
import Dispatch

/// Own data parallelism for elementwise kernels and random fills.
///
/// The thread count is OpenBLAS's (`openblas_set_num_threads`, set by `--threads`), so BLAS and
/// Initium's own loops agree and never oversubscribe: they run one after the other, not nested.
public enum Parallel {
    /// The number of threads kernels may use.
    public static var threadCount: Int { Int(max(1, openblas_get_num_threads())) }

    /// Sets the number of threads used by BLAS and by Initium's own kernels.
    public static func setThreadCount(_ n: Int) {
        openblas_set_num_threads(Int32(max(1, n)))
    }

    /// Runs `body` over consecutive chunks that cover `0..<count`, in parallel when the work is
    /// large enough (`count ≥ minimumPerThread · 2`). Chunk boundaries never change results:
    /// each element's value must depend only on its index.
    public static func forEachChunk(
        count: Int, minimumPerThread: Int = 1 << 15, _ body: (Range<Int>) -> Void
    ) {
        forEachChunk(count: count, minimumPerThread: minimumPerThread, threads: threadCount, body)
    }

    /// ``forEachChunk(count:minimumPerThread:_:)`` with an explicit thread count, so tests can run
    /// the parallel path without changing the process-wide setting other tests read.
    static func forEachChunk(
        count: Int, minimumPerThread: Int, threads threadCount: Int, _ body: (Range<Int>) -> Void
    ) {
        let threads = min(threadCount, count / max(minimumPerThread, 1))
        if threads <= 1 {
            if count > 0 { body(0..<count) }
            return
        }
        let chunk = (count + threads - 1) / threads
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                let start = t * chunk
                let end = min(count, start + chunk)
                if start < end { shared.value(start..<end) }
            }
        }
    }
}

/// Hands a value to concurrent workers that only read disjoint parts of what it points to.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
