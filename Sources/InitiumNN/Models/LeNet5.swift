extension ConvNet {
    /// LeNet-5 (LeCun et al., "Gradient-Based Learning Applied to Document Recognition", Proc.
    /// IEEE 1998) in its common modern form, identical to `torch_train_bench.py`'s `lenet5`:
    /// conv 6@5×5 (padding 2, so 28×28 inputs keep the paper's 32×32 geometry) → φ → max-pool 2 →
    /// conv 16@5×5 → φ → max-pool 2 → fc 120 → φ → fc 84 → φ → fc classes.
    ///
    /// Differences from the paper: max pooling instead of trainable sub-sampling, full C3
    /// connectivity, φ (ReLU by default) instead of scaled tanh, and a linear classifier instead
    /// of RBF units. Parameters: `conv1`, `conv2`, `fc1`, `fc2`, `fc3` (`.weight`, `.bias`).
    public static func lenet5(
        inputShape: [Int] = [1, 28, 28], classCount: Int = 10, activation: Activation = .relu, scope: Scope
    ) throws -> ConvNet {
        try ConvNet(
            name: "lenet5",
            stages: [.conv(channels: 6, kernel: 5, padding: 2), .maxPool(2), .conv(channels: 16, kernel: 5, padding: 0), .maxPool(2)],
            hiddenWidths: [120, 84], inputShape: inputShape, classCount: classCount, activation: activation, scope: scope)
    }
}

extension ModelFamily {
    /// `lenet5`.
    public static let lenet5 = ModelFamily(
        name: "lenet5", syntax: "lenet5", summary: "LeNet-5 (LeCun et al. 1998), modern form", input: .image
    ) { lowercased, _ in
        lowercased == "lenet5" ? ConvNet.Preset.lenet5 : nil
    }
}
