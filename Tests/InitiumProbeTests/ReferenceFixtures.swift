import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import Testing
@testable import InitiumProbe

/// Loading of the probe fixtures written by scripts/make_*_fixture.py (NumPy, SciPy, PyTorch).

/// A tensor stored by value: shape and row-major values.
struct StoredTensor: Decodable {
    let shape: [Int]
    let values: [Float]

    var tensor: Tensor { get throws { try Tensor(shape: shape, scalars: values) } }
}

/// A tensor stored as a hash rule of scripts/hashed_values.py: `name` is the parameter path.
struct HashRule: Decodable {
    let name: String
    let shape: [Int]
    let salt: UInt32
    let offset: Double
    let scale: Double

    /// offset + scale·(2u − 1) with u from murmur3's finalizer of i·0x9E3779B1 + salt·0x85EBCA77
    /// (mod 2³²), in Double, rounded once to Float — exactly what the scripts compute.
    var tensor: Tensor {
        get throws {
            let count = shape.reduce(1, *)
            var values = [Float](repeating: 0, count: count)
            for i in 0..<count {
                var h = UInt32(truncatingIfNeeded: i) &* 0x9E37_79B1 &+ salt &* 0x85EB_CA77
                h ^= h >> 16
                h = h &* 0x7FEB_352D
                h ^= h >> 15
                h = h &* 0x846C_A68B
                h ^= h >> 16
                values[i] = Float(offset + scale * (2 * (Double(h) / 4_294_967_296) - 1))
            }
            return try Tensor(shape: shape, scalars: values)
        }
    }
}

/// Decodes `Fixtures/<name>.json` of this test target.
func loadFixture<T: Decodable>(_ name: String, as type: T.Type) throws -> T {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: "json", subdirectory: "Fixtures"))
    return try JSONDecoder().decode(T.self, from: Data(contentsOf: url))
}

/// Sets every parameter named by `rules` to the rule's values, and checks that every parameter of
/// the model was set (a renamed or missing path would otherwise leave zeros behind silently).
func loadParameters(_ rules: [HashRule], into model: any Module, sourceLocation: SourceLocation = #_sourceLocation) throws {
    for rule in rules {
        let parameter = try #require(model.parameter(at: rule.name), "no parameter \(rule.name)", sourceLocation: sourceLocation)
        let value = try rule.tensor
        #expect(parameter.value.shape == value.shape, "\(rule.name)", sourceLocation: sourceLocation)
        parameter.value = value
    }
    #expect(Set(model.namedParameters.map(\.path)) == Set(rules.map(\.name)), sourceLocation: sourceLocation)
}

/// |a − b| ≤ tolerance·max(|b|, floor), with a message naming the quantity.
func expectClose(
    _ a: Double, _ b: Double, relative tolerance: Double, floor: Double = 0, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(abs(a - b) <= tolerance * max(abs(b), floor), "\(label): \(a) vs reference \(b)", sourceLocation: sourceLocation)
}
