import Dispatch

extension Parallel {
    /// Runs `body(worker, workers)` once on each of ``threadCount`` workers, with BLAS limited to
    /// one thread meanwhile, so every worker may call BLAS on its own share of the work: the
    /// workers are the threads, and BLAS is not nested inside them. ``threadCount`` reads 1
    /// inside `body`, so loops there run serially. Use it for many small independent GEMMs, which
    /// one BLAS call at a time cannot spread over threads; results must not depend on how the
    /// shares are assigned to workers.
    ///
    /// BLAS's count is process-wide, so pools on different threads run one after the other
    /// (``ProcessThreads``): two pools restoring each other's count in the wrong order would
    /// otherwise leave BLAS at one thread for good.
    /// Runs `body` with BLAS on one thread, for LAPACK routines: their blocked algorithms call
    /// BLAS themselves, where OpenBLAS's threaded drivers round differently from the serial ones
    /// (``GEMM/multiply(m:n:k:_:transposeA:_:transposeB:into:alpha:beta:)``), so a QR, SVD or eigendecomposition of a 256×256 matrix came out
    /// different at 1 and 2 threads. On one thread their results do not depend on any count.
    static func withSingleThreadedBLAS<R>(_ body: () throws -> R) rethrows -> R {
        try processWide.holdingBLASThreads(1, body)
    }

    static func withWorkers(_ body: (_ worker: Int, _ workers: Int) -> Void) {
        let outer = threadScope
        let workers = outer?.count ?? processWide.count
        outer?.recorder?.record(workers)
        if workers == 1 {
            body(0, 1)
            return
        }
        let single = ThreadScope(count: 1, recorder: outer?.recorder)
        processWide.holdingBLASThreads(1) {
            withoutActuallyEscaping(body) { body in
                let shared = UncheckedSendable(body)
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    $threadScope.withValue(single) { shared.value(worker, workers) }
                }
            }
        }
    }
}
