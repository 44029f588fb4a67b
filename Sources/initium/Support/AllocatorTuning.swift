#if canImport(CMalloc) && os(Linux)
import CMalloc
#endif

/// How the process's allocator treats large tensors, set once at start-up.
///
/// glibc serves every block above its mmap threshold (at most 32 MiB) with fresh `mmap` pages and
/// unmaps them on `free`, so a network whose activations are larger — a 256² image through a
/// 256-wide layer is 64 MiB per tensor — has the kernel fault in and zero every page of every
/// activation, gradient and temporary at every step (`perf`: a quarter of a SIREN fitting step in
/// `clear_page_erms`/`exc_page_fault`). With `M_MMAP_MAX` = 0 every block comes from the heap,
/// and a trim threshold of 1 GiB keeps freed memory for the next step instead of returning it,
/// as a caching allocator would. Measured on a 256² SIREN fit (1 thread): 0.5 → 0.8 steps/s, system
/// time 3.5 → 0.6 s per 6 steps; the price is memory: freed blocks stay mapped (up to 1 GiB) and the
/// heap fragments, so the peak resident set rose from 0.69 to 1.28 GB on that fit.
enum AllocatorTuning {
    /// Applies the settings (a no-op where the C library is not glibc).
    static func apply() {
        #if canImport(CMalloc) && os(Linux)
        _ = mallopt(M_MMAP_MAX, 0)
        _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        #endif
    }
}
