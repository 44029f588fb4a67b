import ArgumentParser
import Foundation
import InitiumCore
import InitiumInit
import InitiumNN

/// `initium init`: draws one weight tensor from a scheme, reports its fans and statistics, and
/// optionally writes it to `.npy` or `.safetensors` (tensor name `weight`). With `--model` it
/// initializes a whole model instead (model-level recipes, LSUV on a data batch), prints the
/// per-layer log and with `--out` writes the model's state (``ModelStateFile``). Options of the
/// other mode are rejected rather than ignored (``rejectOptionsOfTheOtherMode()``). `--data`, `--data-dir` and `--standardize` are the shared ``DataSourceOptions``,
/// with `train`'s defaults (inputs standardized), so that the log is what `train` would do.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Draw one weight tensor from a scheme, print its fans and statistics, optionally save it; or initialize a model (--model).")

    @Option(help: "Initialization scheme, e.g. he-normal, orthogonal(gain=1), eoc(sigma-b2=0.05).") var scheme: String
    @Option(help: "Weight shape, comma-separated (PyTorch layout), e.g. 64,32,3,3.") var shape: String?
    @Option(help: ArgumentHelp(
        "Initialize this model instead of one tensor and print the per-layer log (--act defaults to "
            + "\(MeasurementDefaults.activation) here). " + modelSpecHelp))
    var model: String?
    @OptionGroup(title: "With --model") var dataSource: DataSourceOptions
    @Option(help: "With --model: examples in the batch data-dependent schemes see.") var batch = 256
    @Option(help: "linear, embedding, conv1d/2d/3d or conv-transpose1d/2d/3d (default: linear for rank 2, conv otherwise).")
    var layout: String?
    @Option(help: "Convolution groups.") var groups = 1
    @OptionGroup var activation: OptionalActivationOption
    @Option(help: "Override fan-in (with --fan-out) for foreign layouts.") var fanIn: Int?
    @Option(help: "Override fan-out (with --fan-in).") var fanOut: Int?
    @OptionGroup var seedOption: SeedOption
    @Option(help: "Write the tensor to a .npy or .safetensors file; with --model, the model's state (PyTorch state_dict names) to .safetensors or .npz.")
    var out: String?
    @OptionGroup var console: OutputOptions

    func run() throws {
        try rejectOptionsOfTheOtherMode()
        if let model { return try initializeModel(model) }
        guard let shape else { throw InitiumError.invalidArgument("give --shape (one tensor) or --model (a whole model)") }
        let dims = try parseShape(shape)
        var fans: WeightLayout.Fans?
        if fanIn != nil || fanOut != nil {
            guard let fanIn, let fanOut else { throw InitiumError.invalidArgument("give both --fan-in and --fan-out") }
            fans = WeightLayout.Fans(fanIn: fanIn, fanOut: fanOut)
        }
        let request = TensorInitialization(
            scheme: try Scheme(scheme), layout: try WeightLayout(dims, layoutName: layout, groups: groups, fans: fans),
            seed: seedOption.seed, activation: try activation.engineActivation())
        let (tensor, summary) = try request.run()
        try rejectUnusedActivation(request, drew: tensor)
        if let out {
            if out.hasSuffix(".npy") {
                try NumPyFile.write(tensor, to: out)
            } else if out.hasSuffix(".safetensors") {
                try SafeTensorsFile.write([(name: "weight", tensor: tensor)], to: out)
            } else {
                throw InitiumError.invalidArgument("--out must end in .npy or .safetensors, got '\(out)'")
            }
        }
        console.answer(String(format: "%@ %@ fan_in=%d fan_out=%d: mean %.6g std %.6g min %.6g max %.6g%@",
                             request.scheme.description, "\(dims)", request.layout.fanIn, request.layout.fanOut,
                             summary.mean, summary.std, summary.min, summary.max, out.map { " → \($0)" } ?? ""))
        try console.emit(InitReport(scheme: request.scheme.description, shape: dims, fanIn: request.layout.fanIn,
                                   fanOut: request.layout.fanOut, summary: summary))
    }
}

extension InitCommand {
    /// `init --model`: the whole model initialized as `train` would initialize it (same data
    /// scaling, same keys), with the activation `MeasurementDefaults` gives when `--act` is absent.
    func initializeModel(_ spec: String) throws {
        let request = ModelInitialization(
            model: try ModelSpec(spec), activation: try activation.engineActivation(defaultingTo: MeasurementDefaults.activation),
            scheme: try Scheme(scheme), data: try dataSource.recipe(), batchSize: batch, seed: seedOption.seed)
        if let out { try ModelStateFile.validate(out) }
        let (network, log, seconds) = try request.run()
        if let out { try ModelStateFile.write(network, to: out) }
        for entry in log.entries {
            console.answer("\(entry.path): \(entry.action)")
        }
        console.answer(String(format: "%@ on %@ (%@): %d entries in %.2f s%@", request.scheme.description, spec,
                             request.activation.description, log.entries.count, seconds, out.map { " → \($0)" } ?? ""))
        try console.emit(ModelInitReport(scheme: request.scheme.description, model: spec, activation: request.activation.description,
                                        seconds: seconds, layers: log.entries))
    }
}

extension InitCommand {
    /// One tensor and a whole model take different options; a user error names the ones given
    /// for the other mode (compared with their defaults), instead of running without them.
    func rejectOptionsOfTheOtherMode() throws {
        var misplaced: [String] = []
        if model != nil {
            if shape != nil { misplaced.append("--shape") }
            if layout != nil { misplaced.append("--layout") }
            if groups != 1 { misplaced.append("--groups") }
            if fanIn != nil { misplaced.append("--fan-in") }
            if fanOut != nil { misplaced.append("--fan-out") }
            guard misplaced.isEmpty else {
                throw InitiumError.invalidArgument("\(misplaced.joined(separator: ", ")) cannot be used with --model (they describe one tensor, --shape)")
            }
        } else {
            if dataSource.data != "fashion-mnist" { misplaced.append("--data") }
            if dataSource.dataDir != nil { misplaced.append("--data-dir") }
            if !dataSource.standardize { misplaced.append("--no-standardize") }
            if batch != 256 { misplaced.append("--batch") }
            guard misplaced.isEmpty else {
                throw InitiumError.invalidArgument("\(misplaced.joined(separator: ", ")) can only be used with --model")
            }
        }
    }
}

extension InitCommand {
    /// `--act` only matters to schemes that read the network's activation (gain=exact, eoc,
    /// maxout, …): when the same draw without it gives the same tensor, the option was ignored,
    /// so it is refused rather than accepted silently.
    func rejectUnusedActivation(_ request: TensorInitialization, drew tensor: Tensor) throws {
        guard let act = activation.act else { return }
        var without = request
        without.activation = nil
        guard let (other, _) = try? without.run(), other.shape == tensor.shape, other.scalars == tensor.scalars else { return }
        throw InitiumError.invalidArgument("--act \(act) has no effect on \(request.scheme.description); only schemes that need the network's activation (gain=exact, eoc, maxout, …) read it")
    }
}

/// The JSON line of `initium init --model`.
struct ModelInitReport: Encodable {
    var scheme: String
    var model: String
    var activation: String
    var seconds: Double
    var layers: [InitializationLog.Entry]
}

/// The JSON line of `initium init`.
struct InitReport: Encodable {
    var scheme: String
    var shape: [Int]
    var fanIn: Int
    var fanOut: Int
    var summary: WeightSummary

    enum CodingKeys: String, CodingKey { case scheme, shape, fanIn = "fan_in", fanOut = "fan_out", mean, std, min, max }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(scheme, forKey: .scheme)
        try c.encode(shape, forKey: .shape)
        try c.encode(fanIn, forKey: .fanIn)
        try c.encode(fanOut, forKey: .fanOut)
        try c.encode(summary.mean, forKey: .mean)
        try c.encode(summary.std, forKey: .std)
        try c.encode(summary.min, forKey: .min)
        try c.encode(summary.max, forKey: .max)
    }
}
