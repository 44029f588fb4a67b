import Foundation
import InitiumCore
import InitiumNN
import Testing
@testable import InitiumPrune

/// The supermask straight-through estimator, checked against finite differences. The forward
/// uses the discrete mask m(s); the backward treats m as the identity (signed: ∂L/∂s = ∂L/∂m) or
/// as |s| (edge-popup: ∂L/∂s = ∂L/∂m ⊙ sign(s)), where ∂L/∂m is the true derivative of the loss
/// with respect to a continuous mask at the discrete one, w = w₀ ⊙ m. So the score gradient that
/// ``SupermaskTraining``'s update leaves on the scores must equal the central difference of
/// m ↦ L(w₀ ⊙ m) at each entry, times the rule's factor. A step that forgets the factor w₀, takes
/// the gradient at w₀ instead of w₀ ⊙ m, or drops sign(s) fails. An SGD step of learning rate 0
/// keeps the scores where the gradient was taken. Float32 loss, h = 1e-2 on O(1) mask entries:
/// truncation ≈ 1e-4·|L‴|, rounding ≈ 1e-7/h·|L|; tolerance 2e-3 + 2e-2 relative.
@Test(arguments: [SupermaskMethod.edgePopup, .signed])
func supermaskScoreGradientIsTheStraightThroughMaskGradient(method: SupermaskMethod) throws {
    let (train, _) = try blobs(n: 120)
    let recipe = try smallRecipe("mlp:2-16-12-3")
    let run = SupermaskTraining(
        method: method, density: 0.5, weights: .initialized, recipe: recipe, training: quickTraining(), seed: 4)
    let model = try recipe.make(key: RandomKey(seed: 4), for: train, batchSize: 30)
    // Nonzero biases: with he-normal's zero biases a hidden unit whose incoming weights are all
    // masked has a pre-activation of exactly 0, where the central difference sees ReLU's kink
    // (half the one-sided slope) and Initium's ReLU′(0) = 1 the full right derivative.
    for (path, p) in model.namedParameters where path.hasSuffix("bias") {
        p.value = Tensor(shape: p.shape, repeating: 0.05)
    }
    let (masked, scores) = try run.prepare(model, key: RandomKey(seed: 4))
    let (x, y) = train.batch(Array(0..<24)[...])
    let stepKey = RandomKey(seed: 9)
    try run.setEffectiveWeights(masked, scores: scores)
    let trainer = Trainer(model: model, configuration: run.training)
    trainer.hooks.update = { optimizer in try run.updateScores(scores, of: masked, optimizer: optimizer) }
    _ = try trainer.step(inputs: x, labels: y, optimizer: SGD(learningRate: 0), parameters: model.parameters, key: stepKey)
    let masks = try run.setEffectiveWeights(masked, scores: scores)

    func loss() throws -> Float {
        try run.training.loss(try model.forward(x, context: ForwardContext(mode: .training, key: stepKey)), labels: y).scalar
    }
    let h: Float = 1e-2
    var checked = 0
    for ((layer, s), m) in zip(zip(masked, scores), masks) {
        let gradient = try #require(s.gradient, "no score gradient for \(layer.weight.path)")
        let parameter = layer.weight.parameter
        for i in Swift.stride(from: 0, to: m.count, by: max(1, m.count / 12)) {
            var plus = m, minus = m
            plus[flat: i] += h
            minus[flat: i] -= h
            parameter.value = layer.frozen.zipped(with: plus, *)
            let up = try loss()
            parameter.value = layer.frozen.zipped(with: minus, *)
            let down = try loss()
            parameter.value = layer.frozen.zipped(with: m, *)
            let maskGradient = (up - down) / (2 * h)
            let score = s.value[flat: i]
            let expected = method == .signed ? maskGradient : (score > 0 ? maskGradient : (score < 0 ? -maskGradient : 0))
            #expect(abs(gradient[flat: i] - expected) < 2e-3 + 2e-2 * abs(expected),
                    "\(layer.weight.path)[\(i)]: \(gradient[flat: i]) vs finite difference \(expected)")
            checked += 1
        }
    }
    #expect(checked >= 30)
}
