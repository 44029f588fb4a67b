import Foundation
import InitiumCore
import InitiumInit
import InitiumNN

/// Fitting a coordinate network (an implicit neural representation) to one ``Signal`` as the
/// SIREN, WINNER and VI3NR papers do: full-batch Adam on the mean squared error over every grid
/// point and channel, with the peak signal-to-noise ratio recorded along the way.
///
/// The core loop, ``run(model:signal:steps:learningRate:every:progress:)``, takes an already
/// initialized model and returns its PSNR curve, so meta-learning (Reptile's inner loop) reuses it.
public enum SignalFit {
    /// The peak signal-to-noise ratio in dB, 10·log₁₀(range²/MSE). Signals here lie in [−1, 1], so
    /// the range is 2 (SIREN's convention: its `compute_psnr` rescales both images to [0, 1], the
    /// same ratio). An MSE of 0 gives +∞.
    public static func psnr(mse: Double, range: Double = 2) -> Double {
        10 * Foundation.log10(range * range / mse)
    }

    /// One point of a PSNR curve: the model after `step` Adam updates, and its PSNR in dB.
    public struct Point: Sendable, Codable, Equatable {
        /// Updates done.
        public var step: Int
        /// PSNR over the whole signal, dB.
        public var psnr: Double

        /// A point.
        public init(step: Int, psnr: Double) {
            self.step = step
            self.psnr = psnr
        }

        /// Encodes as `[step, psnr]`, the `psnr_curve` format of `initium fit --json`.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.unkeyedContainer()
            try container.encode(step)
            try container.encode(psnr)
        }

        /// Decodes `[step, psnr]`.
        public init(from decoder: any Decoder) throws {
            var container = try decoder.unkeyedContainer()
            step = try container.decode(Int.self)
            psnr = try container.decode(Double.self)
        }
    }

    /// Where a fit is, for progress bars.
    public struct Progress: Sendable {
        /// Updates done and to do.
        public var step: Int, steps: Int
        /// The PSNR of the model that took the last update, dB.
        public var psnr: Double
        /// Updates per second so far.
        public var stepsPerSecond: Double
    }

    /// What a fit produced.
    public struct Result: Sendable {
        /// The PSNR at step 0, every `every` steps, and at the last step.
        public var curve: [Point]
        /// The final model's output on every grid point, `[pointCount, channels]`.
        public var reconstruction: Tensor
        /// Updates done.
        public var steps: Int
        /// Wall-clock seconds of the updates (the curve's extra evaluations included).
        public var seconds: Double

        /// The PSNR after the last update.
        public var finalPSNR: Double { curve.last?.psnr ?? .nan }
        /// Updates per second.
        public var stepsPerSecond: Double { Double(steps) / max(seconds, 1e-9) }
    }

    /// Fits `model` (already initialized, mapping `[n, signal.dimension]` coordinates to
    /// `[n, signal.channels]`) to `signal` with `steps` full-batch updates of a fresh `optimizer`
    /// (default Adam with PyTorch's defaults β = (0.9, 0.999), ε = 1e-8, SIREN's `training.py`;
    /// plain SGD is the inner loop of Tancik et al.'s learned initializations). The loss of each forward pass
    /// is the MSE of the model before that update, so a curve point costs nothing extra except
    /// the final one. Throws ``InitiumCore/InitiumError/nonFiniteLoss(step:value:)`` when the loss
    /// becomes NaN or infinite.
    public static func run(
        model: any Module, signal: Signal, steps: Int, learningRate: Float, every: Int,
        optimizer kind: OptimizerConfiguration.Kind = .adam, progress: ((Progress) -> Void)? = nil
    ) throws -> Result {
        guard steps >= 0 else { throw InitiumError.invalidArgument("the number of steps must be ≥ 0, got \(steps)") }
        guard every >= 1 else { throw InitiumError.invalidArgument("the PSNR interval must be at least 1 step, got \(every)") }
        let optimizer = try OptimizerConfiguration(kind: kind, learningRate: learningRate).makeOptimizer(for: model)
        let coordinates = signal.coordinates()
        let parameters = model.parameters
        var curve: [Point] = []
        let start = DispatchTime.now()
        for step in 0..<steps {
            let output = try model.forward(coordinates, context: ForwardContext(mode: .training))
            let loss = try Loss.meanSquaredError(output, target: signal.values)
            let value = loss.scalar
            guard value.isFinite else { throw InitiumError.nonFiniteLoss(step: step, value: value) }
            if step % every == 0 { curve.append(Point(step: step, psnr: psnr(mse: Double(value)))) }
            model.zeroGradients()
            try loss.backward()
            try optimizer.step(parameters)
            if let progress {
                let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
                progress(Progress(step: step + 1, steps: steps, psnr: psnr(mse: Double(value)), stepsPerSecond: Double(step + 1) / max(elapsed, 1e-9)))
            }
        }
        let reconstruction = try model.forward(coordinates, context: ForwardContext(mode: .inference))
        let finalMSE = try Loss.meanSquaredError(reconstruction, target: signal.values).scalar
        guard finalMSE.isFinite else { throw InitiumError.nonFiniteLoss(step: steps, value: finalMSE) }
        curve.append(Point(step: steps, psnr: psnr(mse: Double(finalMSE))))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        return Result(curve: curve, reconstruction: reconstruction, steps: steps, seconds: seconds)
    }
}

/// Everything that defines one fit — architecture, activation, initialization (a scheme, or a
/// weights file), signal, steps, learning rate and seed — and the function that performs it.
/// `initium fit` is this type plus formatting; `initium compare --task fit` runs several schemes.
public struct SignalFitRun: Sendable {
    /// The coordinate network, e.g. `inr:in=2,out=1,layers=5,width=256,act=sine(omega=30)`.
    public var model: ModelSpec
    /// The hidden activation: the one the model's spec names (``ModelSpec/activation(default:)``,
    /// `inr:…,act=…`), else the one given (for families that take it from `--act`).
    public var activation: Activation
    /// The initialization scheme; it sees the signal as ``InitiumInit/InitializationContext/target``.
    public var scheme: Scheme
    /// A safetensors file whose weights replace the scheme's (a learned initialization).
    public var initialWeights: String?
    /// The signal to fit.
    public var signal: Signal
    /// Adam updates.
    public var steps: Int
    /// Adam's learning rate.
    public var learningRate: Float
    /// Steps between PSNR points.
    public var every: Int
    /// The seed: weights use `RandomKey(seed).fold("init")`.
    public var seed: UInt64

    /// A fit description.
    public init(
        model: ModelSpec, activation: Activation, scheme: Scheme, initialWeights: String? = nil, signal: Signal, steps: Int,
        learningRate: Float, every: Int, seed: UInt64
    ) {
        self.model = model
        self.activation = model.activation(default: activation)
        self.scheme = scheme
        self.initialWeights = initialWeights
        self.signal = signal
        self.steps = steps
        self.learningRate = learningRate
        self.every = every
        self.seed = seed
    }

    /// The number of grid points data-dependent schemes (LSUV) see: an evenly strided subset.
    static let initializationPoints = 4096

    /// The network for the signal's coordinates (input width `signal.dimension`, output width
    /// `signal.channels`), built from `key.fold("init")` and initialized by the scheme with the
    /// signal as target and evenly strided coordinates as the batch; then, when set,
    /// ``initialWeights`` replace every tensor (a file made for another architecture throws).
    public func makeModel() throws -> (model: any Module, log: InitializationLog) {
        let key = RandomKey(seed: seed)
        let module = try model.build(
            activation: activation, inputShape: [signal.dimension], classCount: signal.channels, key: key.fold("init"))
        let coordinates = signal.coordinates()
        let stride = max(1, signal.pointCount / Self.initializationPoints)
        let rows = Array(Swift.stride(from: 0, to: signal.pointCount, by: stride))
        let batch = try coordinates.indexSelect(axis: 0, rows)
        let context = InitializationContext(key: key.fold("init"), activation: model.activation(default: activation), batch: batch, target: signal)
        var log = try scheme.apply(to: module, context: context)
        if let initialWeights {
            try Self.loadWeights(initialWeights, into: module, model: model)
            log.entries.append(.init(path: "", action: "weights from \(initialWeights)"))
        }
        return (module, log)
    }

    /// Loads a weights file into `module`: a safetensors file whose `initium.model` metadata, when
    /// present, must name the same architecture, and whose tensors must be exactly the model's.
    static func loadWeights(_ path: String, into module: any Module, model: ModelSpec) throws {
        guard path.hasSuffix(".safetensors") else {
            throw InitiumError.invalidArgument("--init-from must name a .safetensors file, got '\(path)'")
        }
        let (tensors, metadata) = try SafeTensorsFile.read(from: path)
        if let made = metadata["initium.model"], made != model.text {
            throw InitiumError.file(path: path, problem: "was made for \(made), not \(model.text)")
        }
        try module.load(tensors, source: path)
    }

    /// Builds and initializes the model and fits it; returns the model, the initialization log
    /// and the fit.
    public func run(progress: ((SignalFit.Progress) -> Void)? = nil) throws -> (model: any Module, log: InitializationLog, fit: SignalFit.Result) {
        let (module, log) = try makeModel()
        let fit = try SignalFit.run(
            model: module, signal: signal, steps: steps, learningRate: learningRate, every: every, progress: progress)
        return (module, log, fit)
    }

    /// What rebuilds the fitted model (``InitiumNN/ModelCheckpoint/write(_:to:)`` saves it).
    public var checkpoint: ModelCheckpoint {
        ModelCheckpoint(model: model.text, activation: model.activation(default: activation).description, inputShape: [signal.dimension], classCount: signal.channels)
    }
}
