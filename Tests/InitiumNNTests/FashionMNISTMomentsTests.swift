import Foundation
import Testing
@testable import InitiumNN

/// `FashionMNIST.trainingPixelMoments` are the training pixels' mean and (population) standard
/// deviation after scaling to [0, 1], rounded to Float. Reference: NumPy over Debian's
/// `train-images-idx3-ubyte.gz` (`scripts/fashion_mnist_moments.py` →
/// `Fixtures/fashion_mnist_moments.json`; reading the 47 million pixels here would take half a
/// minute in a debug build). The tolerance is half a Float32 spacing in [0.25, 0.5)
/// (2⁻²⁶ ≈ 1.49e-8): the constants must be the nearest Floats, not values a digit off (they were
/// 0.2860405 and 0.3530241, about 1e-7 low, until this test).
@Test func trainingPixelMomentsMatchTheData() throws {
    struct Moments: Decodable { let count: Int, mean: Double, std: Double }
    let url = try #require(Bundle.module.url(forResource: "fashion_mnist_moments", withExtension: "json", subdirectory: "Fixtures"))
    let reference = try JSONDecoder().decode(Moments.self, from: Data(contentsOf: url))
    #expect(reference.count == 60_000 * 28 * 28)
    let halfSpacing = 0x1p-26
    #expect(abs(Double(FashionMNIST.trainingPixelMoments.mean) - reference.mean) <= halfSpacing)
    #expect(abs(Double(FashionMNIST.trainingPixelMoments.std) - reference.std) <= halfSpacing)
}
