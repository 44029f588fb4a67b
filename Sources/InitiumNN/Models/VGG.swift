extension ConvNet {
    /// VGG-11 (configuration "A" of Simonyan & Zisserman, "Very Deep Convolutional Networks for
    /// Large-Scale Image Recognition", ICLR 2015): 3×3 convolutions (stride 1, padding 1) with φ,
    /// 64, pool, 128, pool, 256, 256, pool, 512, 512, pool, 512, 512, then fully connected
    /// 512 → φ → 512 → φ → classes.
    ///
    /// Adapted to 28×28 inputs: the fifth max-pool is dropped (four pools already take 28×28 to
    /// 1×1, and a fifth would leave nothing), so the last two convolutions act on 1×1 maps, as
    /// they do on 2×2 maps in 32×32 CIFAR adaptations; the 4096-wide head with dropout becomes
    /// 512-wide without dropout, the width of the last convolution, as in CIFAR versions of VGG.
    /// No batch normalization (plain VGG). Parameters: `conv1…conv8`, `fc1`, `fc2`, `fc3`.
    public static func vgg11(
        inputShape: [Int] = [1, 28, 28], classCount: Int = 10, activation: Activation = .relu, scope: Scope
    ) throws -> ConvNet {
        func conv(_ channels: Int) -> Stage { .conv(channels: channels, kernel: 3, padding: 1) }
        let stages: [Stage] = [
            conv(64), .maxPool(2), conv(128), .maxPool(2), conv(256), conv(256), .maxPool(2),
            conv(512), conv(512), .maxPool(2), conv(512), conv(512),
        ]
        return try ConvNet(
            name: "vgg11", stages: stages, hiddenWidths: [512, 512], inputShape: inputShape, classCount: classCount,
            activation: activation, scope: scope)
    }
}

extension ModelFamily {
    /// `vgg11`.
    public static let vgg11 = ModelFamily(
        name: "vgg11", syntax: "vgg11", summary: "VGG-11 (Simonyan & Zisserman 2015) adapted to 28×28 images", input: .image
    ) { lowercased, _ in
        lowercased == "vgg11" ? ConvNet.Preset.vgg11 : nil
    }
}
