import InitiumCore

extension ConvNet {
    /// Conv-2, Conv-4 and Conv-6 of Frankle & Carbin, "The Lottery Ticket Hypothesis: Finding
    /// Sparse, Trainable Neural Networks", ICLR 2019 (Figure 2; scaled-down VGG networks):
    ///
    /// - Conv-2: 64, 64, pool
    /// - Conv-4: 64, 64, pool, 128, 128, pool
    /// - Conv-6: 64, 64, pool, 128, 128, pool, 256, 256, pool
    ///
    /// with 3×3 convolutions (stride 1, "same" padding 1) each followed by φ, 2×2 max-pools, then
    /// fully connected 256 → φ → 256 → φ → classes.
    ///
    /// Adapted to 1×28×28 Fashion-MNIST instead of 3×32×32 CIFAR-10: the first convolution reads
    /// the data's channels and the first fully connected layer reads what the stack produces
    /// (64·14·14, 128·7·7 or 256·3·3 features; the last pool of Conv-6 floors 7 to 3). As in the
    /// paper's base networks, there is no dropout or normalization. Parameters: `conv1…conv{depth}`,
    /// `fc1`, `fc2`, `fc3`.
    public static func lotteryTicket(
        depth: Int, inputShape: [Int] = [1, 28, 28], classCount: Int = 10, activation: Activation = .relu, scope: Scope
    ) throws -> ConvNet {
        guard [2, 4, 6].contains(depth) else {
            throw InitiumError.invalidArgument("the lottery-ticket convnets are conv2, conv4 and conv6, not conv\(depth)")
        }
        var stages: [Stage] = []
        for pair in 0..<(depth / 2) {
            let channels = 64 << pair
            stages += [.conv(channels: channels, kernel: 3, padding: 1), .conv(channels: channels, kernel: 3, padding: 1), .maxPool(2)]
        }
        return try ConvNet(
            name: "conv\(depth)", stages: stages, hiddenWidths: [256, 256], inputShape: inputShape, classCount: classCount,
            activation: activation, scope: scope)
    }
}

extension ModelFamily {
    /// `conv2`, `conv4`, `conv6`.
    public static let lotteryTicketConvNets = ModelFamily(
        name: "conv", syntax: "conv2, conv4, conv6", summary: "the lottery-ticket convnets (Frankle & Carbin 2019)", input: .image
    ) { lowercased, _ in
        ["conv2", "conv4", "conv6"].contains(lowercased) ? ConvNet.Preset.lotteryTicket(depth: Int(lowercased.dropFirst(4))!) : nil
    }
}
