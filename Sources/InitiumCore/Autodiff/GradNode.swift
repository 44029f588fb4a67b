/// A node of the reverse-mode autodiff graph (the "tape").
///
/// Each differentiable op that receives at least one tensor requiring gradients creates a node
/// holding its parents and its pullback: a function from the gradient of the op's output to the
/// gradients of its inputs. Tensors saved by a pullback are detached copies, so the graph holds no
/// cycles. ``Tensor/backward()`` walks the nodes in reverse topological order and frees them.
final class GradNode {
    /// The nodes of the op's inputs, `nil` for inputs that do not require gradients.
    let parents: [GradNode?]
    /// Maps the output gradient to one gradient per input (`nil` where none is needed).
    var pullback: ((Tensor) -> [Tensor?])?
    /// For a leaf: the parameter whose gradient accumulates here.
    let parameter: Parameter?
    /// The gradient arriving from consumers during a backward pass.
    var gradient: Tensor?

    init(parents: [GradNode?], pullback: @escaping (Tensor) -> [Tensor?]) {
        self.parents = parents
        self.pullback = pullback
        self.parameter = nil
    }

    init(leaf parameter: Parameter) {
        self.parents = []
        self.pullback = nil
        self.parameter = parameter
    }

    /// Adds a gradient contribution, in place when the running sum is not shared.
    func accumulate(_ contribution: Tensor) {
        if gradient == nil {
            gradient = contribution
        } else {
            gradient!.addInPlace(contribution)
        }
    }
}

extension Tensor {
    /// Attaches a pullback to an op's result when any input requires gradients.
    ///
    /// - Parameters:
    ///   - inputs: the op's tensor inputs, in the order the pullback returns their gradients.
    ///   - pullback: output gradient ↦ input gradients; it must capture only detached tensors.
    func recording(inputs: [Tensor], pullback: @escaping (Tensor) -> [Tensor?]) -> Tensor {
        guard inputs.contains(where: { $0.node != nil }) else { return self }
        var result = self
        result.node = GradNode(parents: inputs.map(\.node), pullback: pullback)
        return result
    }

    /// Single-input form of ``recording(inputs:pullback:)``.
    func recording(input: Tensor, pullback: @escaping (Tensor) -> Tensor) -> Tensor {
        guard input.node != nil else { return self }
        var result = self
        result.node = GradNode(parents: [input.node], pullback: { [pullback($0)] })
        return result
    }

    /// Computes the gradient of this tensor with respect to every ``Parameter`` it depends on,
    /// adding it to each parameter's ``Parameter/gradient`` (gradients accumulate across calls
    /// until ``Parameter/zeroGradient()``). The graph is freed as it is walked, so a second call
    /// on the same result throws.
    ///
    /// - Parameter seed: the gradient of some scalar objective with respect to this tensor;
    ///   defaults to 1, which requires this tensor to hold one element.
    public func backward(seed: Tensor? = nil) throws {
        guard let root = node else {
            throw InitiumError.autodiff("backward() on a tensor that does not depend on any parameter")
        }
        let seedGradient: Tensor
        if let seed {
            guard seed.shape == shape else {
                throw InitiumError.shapeMismatch(operation: "backward(seed:)", lhs: shape, rhs: seed.shape)
            }
            seedGradient = seed.detached()
        } else {
            guard count == 1 else {
                throw InitiumError.invalidShape(
                    operation: "backward()", shape: shape, reason: "pass a seed for a non-scalar result")
            }
            seedGradient = Tensor(shape: shape, repeating: 1)
        }
        guard root.pullback != nil || root.parameter != nil else {
            throw InitiumError.autodiff("this graph was already consumed by an earlier backward()")
        }
        let order = GradNode.reverseTopologicalOrder(from: root)
        root.accumulate(seedGradient)
        for node in order {
            guard let gradient = node.gradient else { continue }
            node.gradient = nil
            if let parameter = node.parameter {
                parameter.accumulateGradient(gradient)
                continue
            }
            guard let pullback = node.pullback else { continue }
            node.pullback = nil
            let inputGradients = pullback(gradient)
            for (parent, g) in zip(node.parents, inputGradients) {
                if let parent, let g { parent.accumulate(g) }
            }
        }
    }
}

extension GradNode {
    /// Nodes reachable from `root`, each after every node that consumes it (iterative DFS, so deep
    /// networks do not exhaust the stack).
    static func reverseTopologicalOrder(from root: GradNode) -> [GradNode] {
        var postOrder: [GradNode] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(node: GradNode, nextParent: Int)] = [(root, 0)]
        visited.insert(ObjectIdentifier(root))
        while !stack.isEmpty {
            let (node, next) = stack[stack.count - 1]
            if next < node.parents.count {
                stack[stack.count - 1].nextParent += 1
                if let parent = node.parents[next], visited.insert(ObjectIdentifier(parent)).inserted {
                    stack.append((parent, 0))
                }
            } else {
                postOrder.append(node)
                stack.removeLast()
            }
        }
        return postOrder.reversed()
    }
}
