import Foundation
import InitiumCore
import InitiumSpec

/// A coordinate network (an implicit neural representation): an MLP from coordinates `[in]` to
/// signal values `[out]`, with any activation of the catalog between its Linear layers and a
/// linear last layer, optionally behind a fixed Fourier-feature encoding of its input.
///
/// `layers` counts Linear layers: SIREN's image network (Sitzmann et al., NeurIPS 2020, official
/// `modules.py`, `Siren(hidden_layers=3, outermost_linear=True)`) has a first layer, 3 hidden
/// layers and a linear output layer, 5 Linear layers in all, so it is
/// `inr:in=2,out=1,layers=5,width=256,act=sine(omega=30)`. The activation is applied as typed:
/// `sine(omega=30)` computes sin(30·(Wx + b)), SIREN's `sin(ω₀·linear(x))`, at every layer.
///
/// Parameters read `layers.0.weight`, `layers.2.bias`, … as ``MLP``'s (a PyTorch `nn.Sequential`
/// of Linear and activation modules); the first Linear has role `.input` (SIREN's first-layer
/// rule), the hidden ones `.hidden` and the last `.classifier` (the output layer). With an
/// encoding, its frequency matrix is the buffer `encoding.frequencies`, saved in checkpoints.
public final class CoordinateNetwork: SequentialModule {
    /// The Fourier-feature encoding of the input, or `nil`.
    public let encoding: FourierFeatureEncoding?
    /// Linear, activation, Linear, …, Linear.
    public let layers: Sequential
    /// The configuration the network was built from.
    public let configuration: Configuration
    /// The children: `encoding` (when present), then `layers`.
    public let children: [(name: String, module: any Module)]

    /// A network for `configuration` with `activation` between its layers, PyTorch-default
    /// initialized from the scope's key; the encoding's frequencies are drawn from
    /// `scope.child("encoding")`'s key (zeros without a key, for networks loaded right after).
    public init(_ configuration: Configuration, activation: Activation, scope: Scope) throws {
        var list = ChildList(scope)
        var width = configuration.inputs
        if let fourier = configuration.encoding {
            let encoding = try list.add("encoding") {
                try FourierFeatureEncoding(inputs: configuration.inputs, features: fourier.features, sigma: fourier.sigma, scope: $0)
            }
            width = encoding.outputs
            self.encoding = encoding
        } else {
            encoding = nil
        }
        let inputWidth = width
        layers = try list.addGroup("layers") { scope in
            var layers = ChildList(scope)
            let count = configuration.layers
            for i in 0..<count {
                let isLast = i == count - 1
                let fanIn = i == 0 ? inputWidth : configuration.width
                // A maxout hidden layer computes k pre-activations per unit and keeps their maximum.
                let fanOut = isLast ? configuration.outputs : configuration.width * activation.maxoutGroup
                let linear = try layers.append { Linear(fanIn, fanOut, scope: $0) }
                var roles: Set<LayerRole> = i == 0 ? [.input] : (isLast ? [.classifier] : [.hidden])
                if i == 0 && isLast { roles.insert(.classifier) }
                linear.roles = roles
                if !isLast { try layers.append { _ in ActivationLayer(activation) } }
            }
            return Sequential(layers)
        }
        children = list.entries
        self.configuration = configuration
    }
}

/// Random Fourier features (Tancik et al., "Fourier Features Let Networks Learn High Frequency
/// Functions in Low Dimensional Domains", NeurIPS 2020): γ(v) = [cos 2πBv, sin 2πBv] with
/// B ∈ ℝ^{m×d}, B_ij ~ N(0, σ²), drawn once and fixed. The paper's order (cos, then sin) is kept,
/// so an input of d coordinates becomes 2m features, all of unit scale (‖γ(v)‖² = m).
///
/// B is a buffer (`frequencies`, `[m, d]`): saved and loaded with the model, never trained.
public final class FourierFeatureEncoding: BufferedModule {
    /// B, `[features, inputs]` (not trainable).
    public let frequencies: Parameter

    /// An encoding of `inputs` coordinates into `2·features` features with B ~ N(0, sigma²)
    /// drawn from the scope's key folded with `frequencies` (zeros without a key).
    public init(inputs: Int, features: Int, sigma: Double, scope: Scope) throws {
        guard inputs > 0, features > 0, sigma > 0, sigma.isFinite else {
            throw InitiumError.invalidArgument(
                "Fourier features need positive inputs, features and sigma; got \(inputs), \(features), \(sigma)")
        }
        let value = try scope.key.map { try Tensor.normal([features, inputs], std: Float(sigma), key: $0.fold("frequencies")) }
            ?? Tensor.zeros([features, inputs])
        frequencies = Parameter(value, isTrainable: false)
    }

    /// The number of input coordinates d.
    public var inputs: Int { frequencies.shape[1] }
    /// The number of output features, 2m.
    public var outputs: Int { 2 * frequencies.shape[0] }

    /// A fixed, parameter-free map of its input (a change of representation, like a reshape), so
    /// its output is not reported to observers.
    public var kind: LayerKind { .reshape }

    public var localBuffers: [(name: String, buffer: Parameter)] { [("frequencies", frequencies)] }

    /// [cos 2πBv, sin 2πBv] for each row v of `input` `[n, d]`.
    public func forward(_ input: Tensor, context: ForwardContext) throws -> Tensor {
        guard input.rank == 2, input.shape[1] == inputs else {
            throw InitiumError.invalidShape(
                operation: "Fourier features", shape: input.shape, reason: "expected [batch, \(inputs)] coordinates")
        }
        let phase = try Tensor.affine(input, weight: frequencies.value * Float(2 * Double.pi), bias: nil)
        return try Tensor.concatenate([phase.cos(), phase.sin()], axis: 1)
    }
}

extension CoordinateNetwork {
    /// The input encoding an `inr:` spec may name.
    public struct FourierEncoding: Sendable, Hashable {
        /// σ, the standard deviation of B's entries.
        public var sigma: Double
        /// m, the number of frequencies (the encoding has 2m outputs).
        public var features: Int

        /// An encoding with these values.
        public init(sigma: Double, features: Int) {
            self.sigma = sigma
            self.features = features
        }
    }

    /// What an `inr:` spec fixes.
    public struct Configuration: ModelConfiguration, Hashable {
        /// Input coordinates (2 for an image, 1 for a sound).
        public var inputs: Int
        /// Output values per coordinate (channels).
        public var outputs: Int
        /// Linear layers, the output layer included (≥ 1).
        public var layers: Int
        /// Hidden width.
        public var width: Int
        /// The activation the spec names, or `nil` for the run's.
        public var activation: Activation?
        /// The Fourier-feature encoding, or `nil` for raw coordinates.
        public var encoding: FourierEncoding?

        /// A configuration.
        public init(inputs: Int, outputs: Int, layers: Int, width: Int, activation: Activation?, encoding: FourierEncoding? = nil) {
            self.inputs = inputs
            self.outputs = outputs
            self.layers = layers
            self.width = width
            self.activation = activation
            self.encoding = encoding
        }

        /// The network, after checking `in` against the data's features and `out` against its
        /// outputs; `activation` is the run's, used when the spec names none.
        public func build(spec: String, activation: Activation, inputShape: [Int], classCount: Int, scope: Scope) throws -> any Module {
            let features = Shape.count(of: inputShape)
            guard features == inputs else {
                throw InitiumError.invalidSpec(
                    kind: "model", spec: spec, reason: "in=\(inputs) does not match the data's \(features) coordinates \(inputShape)")
            }
            guard classCount == outputs else {
                throw InitiumError.invalidSpec(kind: "model", spec: spec, reason: "out=\(outputs) does not match the data's \(classCount) outputs")
            }
            return try CoordinateNetwork(self, activation: self.activation ?? activation, scope: scope)
        }

        /// Every Linear layer's weight and bias (maxout's k-fold hidden outputs included); the
        /// encoding's buffer is not a parameter.
        public var parameterCount: Int? {
            let group = activation?.maxoutGroup ?? 1
            let first = encoding.map { 2 * $0.features } ?? inputs
            guard layers > 1 else { return Self.denseParameterCount([first, outputs]) }
            let (hidden, overflow) = width.multipliedReportingOverflow(by: group)
            guard !overflow else { return nil }
            var total = 0
            for (a, b) in zip([first] + Array(repeating: width, count: layers - 1), Array(repeating: hidden, count: layers - 1) + [outputs]) {
                guard let layer = Self.denseParameterCount([a, b]) else { return nil }
                let (sum, o) = total.addingReportingOverflow(layer)
                if o { return nil }
                total = sum
            }
            return total
        }
    }
}

extension ModelFamily {
    /// `inr:in=D,out=C,layers=L,width=W[,act=…][,encoding=fourier(sigma=10,features=256)]`, a
    /// coordinate network.
    public static let inr = ModelFamily.keyed(
        "inr", syntax: "inr:in=D,out=C,layers=L,width=W[,act=sine(omega=30)][,encoding=fourier(sigma=10,features=256)]",
        example: "inr:in=2,out=1,layers=5,width=256,act=sine(omega=30)",
        summary: "coordinate network (implicit neural representation): L Linear layers, the last linear, "
            + "optional Fourier features (Tancik et al. 2020)",
        input: .features, required: ["in", "out", "layers", "width"], optional: ["act", "encoding"]
    ) { values in
        let activation = try values.text("act").map { text in
            do { return try Activation(text) } catch { throw values.error("'act': \(error)") }
        }
        let encoding = try values.text("encoding").map { text -> CoordinateNetwork.FourierEncoding in
            let syntax: SpecSyntax
            do { syntax = try SpecSyntax(parsing: text, kind: "encoding") } catch { throw values.error("'encoding': \(error)") }
            guard syntax.name == "fourier" else { throw values.error("'encoding' must be fourier(sigma=S,features=M), got '\(text)'") }
            do {
                try syntax.requireOnly(["sigma", "features"], kind: "encoding")
                let sigma = try syntax.number("sigma", default: 10, kind: "encoding")
                let features = try syntax.integer("features", default: 256, kind: "encoding")
                guard sigma > 0 else { throw values.error("'encoding': sigma must be > 0, got \(SpecSyntax.format(sigma))") }
                guard features >= 1, features <= Int(Int32.max) / 2 else {
                    throw values.error("'encoding': features must be a positive integer below 2³⁰, got \(features)")
                }
                return CoordinateNetwork.FourierEncoding(sigma: sigma, features: features)
            } catch let error as InitiumError { throw error } catch { throw values.error("'encoding': \(error)") }
        }
        let width = try values.positiveInteger("width")
        if width > Int(Int32.max) { throw values.error("'width' \(width) exceeds 2³¹ − 1, the largest matrix dimension BLAS accepts") }
        return CoordinateNetwork.Configuration(
            inputs: try values.positiveInteger("in"), outputs: try values.positiveInteger("out"),
            layers: try values.positiveInteger("layers"), width: width, activation: activation, encoding: encoding)
    }
}
