import InitiumCore
import InitiumNN
@testable import InitiumInit

/// A residual block for tests: x + Linear₂(act(Linear₁(x))), the first layer with role
/// `.residualBranch`, the second `.residualBranchOutput` (a fully connected ResNet basic block).
final class TestResidualBlock: Module {
    let first: Linear
    let second: Linear
    let activation: Activation

    init(width: Int, activation: Activation, key: RandomKey) {
        first = Linear(width, width, scope: Scope(key: key.fold("first")))
        second = Linear(width, width, scope: Scope(key: key.fold("second")))
        first.roles = [.residualBranch]
        second.roles = [.residualBranchOutput]
        self.activation = activation
    }

    var children: [(name: String, module: any Module)] { [("first", first), ("second", second)] }
    var kind: LayerKind { .container }

    func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        let branch = try forward(child: second, try activation.apply(try forward(child: first, input, context: context)), context: context)
        return try input + branch
    }
}

/// A residual MLP for model-level recipes: stem (`.input`), `blocks` residual blocks, classifier;
/// paths `stem.weight`, `blocks.0.first.weight`, …, `head.weight`.
final class TestResidualNetwork: Module {
    let stem: Linear
    let blocks: Sequential
    let head: Linear
    let activation: Activation

    init(inputs: Int, width: Int, blocks count: Int, classes: Int, activation: Activation = .relu, key: RandomKey) {
        stem = Linear(inputs, width, scope: Scope(key: key.fold("stem")))
        stem.roles = [.input]
        blocks = Sequential((0..<count).map { TestResidualBlock(width: width, activation: activation, key: key.fold("block\($0)")) })
        head = Linear(width, classes, scope: Scope(key: key.fold("head")))
        head.roles = [.classifier]
        self.activation = activation
    }

    var children: [(name: String, module: any Module)] { [("stem", stem), ("blocks", blocks), ("head", head)] }
    var kind: LayerKind { .container }

    func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        var x = try activation.apply(try forward(child: stem, input, context: context))
        x = try forward(child: blocks, x, context: context)
        return try forward(child: head, x, context: context)
    }
}

/// A frozen linear map with a LoRA adapter, parameters `weight`, `lora_A`, `lora_B`.
final class TestLoRALinear: Module {
    let weight: Parameter
    let loraA: Parameter
    let loraB: Parameter

    init(inputs: Int, outputs: Int, rank: Int) {
        weight = Parameter(Tensor.ones([outputs, inputs]), isTrainable: false)
        loraA = Parameter(Tensor.zeros([rank, inputs]))
        loraB = Parameter(Tensor.ones([outputs, rank]))
    }

    var localParameters: [(name: String, parameter: Parameter)] { [("weight", weight), ("lora_A", loraA), ("lora_B", loraB)] }
    var kind: LayerKind { .weighted }

    func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        try input.matmul(context.read(weight), transposeOther: true)
    }
}
