import InitiumCore
import Testing

/// A matrix product shared over two threads equals the single-threaded one bit for bit, for every
/// transpose combination, split by rows (C taller than wide) and by columns (wider than tall), with
/// depths on both sides of OpenBLAS's k-panel size (`GEMM_Q` = 320 on this machine's kernels; the
/// threaded and serial drivers used to split 322 ≤ k < 640 differently). The split must really
/// happen: `Parallel.widestSplit` reads 2. A failure counts the differing entries.
@Test(arguments: [(333, 130, 16), (130, 333, 400), (256, 200, 650), (200, 256, 1025)])
func matrixProductsAreBitIdenticalAtOneAndTwoThreads(m: Int, n: Int, k: Int) throws {
    for (transposeA, transposeB) in [(false, false), (true, false), (false, true), (true, true)] {
        let a = try Tensor.normal([m * k], key: RandomKey(seed: 1).fold("a"))
        let b = try Tensor.normal([k * n], key: RandomKey(seed: 1).fold("b"))
        func product(threads: Int) -> (values: [Float], split: Int?) {
            Parallel.withThreadCount(threads) {
                var c = [Float](repeating: 1, count: m * n)
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        c.withUnsafeMutableBufferPointer { c in
                            GEMM.multiply(
                                m: m, n: n, k: k, a.baseAddress!, transposeA: transposeA, b.baseAddress!, transposeB: transposeB,
                                into: c.baseAddress!, alpha: 0.5, beta: 0.25)
                        }
                    }
                }
                return (c, Parallel.widestSplit)
            }
        }
        let (single, serialSplit) = product(threads: 1)
        let (shared, split) = product(threads: 2)
        #expect(serialSplit == 1)
        #expect(split == 2, "m \(m) n \(n) k \(k) was not shared")
        let differing = zip(single, shared).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(differing == 0, "\(differing) of \(m * n) entries differ (transposeA \(transposeA), transposeB \(transposeB), k \(k))")
    }
}
