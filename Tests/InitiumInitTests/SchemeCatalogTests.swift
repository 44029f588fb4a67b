import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumInit

/// A shape each scheme accepts (convolution-only schemes get a kernel with out ≥ in).
private func suitableShape(_ name: String) -> [Int] {
    ["delta-orthogonal", "dirac", "conv-aware"].contains(name) ? [16, 8, 3, 3] : [24, 16]
}

/// Every catalog entry parses by its bare name, prints back to it, survives JSON, and draws a
/// tensor of the requested shape (with tanh as the network's activation, for eoc and gain=exact).
@Test func everyCatalogSchemeParsesRoundTripsAndSamples() throws {
    #expect(SchemeCatalog.entries.count >= 40)
    let names = SchemeCatalog.entries.map(\.name)
    #expect(Set(names).count == names.count, "duplicate scheme names")
    for required in ["lecun-normal", "glorot-uniform", "xavier-normal", "he-truncated-normal", "kaiming-uniform", "torch-default",
                     "variance-scaling", "constant", "zeros", "ones", "uniform", "normal", "truncated-normal", "orthogonal",
                     "delta-orthogonal", "identity", "eye", "dirac", "sparse", "lsuv", "fixup", "zero", "idinit", "conv-aware",
                     "siren", "maxout", "spectral", "arch-aware", "lora", "eoc"] {
        #expect(names.contains(required), "missing \(required)")
    }
    let context = InitializationContext(key: RandomKey(seed: 0), activation: try Activation("tanh"))
    for entry in SchemeCatalog.entries {
        let scheme = try Scheme(entry.name)
        #expect(scheme.description == entry.name)
        #expect(try JSONDecoder().decode(Scheme.self, from: JSONEncoder().encode(scheme)) == scheme)
        let shape = suitableShape(entry.name)
        #expect(scheme.hasModelRecipe == (entry.level != .tensor))
        #expect(scheme.isModelLevel == (entry.level == .model))
        if entry.level == .model {
            // model-only recipes (the transformer ones) refuse a lone tensor with a clear error
            #expect(throws: InitiumError.self) { try scheme.sample(try layout(shape), key: RandomKey(seed: 1), context: context) }
            continue
        }
        let w = try scheme.sample(try layout(shape), key: RandomKey(seed: 1), context: context)
        #expect(w.shape == shape, "\(entry.name)")
        #expect(w.scalars.allSatisfy { $0.isFinite }, "\(entry.name)")
    }
}

/// Parameters round-trip verbatim, including nested schemes.
@Test(arguments: ["lsuv(tol=0.05,max-iter=20)", "eoc(sigma-b2=0.1)", "lora(a=he-uniform(gain=1),b=zeros)", "siren(omega=20,layer=first)",
                  "maxout(k=3)", "spectral(scale=2,distribution=normal)", "sparse(sparsity=0.5,std=0.1)", "fixup(branches=9,m=2)",
                  "idinit(tau=1,eps=1e-05)", "conv-aware(eps-std=0.1)", "dirac(groups=2)", "arch-aware(in-degree=2)"])
func parametersRoundTrip(text: String) throws {
    let scheme = try Scheme(text)
    #expect(scheme.description == text)
    #expect(try JSONDecoder().decode(Scheme.self, from: JSONEncoder().encode(scheme)) == scheme)
}

/// Invalid parameters are caught when the scheme is parsed, with an InitiumError.
@Test(arguments: ["lsuv(tol=-1)", "lsuv(max-iter=0)", "eoc(sigma-b2=-0.1)", "siren(omega=0)", "siren(layer=middle)", "maxout(k=0)",
                  "spectral(scale=-1)", "spectral(distribution=cauchy)", "fixup(branches=0)", "idinit(eps=-1)", "conv-aware(eps-std=-0.1)",
                  "lora(a=lsuv)", "lora(a=nonsense)", "arch-aware(in-degree=0)", "normal(std=-1)", "uniform(low=1,high=0)",
                  "he-normal(mode=sideways)", "truncated-normal(a=2,b=-2)"])
func invalidParametersThrow(text: String) {
    #expect(throws: InitiumError.self) { try Scheme(text) }
}

/// Catalog JSON (what `initium schemes --json` prints) names each parameter with its default.
@Test func catalogEncodesParametersAndDefaults() throws {
    let data = try JSONEncoder().encode(SchemeCatalog.entries)
    let json = try #require(JSONSerialization.jsonObject(with: data) as? [[String: Any]])
    let lsuv = try #require(json.first { $0["name"] as? String == "lsuv" })
    let parameters = try #require(lsuv["parameters"] as? [[String: String]])
    #expect(parameters.map { $0["name"]! } == ["tol", "max-iter"])
    #expect(parameters.map { $0["default"]! } == ["0.1", "10"])
    #expect(lsuv["level"] as? String == "tensor+model")
}

/// Raw distributions fill in place exactly as they sample (the benchmark's path equals the API's).
@Test func inPlaceFillEqualsSample() throws {
    for text in ["normal(std=0.5)", "he-uniform", "truncated-normal", "torch-default", "orthogonal", "constant(value=3)"] {
        let scheme = try Scheme(text)
        let l = try WeightLayout([64, 48])
        var t = Tensor(shape: [64, 48], repeating: .nan)
        try scheme.fill(&t, layout: l, key: RandomKey(seed: 4))
        #expect(t == (try scheme.sample(l, key: RandomKey(seed: 4))), "\(text)")
    }
}
