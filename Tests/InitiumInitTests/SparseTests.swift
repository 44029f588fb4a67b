import InitiumCore
import Testing
@testable import InitiumInit

/// Exact structure: each column has exactly ⌈sparsity·rows⌉ zeros; the non-zeros are N(0, std²)
/// (moments certified within 5 s.e.; a non-zero normal draw is exactly 0 with probability ~0).
@Test(arguments: [(0.9, [200, 300]), (0.5, [64, 32, 3, 3]), (0.0, [100, 100])])
func sparseHasExactZerosPerColumn(sparsity: Double, shape: [Int]) throws {
    let l = try layout(shape)
    let w = try Scheme("sparse(sparsity=\(sparsity),std=0.02)").sample(l, key: RandomKey(seed: 4))
    let (rows, columns) = l.flattenedMatrix
    let expectedZeros = Int((sparsity * Double(rows)).rounded(.up))
    var nonZero: [Float] = []
    for c in 0..<columns {
        var zeros = 0
        for r in 0..<rows {
            let v = w[flat: r * columns + c]
            if v == 0 { zeros += 1 } else { nonZero.append(v) }
        }
        #expect(zeros == expectedZeros, "column \(c)")
    }
    expectMoments(nonZero, mean: 0, variance: 0.0004)
}

@Test(arguments: ["sparse(sparsity=1)", "sparse(sparsity=-0.1)", "sparse(std=-1)"])
func invalidSparseSpecsThrow(text: String) {
    #expect(throws: InitiumError.self) { try Scheme(text) }
}
