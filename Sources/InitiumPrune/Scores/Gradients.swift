import Foundation
import InitiumCore
import InitiumNN

/// Gradients of the classification loss: the machinery every data-driven score and proxy shares.
///
/// The engine's tape is first order, so the Hessian-gradient product GraSP needs is a central
/// difference of two gradients (``hessianVectorProduct(model:parameters:inputs:labels:vector:temperature:mode:)``).
enum Gradients {
    /// ∂L/∂p for each of `parameters`, where L = mean cross-entropy of f(x)/T; zero at masked
    /// entries (the gradient with respect to `weight_orig` of `weight_orig ⊙ mask`). Gradients
    /// already accumulated in the model are discarded, and none are left behind.
    static func ofLoss(
        model: any Module, parameters: [Parameter], inputs: Tensor, labels: [Int32], temperature: Float = 1,
        mode: ForwardContext.Mode, graph: GraphBatch? = nil, interceptor: ((any Module, Tensor) throws -> Tensor)? = nil
    ) throws -> [Tensor] {
        try withTrainable(parameters) {
            model.zeroGradients()
            defer { model.zeroGradients() }
            let context = ForwardContext(mode: mode, recordsGradients: true)
            context.graph = graph
            context.interceptor = interceptor
            var output = try model.forward(inputs, context: context)
            if temperature != 1 { output = output * (1 / temperature) }
            let loss = try output.softmaxCrossEntropy(labels: labels)
            guard loss.scalar.isFinite else { throw InitiumError.nonFiniteLoss(step: 0, value: loss.scalar) }
            try loss.backward()
            return parameters.map { p in
                var g = p.gradient ?? Tensor.zeros(p.shape)
                if let mask = p.mask { g.multiplyInPlace(mask) }
                return g
            }
        }
    }

    /// The Hessian of L (as in ``ofLoss(model:parameters:inputs:labels:temperature:mode:interceptor:)``)
    /// with respect to `parameters`, times `vector`, by a central difference of gradients:
    ///
    ///     Hv ≈ (∇L(θ + εv) − ∇L(θ − εv)) / 2ε,   ε = δ·max(‖θ‖, 1)/‖v‖,  δ = 10⁻³,
    ///
    /// with the network's kinks frozen at θ (``FrozenKinks``), so the difference is that of the
    /// piecewise-smooth model that reverse-over-reverse differentiation (PyTorch's
    /// `create_graph=True`, which GraSP's code uses) differentiates. The truncation error is O(δ²)
    /// relative and float32 rounding adds about u/δ ≈ 10⁻⁴ (u = 2⁻²⁴) relative to the gradient's
    /// scale. Models whose kinks cannot be frozen (residual blocks applying their own activation)
    /// fall back to the plain difference, which includes kink crossings. The tests compare both
    /// paths with exact Hessians.
    static func hessianVectorProduct(
        model: any Module, parameters: [Parameter], inputs: Tensor, labels: [Int32], vector: [Tensor],
        temperature: Float = 1, mode: ForwardContext.Mode, graph: GraphBatch? = nil
    ) throws -> [Tensor] {
        let vNorm = norm(vector)
        guard vNorm > 0 else { return parameters.map { Tensor.zeros($0.shape) } }
        let thetaNorm = norm(parameters.map(\.value))
        let epsilon = Float(1e-3 * max(thetaNorm, 1) / vNorm)
        let kinks = try FrozenKinks.record(model, inputs: inputs, mode: mode, graph: graph)
        let saved = parameters.map(\.value)
        defer { for (p, v) in zip(parameters, saved) { p.value = v } }
        func gradient(at sign: Float) throws -> [Tensor] {
            for (p, (theta, v)) in zip(parameters, zip(saved, vector)) {
                p.value = theta.zipped(with: v) { $0 + sign * epsilon * $1 }
            }
            return try ofLoss(
                model: model, parameters: parameters, inputs: inputs, labels: labels, temperature: temperature, mode: mode,
                graph: graph, interceptor: kinks?.interceptor())
        }
        let plus = try gradient(at: 1)
        let minus = try gradient(at: -1)
        let scale = 1 / (2 * epsilon)
        return zip(plus, minus).map { $0.zipped(with: $1) { ($0 - $1) * scale } }
    }

    /// Per-example gradients ∂ℓᵢ/∂p, one forward and backward pass per example (batch size 1, as
    /// GradSign's `get_grad_conflict` does), where ℓᵢ is the cross-entropy of example i alone.
    /// Result `[example][parameter]`.
    static func perExample(
        model: any Module, parameters: [Parameter], inputs: Tensor, labels: [Int32], mode: ForwardContext.Mode,
        progress: ((Int, Int) -> Void)? = nil
    ) throws -> [[Tensor]] {
        try labels.indices.map { i in
            progress?(i + 1, labels.count)
            return try ofLoss(
                model: model, parameters: parameters, inputs: inputs.slice(axis: 0, i..<(i + 1)).detached(),
                labels: [labels[i]], mode: mode)
        }
    }

    /// ∂(Σ f(x))/∂x, the input gradient of the sum of all outputs, `[n, …]` like `inputs`. Rows
    /// are per-example Jacobian sums when examples do not interact (no batch statistics).
    static func ofOutputSumWithRespectToInputs(model: any Module, inputs: Tensor, mode: ForwardContext.Mode) throws -> Tensor {
        let x = Parameter(inputs)
        model.zeroGradients()
        defer { model.zeroGradients() }
        let y = try model.forward(x.tracked, context: ForwardContext(mode: mode, recordsGradients: true))
        try y.sum().backward()
        return x.gradient ?? Tensor.zeros(inputs.shape)
    }

    /// ‖v‖₂ over a list of tensors, in Double.
    static func norm(_ tensors: [Tensor]) -> Double {
        tensors.reduce(0.0) { total, t in
            total + t.withUnsafeBufferPointer { p in p.reduce(0.0) { $0 + Double($1) * Double($1) } }
        }.squareRoot()
    }

    /// Runs `body` with every parameter in `parameters` trainable (so the tape reaches it), then
    /// restores the flags.
    static func withTrainable<R>(_ parameters: [Parameter], _ body: () throws -> R) rethrows -> R {
        let flags = parameters.map(\.isTrainable)
        for p in parameters { p.isTrainable = true }
        defer { for (p, flag) in zip(parameters, flags) { p.isTrainable = flag } }
        return try body()
    }
}
