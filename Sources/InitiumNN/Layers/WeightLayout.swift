import InitiumCore

/// How a weight tensor's axes map to a layer's inputs and outputs (PyTorch layouts).
public enum WeightKind: Sendable, Hashable, Codable {
    /// `[out, in]`.
    case linear
    /// `[out, in/groups, k…]`.
    case convolution(groups: Int)
    /// `[in, out/groups, k…]` (PyTorch's `ConvTranspose` layout).
    case transposedConvolution(groups: Int)
    /// `[count, dimension]`: rows are looked up, not multiplied.
    case embedding
}

/// A weight tensor's shape and how its axes map to inputs and outputs, from which fan-in and
/// fan-out follow by construction.
///
/// With rf the product of the kernel (spatial) sizes:
/// - linear `[out, in]`: fan_in = in, fan_out = out;
/// - convolution `[out, in/g, k…]`: fan_in = (in/g)·rf, fan_out = (out/g)·rf — each output sees
///   in/g channels and each input feeds out/g channels. PyTorch computes out·rf, which is g times
///   too large for grouped and depthwise convolutions (pytorch/pytorch#23854);
/// - transposed convolution `[in, out/g, k…]`: the stored axes' roles swap:
///   fan_in = (in/g)·rf, fan_out = (out/g)·rf with in = shape[0], out = shape[1]·g (TF #31192);
/// - embedding `[count, dim]`: fan_in = count (one-hot inputs), fan_out = dim;
/// - an explicit override wins for foreign layouts.
public struct WeightLayout: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The shape of the weight.
    public let shape: [Int]
    /// The axis semantics.
    public let kind: WeightKind
    /// Fans given explicitly, overriding the rules above.
    public let fanOverride: Fans?

    /// A fan-in/fan-out pair.
    public struct Fans: Sendable, Hashable, Codable {
        /// Inputs feeding one output unit.
        public var fanIn: Int
        /// Outputs fed by one input unit.
        public var fanOut: Int

        /// A pair of fans.
        public init(fanIn: Int, fanOut: Int) {
            self.fanIn = fanIn
            self.fanOut = fanOut
        }
    }

    /// A layout; throws if the shape does not fit the kind (e.g. channels not divisible by groups).
    public init(_ shape: [Int], kind: WeightKind = .linear, fans: Fans? = nil) throws {
        guard shape.allSatisfy({ $0 > 0 }) else {
            throw InitiumError.invalidShape(operation: "WeightLayout", shape: shape, reason: "all sizes must be positive")
        }
        switch kind {
        case .linear, .embedding:
            guard shape.count == 2 || fans != nil || shape.count == 1 else {
                throw InitiumError.invalidShape(operation: "WeightLayout(\(kind))", shape: shape, reason: "expected [out, in]")
            }
        case let .convolution(groups), let .transposedConvolution(groups):
            guard shape.count >= 3 else {
                throw InitiumError.invalidShape(operation: "WeightLayout(convolution)", shape: shape, reason: "expected [out, in/groups, k…]")
            }
            guard groups >= 1 else { throw InitiumError.invalidArgument("groups must be ≥ 1, got \(groups)") }
            if case .convolution = kind, shape[0] % groups != 0 {
                throw InitiumError.invalidShape(
                    operation: "WeightLayout(convolution, groups: \(groups))", shape: shape,
                    reason: "output channels \(shape[0]) are not divisible by \(groups) groups")
            }
            if case .transposedConvolution = kind, shape[0] % groups != 0 {
                throw InitiumError.invalidShape(
                    operation: "WeightLayout(transposed convolution, groups: \(groups))", shape: shape,
                    reason: "input channels \(shape[0]) are not divisible by \(groups) groups")
            }
        }
        if let fans, fans.fanIn <= 0 || fans.fanOut <= 0 {
            throw InitiumError.invalidArgument("fan override must be positive, got \(fans.fanIn), \(fans.fanOut)")
        }
        self.shape = shape
        self.kind = kind
        self.fanOverride = fans
    }

    /// The product of the kernel sizes (1 for matrices).
    public var receptiveField: Int {
        switch kind {
        case .linear, .embedding: return 1
        case .convolution, .transposedConvolution: return Shape.count(of: Array(shape.dropFirst(2)))
        }
    }

    /// The number of inputs feeding one output unit.
    public var fanIn: Int {
        if let fanOverride { return fanOverride.fanIn }
        switch kind {
        case .linear: return shape.count == 1 ? shape[0] : shape[1]
        case .embedding: return shape[0]
        case .convolution: return shape[1] * receptiveField
        case let .transposedConvolution(groups): return shape[0] / groups * receptiveField
        }
    }

    /// The number of outputs one input unit feeds.
    public var fanOut: Int {
        if let fanOverride { return fanOverride.fanOut }
        switch kind {
        case .linear: return shape[0]
        case .embedding: return shape.count > 1 ? shape[1] : 1
        case let .convolution(groups): return shape[0] / groups * receptiveField
        case .transposedConvolution: return shape[1] * receptiveField
        }
    }

    /// The number of elements.
    public var count: Int { Shape.count(of: shape) }

    /// Shape, kind and fans.
    public var description: String { "\(shape) \(kind) fan_in=\(fanIn) fan_out=\(fanOut)" }
}

extension WeightLayout {
    /// A layout from the names the command line uses: `linear`, `embedding`, `conv1d`/`conv2d`/
    /// `conv3d` (or `conv` for any rank ≥ 3) and `conv-transpose1d`/`2d`/`3d` (or
    /// `conv-transpose`), with `groups` for the convolutions. Without a name, rank 2 is linear and
    /// rank ≥ 3 a convolution.
    public init(_ shape: [Int], layoutName: String?, groups: Int = 1, fans: Fans? = nil) throws {
        let name = layoutName ?? (shape.count <= 2 ? "linear" : "conv")
        let kind: WeightKind
        var spatialRank: Int?
        switch name {
        case "linear": kind = .linear
        case "embedding": kind = .embedding
        case "conv", "conv1d", "conv2d", "conv3d":
            kind = .convolution(groups: groups)
            spatialRank = name == "conv" ? nil : Int(String(name.dropFirst(4).prefix(1)))
        case "conv-transpose", "conv-transpose1d", "conv-transpose2d", "conv-transpose3d":
            kind = .transposedConvolution(groups: groups)
            spatialRank = name == "conv-transpose" ? nil : Int(String(name.dropFirst(14).prefix(1)))
        default:
            throw InitiumError.invalidArgument(
                "unknown layout '\(name)'; choose linear, embedding, conv1d, conv2d, conv3d, conv-transpose1d, conv-transpose2d or conv-transpose3d")
        }
        if groups != 1, !name.hasPrefix("conv") {
            throw InitiumError.invalidArgument("groups apply to convolutions only, not to the \(name) layout")
        }
        if let spatialRank, shape.count != spatialRank + 2 {
            throw InitiumError.invalidShape(
                operation: "WeightLayout(\(name))", shape: shape, reason: "a \(name) weight has rank \(spatialRank + 2)")
        }
        try self.init(shape, kind: kind, fans: fans)
    }

    /// The number of groups (1 unless a grouped convolution).
    public var groups: Int {
        switch kind {
        case let .convolution(groups), let .transposedConvolution(groups): return groups
        case .linear, .embedding: return 1
        }
    }

    /// Whether the weight is a (possibly transposed) convolution kernel.
    public var isConvolution: Bool {
        switch kind {
        case .convolution, .transposedConvolution: return true
        case .linear, .embedding: return false
        }
    }

    /// The kernel (spatial) sizes; empty for matrices.
    public var kernelShape: [Int] { isConvolution ? Array(shape.dropFirst(2)) : [] }

    /// The weight as PyTorch's orthogonal and sparse initializers flatten it: shape[0] rows and
    /// the product of the remaining sizes as columns.
    public var flattenedMatrix: (rows: Int, columns: Int) {
        (shape[0], count / shape[0])
    }
}

extension WeightLayout {
    /// The distribution of PyTorch's default weight for `nn.Linear` and `nn.ConvNd`,
    /// `kaiming_uniform_(a=√5)`: U(−b, b) with b = √(3·σ²), σ² = gain²/fan_in and
    /// gain² = 2/(1 + a²) = 1/3, so b = 1/√fan_in (PyTorch's `reset_parameters`; pytorch/pytorch#57109).
    ///
    /// The bound is computed in Double as variance scaling computes it (σ² first, then √(3σ²)), so
    /// the layers' defaults and the `torch-default` scheme are one rule: `variance-scaling(scale=1/3,
    /// mode=fan-in, distribution=uniform)`, bit for bit.
    public var torchDefaultWeightDistribution: Distribution {
        let variance = (1.0 / 3.0) / Double(fanIn)
        let bound = Float((3 * variance).squareRoot())
        return .uniform(low: -bound, high: bound)
    }

    /// The distribution of PyTorch's default bias for `nn.Linear` and `nn.ConvNd`:
    /// U(−1/√fan_in, 1/√fan_in), the bound computed in Float as PyTorch's `reset_parameters` writes it.
    public var torchDefaultBiasDistribution: Distribution {
        let bound = 1 / Float(fanIn).squareRoot()
        return .uniform(low: -bound, high: bound)
    }

    /// A layer's weight and bias as PyTorch initializes them (``torchDefaultWeightDistribution``
    /// drawn with `key.fold("weight")`, ``torchDefaultBiasDistribution`` with `key.fold("bias")`),
    /// or zeros without a key (for weights loaded or set right after construction). `biasCount`
    /// is the bias length, `nil` for a layer without bias.
    public func torchDefaultParameters(biasCount: Int?, key: RandomKey?) -> (weight: Parameter, bias: Parameter?) {
        func draw(_ shape: [Int], _ distribution: Distribution, _ name: String) -> Parameter {
            guard let key else { return Parameter(Tensor.zeros(shape)) }
            // Both distributions are valid uniform ranges (fan_in ≥ 1), so the draw cannot fail.
            return Parameter(try! Tensor.random(shape, distribution, key: key.fold(name)))
        }
        let weight = draw(shape, torchDefaultWeightDistribution, "weight")
        return (weight, biasCount.map { draw([$0], torchDefaultBiasDistribution, "bias") })
    }
}
