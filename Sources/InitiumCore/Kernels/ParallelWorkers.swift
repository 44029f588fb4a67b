import Dispatch

extension Parallel {
    /// Runs `body(worker, workers)` once on each of ``threadCount`` workers, with BLAS limited to
    /// one thread meanwhile, so every worker may call BLAS on its own share of the work: the
    /// workers are the threads, and BLAS is not nested inside them. ``threadCount`` reads 1
    /// inside `body`, so loops there run serially. Use it for many small independent GEMMs, which
    /// one BLAS call at a time cannot spread over threads; results must not depend on how the
    /// shares are assigned to workers.
    static func withWorkers(_ body: (_ worker: Int, _ workers: Int) -> Void) {
        let workers = threadCount
        if workers == 1 {
            body(0, 1)
            return
        }
        setThreadCount(1)
        defer { setThreadCount(workers) }
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in shared.value(worker, workers) }
        }
    }
}
