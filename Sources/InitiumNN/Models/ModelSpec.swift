import Foundation

/// A model by the name users type (design.md):
///
/// - `mlp:784-1024-1024-10` (widths; `256x20` repeats a width 20 times), `lenet300`
///   (= `mlp:784-300-100-10`);
/// - `lenet5`, `conv2`, `conv4`, `conv6` (the lottery-ticket convnets), `vgg11` (see ``ConvNet``);
/// - `resnet20` and any `resnet{6n+2}` (``ResNet``), with `-nonorm` for the variant without batch
///   normalization that carries Fixup's scalars.
///
/// Convolutional models read image examples `[channels, height, width]` (Fashion-MNIST: `[1, 28, 28]`).
public struct ModelSpec: Sendable, CustomStringConvertible {
    /// The model families a spec can name.
    public enum Architecture: Sendable, Hashable {
        /// A multilayer perceptron with these widths (input first, classes last).
        case mlp(widths: [Int])
        /// LeNet-5.
        case lenet5
        /// Frankle & Carbin's Conv-2, Conv-4 or Conv-6.
        case lotteryTicketConvNet(depth: Int)
        /// VGG-11 adapted to small images.
        case vgg11
        /// A CIFAR-style ResNet of depth 6n + 2, with or without batch normalization.
        case resnet(depth: Int, normalized: Bool)
    }

    /// The spec as typed.
    public let text: String
    /// The architecture it names.
    public let architecture: Architecture

    /// The layer widths, for MLP specs.
    public var widths: [Int]? {
        if case let .mlp(widths) = architecture { return widths }
        return nil
    }

    /// Parses a model spec; throws with a message naming the bad part.
    public init(_ text: String) throws {
        self.text = text
        let lower = text.lowercased()
        switch lower {
        case "lenet300": architecture = .mlp(widths: [784, 300, 100, 10])
        case "lenet5": architecture = .lenet5
        case "conv2", "conv4", "conv6": architecture = .lotteryTicketConvNet(depth: Int(lower.dropFirst(4))!)
        case "vgg11": architecture = .vgg11
        default:
            if lower.hasPrefix("mlp:") {
                architecture = .mlp(widths: try Self.parseWidths(String(lower.dropFirst(4)), spec: text))
            } else if lower.hasPrefix("resnet") {
                architecture = try Self.parseResNet(String(lower.dropFirst(6)), spec: text)
            } else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: text,
                    reason: "choose mlp:IN-H1-…-OUT (e.g. mlp:784-256x20-10), lenet300, lenet5, conv2, conv4, conv6, vgg11 "
                        + "or resnet{6n+2} with an optional -nonorm suffix (e.g. resnet20, resnet56-nonorm)")
            }
        }
    }

    private static func parseResNet(_ body: String, spec: String) throws -> Architecture {
        let normalized = !body.hasSuffix("-nonorm")
        let digits = normalized ? body : String(body.dropLast("-nonorm".count))
        guard let depth = Int(digits), depth >= 8, (depth - 2) % 6 == 0 else {
            throw InitiumError.invalidSpec(
                kind: "model", spec: spec, reason: "ResNet depth must be 6n + 2 with n ≥ 1 (8, 14, 20, 32, 44, 56, 110, …)")
        }
        // Each block of a stage of width c holds two 3×3 convolutions, ≤ 18c² weights: an upper
        // bound of n·18·(16² + 32² + 64²) for the three stages, enough to reject absurd depths.
        let (parameters, overflow) = ((depth - 2) / 6).multipliedReportingOverflow(by: 18 * (16 * 16 + 32 * 32 + 64 * 64))
        try checkSize(parameters: overflow ? nil : parameters, spec: spec)
        return .resnet(depth: depth, normalized: normalized)
    }

    private static func parseWidths(_ body: String, spec: String) throws -> [Int] {
        var widths: [Int] = []
        for part in body.split(separator: "-", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "x", omittingEmptySubsequences: false)
            guard pieces.count == 1 || pieces.count == 2, let width = Int(pieces[0]), width > 0 else {
                throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "'\(part)' is not a width (use W or WxN)")
            }
            let repeats = pieces.count == 2 ? Int(pieces[1]) : 1
            guard let repeats, repeats > 0, repeats <= 10_000 else {
                throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "'\(part)': the repeat count must be a positive integer")
            }
            widths += Array(repeating: width, count: repeats)
        }
        guard widths.count >= 2 else {
            throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "an MLP needs at least an input and an output width")
        }
        // Σ (in·out + out), the weights and biases, with overflow-reporting arithmetic.
        var count: Int? = 0
        for (a, b) in zip(widths, widths.dropFirst()) {
            let (weights, o1) = a.multipliedReportingOverflow(by: b)
            let (layer, o2) = weights.addingReportingOverflow(b)
            let (total, o3) = (count ?? 0).addingReportingOverflow(layer)
            count = o1 || o2 || o3 || count == nil ? nil : total
        }
        try checkSize(parameters: count, spec: spec)
        if let wide = widths.first(where: { $0 > Int(Int32.max) }) {
            throw InitiumError.invalidSpec(
                kind: "model", spec: spec, reason: "width \(wide) exceeds 2³¹ − 1, the largest matrix dimension BLAS accepts")
        }
        return widths
    }

    /// Throws unless `parameters` (nil: the count overflowed `Int`) fits in this machine's memory as
    /// float32, so an absurd spec such as `mlp:784-4294967296-10` is a user error naming the size,
    /// not a fatal allocation failure when the layers are built.
    static func checkSize(parameters: Int?, spec: String) throws {
        let memory = ProcessInfo.processInfo.physicalMemory
        guard let parameters else {
            throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "its parameter count overflows a 64-bit integer")
        }
        let (bytes, overflow) = UInt64(parameters).multipliedReportingOverflow(by: 4)
        guard !overflow, bytes <= memory else {
            func gigabytes(_ b: Double) -> String { String(format: "%.3g GB", b / 1e9) }
            throw InitiumError.invalidSpec(
                kind: "model", spec: spec,
                reason: "its \(parameters) parameters need \(gigabytes(Double(parameters) * 4)) as float32, more than this machine's "
                    + "\(gigabytes(Double(memory))) of memory")
        }
    }

    /// The spec string.
    public var description: String { text }

    /// Builds the model with PyTorch-default initialization drawn from `key` (`nil`: all weights
    /// start at zero, for weights loaded or initialized right after). `inputShape` is one
    /// example's shape and `classCount` the number of outputs, checked against the spec; layer
    /// sizes that do not fit the input throw an error naming the layer.
    public func build(activation: Activation, inputShape: [Int], classCount: Int, key: RandomKey?) throws -> any Module {
        switch architecture {
        case let .mlp(widths):
            let features = Shape.count(of: inputShape)
            guard widths.first == features else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: text, reason: "input width \(widths[0]) does not match the data's \(features) features \(inputShape)")
            }
            guard widths.last == classCount else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: text, reason: "output width \(widths.last!) does not match the data's \(classCount) classes")
            }
            return try MLP(widths: widths, activation: activation, key: key)
        case .lenet5:
            return try ConvNet.lenet5(inputShape: inputShape, classCount: classCount, activation: activation, key: key)
        case let .lotteryTicketConvNet(depth):
            return try ConvNet.lotteryTicket(depth: depth, inputShape: inputShape, classCount: classCount, activation: activation, key: key)
        case .vgg11:
            return try ConvNet.vgg11(inputShape: inputShape, classCount: classCount, activation: activation, key: key)
        case let .resnet(depth, normalized):
            guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: text, reason: "needs image examples [channels, height, width], got \(inputShape)")
            }
            return try ResNet(
                depth: depth, normalized: normalized, inputChannels: inputShape[0], classCount: classCount,
                activation: activation, key: key)
        }
    }
}
