import InitiumCore
import InitiumInit
import InitiumLab
import InitiumNN
import InitiumSpec
import Testing

/// Comparison arms: a scheme with its own model options and learning rate.
struct ComparisonArmTests {
    @Test func plainSchemeKeepsTheStudysModelAndRate() throws {
        let arm = try ComparisonArm(parsing: "variance-scaling(scale=2,mode=fan-in)")
        #expect(arm.label == "variance-scaling(scale=2,mode=fan-in)")
        #expect(arm.learningRate == nil && arm.modelOverrides.isEmpty)
        let base = try ModelSpec("linear:in=784,out=10")
        #expect(try arm.model(from: base).text == base.text)
    }

    @Test func bracketsSetModelKeysAndTheLearningRate() throws {
        let arm = try ComparisonArm(parsing: "normal(std=0.02)[out=5,lr=0.01]")
        #expect(arm.scheme == (try Scheme("normal(std=0.02)")))
        #expect(arm.learningRate == 0.01)
        #expect(arm.label == "normal(std=0.02)[out=5,lr=0.01]")
        #expect(try arm.model(from: try ModelSpec("linear:in=784,out=10")).text == "linear:in=784,out=5")
    }

    @Test func listsSplitOutsideBrackets() {
        #expect(SpecSyntax.splitList("gpt2,t-fixup[norm=none],normal(std=0.02)[norm=post,lr=0.01]")
            == ["gpt2", "t-fixup[norm=none]", "normal(std=0.02)[norm=post,lr=0.01]"])
    }

    @Test func refusesBadArms() throws {
        #expect(throws: InitiumError.self) { try ComparisonArm(parsing: "he-normal[lr=-1]") }
        #expect(throws: InitiumError.self) { try ComparisonArm(parsing: "he-normal[norm]") }
        #expect(throws: InitiumError.self) { try ComparisonArm(parsing: "he-normal[out=5]x") }
        // a model key on a spec that is not keyed, and a key the family refuses
        let arm = try ComparisonArm(parsing: "he-normal[out=5]")
        #expect(throws: InitiumError.self) { try arm.model(from: try ModelSpec("mlp:784-10")) }
        #expect(throws: InitiumError.self) { try ComparisonArm(parsing: "he-normal[depth=3]").model(from: try ModelSpec("linear:in=784,out=10")) }
    }
}
