import Foundation
import InitiumCore
import InitiumInit
import InitiumNN

/// Where a measured model comes from: a checkpoint written by `train --save`, or a fresh
/// initialization (the same weights `train --seed S` starts from: key `RandomKey(seed)`).
public enum ModelSource: Sendable, CustomStringConvertible {
    /// A `.safetensors` checkpoint with model metadata (``ModelCheckpoint``).
    case checkpoint(String)
    /// A model built from a recipe and initialized with `RandomKey(seed)`; data-dependent schemes
    /// see a batch of `batchSize` training examples.
    case initialization(ModelRecipe, seed: UInt64, batchSize: Int)

    /// The model, and what rebuilds it, for data `train` (whose example shape must be the model's).
    public func make(for train: Dataset) throws -> (model: any Module, checkpoint: ModelCheckpoint) {
        switch self {
        case let .checkpoint(path):
            let (checkpoint, model) = try ModelCheckpoint.load(from: path)
            guard checkpoint.inputShape == train.exampleShape else {
                throw InitiumError.file(path: path, problem: "the model takes examples of shape \(checkpoint.inputShape), the data has \(train.exampleShape)")
            }
            return (model, checkpoint)
        case let .initialization(recipe, seed, batchSize):
            let model = try recipe.make(key: RandomKey(seed: seed), for: train, batchSize: batchSize)
            return (model, ModelCheckpoint(
                model: recipe.model.text, activation: recipe.activation.description, inputShape: train.exampleShape,
                classCount: train.classCount))
        }
    }

    /// The checkpoint path, or `SCHEME (seed S)`.
    public var description: String {
        switch self {
        case let .checkpoint(path): path
        case let .initialization(recipe, seed, _): "\(recipe.scheme) (seed \(seed))"
        }
    }
}
