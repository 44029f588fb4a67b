import InitiumSpec
import Testing

@Test func nestedSpecArgumentsParse() throws {
    let spec = try SpecSyntax(parsing: "lora(a=he-uniform(gain=1),b=zeros)", kind: "scheme")
    #expect(spec.name == "lora")
    #expect(spec.value("a") == "he-uniform(gain=1)")
    #expect(spec.description == "lora(a=he-uniform(gain=1),b=zeros)")
    #expect(throws: SpecError.self) { try SpecSyntax(parsing: "a(b=1,b=2)", kind: "x") }
}

@Test func namesAndKeysAreCaseInsensitiveAndWhitespaceIsIgnored() throws {
    let spec = try SpecSyntax(parsing: " Clipped-ReLU( TAU = 1.04 , m=1 ) ", kind: "activation")
    #expect(spec.description == "clipped-relu(tau=1.04,m=1)")
}

@Test(arguments: [
    ("", "empty"), ("relu)", "')' without '('"), ("sine(omega=30", "must end with ')'"), ("(a=1)", "missing name"),
    ("f(a=g(1)", "unbalanced"), ("f(a)", "expected key=value"), ("f(a=1,a=2)", "given twice"),
])
func malformedSpecsNameTheProblem(text: String, fragment: String) {
    do {
        _ = try SpecSyntax(parsing: text, kind: "thing")
        Issue.record("expected '\(text)' to be rejected")
    } catch {
        #expect(error.description.contains(fragment), "message was: \(error)")
        #expect(error.description.contains("thing"))
        #expect(!error.description.contains("\n"))
    }
}

@Test func typedAccessorsRejectWhatTheyCannotRead() throws {
    let spec = try SpecSyntax(parsing: "f(x=abc,n=2.5,e=)", kind: "thing")
    #expect(throws: SpecError.self) { try spec.number("x", default: 0, kind: "thing") }
    #expect(throws: SpecError.self) { try spec.number("e", default: 0, kind: "thing") }
    #expect(throws: SpecError.self) { try spec.integer("n", default: 0, kind: "thing") }
    #expect(try spec.number("absent", default: 3, kind: "thing") == 3)
    #expect(throws: SpecError.self) { try spec.requireOnly(["x", "n"], kind: "thing") }
}

@Test func listsSplitAtTopLevelCommasOnly() {
    #expect(SpecSyntax.splitList(" he-normal , variance-scaling(scale=2,mode=fan-in),") == ["he-normal", "variance-scaling(scale=2,mode=fan-in)"])
    #expect(SpecSyntax.format(2.0) == "2" && SpecSyntax.format(0.05) == "0.05" && SpecSyntax.format(Float(0.01)) == "0.01")
}
