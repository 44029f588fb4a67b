import Foundation
import Testing

/// The values written by `scripts/theory_reference.py` (SciPy quad/brentq, independent formulations).
struct ReferenceFixture: Decodable {
    struct HermiteRule: Decodable {
        let order: Int
        let nodes: [Double]
        let weights: [Double]
    }
    struct EdgeOfChaosRow: Decodable {
        let activation: String
        let sigma_b2: Double
        let sigma_w2: Double
        let q_star: Double
    }
    struct MaxoutRow: Decodable {
        let k: Int
        let second_moment: Double
        let c: Double
    }
    struct GainRow: Decodable {
        let activation: String
        let forward: Double
        let variance: Double
        let backward: Double
        let kurtosis_times_width: Double?
    }
    struct SparseRow: Decodable {
        let activation: String
        let sparsity: Double
        let q_star: Double
        let clip: Double?
        let tau: Double
        let sigma_w2: Double
        let sigma_b2: Double
        let vprime: Double
    }
    struct ClipRow: Decodable {
        let activation: String
        let sparsity: Double
        let q_star: Double
        let clip: Double
    }
    struct MeanFieldRow: Decodable {
        let activation: String
        let sigma_w2: Double
        let sigma_b2: Double
        let q_star: Double
        let chi1: Double
        let c_star: Double
        let chi_c: Double
        let vprime: Double
    }

    let gauss_hermite: [HermiteRule]
    let edge_of_chaos: [EdgeOfChaosRow]
    let maxout: [MaxoutRow]
    let gains: [GainRow]
    let sparse: [SparseRow]
    let recommended_clip: [ClipRow]
    let mean_field: [MeanFieldRow]

    static func load() throws -> ReferenceFixture {
        let url = try #require(
            Bundle.module.url(forResource: "theory_reference", withExtension: "json", subdirectory: "Fixtures"))
        return try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
    }
}

/// The acceptance bound of issue 3: Swift and the SciPy reference agree to 1e-6 relative. Both sides
/// integrate to ~1e-11 or better, so a failure means a wrong formula, not rounding.
let referenceTolerance = 1e-6

/// |a − b| / max(|b|, floor): relative error with an absolute floor for values near zero.
func relativeError(_ a: Double, _ b: Double, floor: Double = 1e-12) -> Double {
    abs(a - b) / max(abs(b), floor)
}
