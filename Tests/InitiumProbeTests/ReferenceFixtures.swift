import Foundation
import InitiumCore
import InitiumInit
import InitiumNN
import InitiumTestSupport
import Testing
@testable import InitiumProbe

/// Loading of the probe fixtures written by scripts/make_*_fixture.py (NumPy, SciPy, PyTorch).

/// A tensor stored by value: shape and row-major values.
struct StoredTensor: Decodable {
    let shape: [Int]
    let values: [Float]

    var tensor: Tensor { get throws { try Tensor(shape: shape, scalars: values) } }
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
        let name = try #require(rule.name, "a hash rule without a parameter path", sourceLocation: sourceLocation)
        let parameter = try #require(model.parameter(at: name), "no parameter \(name)", sourceLocation: sourceLocation)
        let value = rule.tensor
        #expect(parameter.value.shape == value.shape, "\(name)", sourceLocation: sourceLocation)
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
