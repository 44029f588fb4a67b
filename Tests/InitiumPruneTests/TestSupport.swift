import InitiumCore
import InitiumInit
import InitiumNN
import InitiumPrune

/// A small labelled problem: three Gaussian blobs in 2-D (test split one fifth).
func blobs(n: Int = 300) throws -> (train: Dataset, test: Dataset) {
    try DatasetSpec("blobs(n=\(n),classes=3,dim=2,spread=0.6)").load(directory: nil, key: RandomKey(seed: 11))
}

/// A training configuration for the small problems.
func quickTraining(epochs: Int = 2, optimizer: OptimizerConfiguration = OptimizerConfiguration(kind: .adam, learningRate: 0.01)) -> TrainingConfiguration {
    TrainingConfiguration(epochs: epochs, batchSize: 30, optimizer: optimizer, key: RandomKey(seed: 5))
}

/// A recipe for a small MLP on the blobs.
func smallRecipe(_ spec: String = "mlp:2-32-32-3", scheme: String = "he-normal") throws -> ModelRecipe {
    ModelRecipe(model: try ModelSpec(spec), activation: .relu, scheme: try Scheme(scheme))
}

/// Relative difference |a − b| / max(|b|, tiny).
func relativeError(_ a: Double, _ b: Double) -> Double { abs(a - b) / max(abs(b), 1e-30) }
