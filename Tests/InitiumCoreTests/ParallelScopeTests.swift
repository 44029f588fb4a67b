import Foundation
import Testing
@testable import InitiumCore

// `Parallel.withThreadCount` sets a thread count for one piece of work: inside it Initium's
// loops and BLAS use that count, outside (before, after, and on other threads meanwhile) the
// process-wide count holds. Determinism tests rely on this to run at 1 and 2 threads while
// other tests run concurrently.

/// BLAS's count is read only inside scopes: outside, a scope on another thread (a concurrent
/// test) may be holding it.
@Test func aScopedThreadCountAppliesInsideOnlyAndRestoresBLAS() throws {
    let processWide = Parallel.threadCount
    #expect(Parallel.widestSplit == nil)
    Parallel.withThreadCount(2) {
        #expect(Parallel.blasThreadCount == 2)
        Parallel.withThreadCount(3) {
            #expect(Parallel.threadCount == 3)
            #expect(Parallel.blasThreadCount == 3)
            // a nested scope wins and hands BLAS back to the outer one
            Parallel.withThreadCount(1) {
                #expect(Parallel.threadCount == 1)
                #expect(Parallel.blasThreadCount == 1)
            }
            #expect(Parallel.blasThreadCount == 3)
            // the pool's workers see one thread each, whoever runs them
            var inside = [Int](repeating: 0, count: 3)
            inside.withUnsafeMutableBufferPointer { slots in
                let shared = UncheckedSendable(slots)
                Parallel.withWorkers { worker, workers in
                    #expect(workers == 3)
                    shared.value[worker] = Parallel.threadCount * 10 + Parallel.blasThreadCount
                }
            }
            #expect(inside == [11, 11, 11])
            #expect(Parallel.widestSplit == 3)
        }
        // the outer scope gets its counts back; its own work split nothing
        #expect(Parallel.threadCount == 2 && Parallel.blasThreadCount == 2)
        #expect(Parallel.widestSplit == 1)
    }
    #expect(Parallel.threadCount == processWide)
}

/// Another thread, outside any scope, reads the process-wide count while a scope is active.
@Test func aScopeDoesNotChangeTheCountSeenElsewhere() throws {
    final class Box: @unchecked Sendable { var count = -1 }
    let processWide = Parallel.threadCount
    let box = Box()
    Parallel.withThreadCount(processWide + 2) {
        let done = DispatchSemaphore(value: 0)
        Thread {
            box.count = Parallel.threadCount
            done.signal()
        }.start()
        done.wait()
    }
    #expect(box.count == processWide)
}

/// Chunks of a scoped parallel loop cover the range exactly once, and the split is recorded.
@Test func scopedChunksCoverTheRangeOnce() throws {
    let count = 5 * (1 << 15) + 3
    var hits = [UInt8](repeating: 0, count: count)
    let split = hits.withUnsafeMutableBufferPointer { h -> Int? in
        let shared = UncheckedSendable(h)
        return Parallel.withThreadCount(4) {
            Parallel.forEachChunk(count: count) { range in
                #expect(Parallel.threadCount == 1)
                for i in range { shared.value[i] += 1 }
            }
            return Parallel.widestSplit
        }
    }
    #expect(split == 4)
    #expect(hits.allSatisfy { $0 == 1 })
}
