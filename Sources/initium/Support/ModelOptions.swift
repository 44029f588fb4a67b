import ArgumentParser
import InitiumInit
import InitiumNN
import InitiumTheory

/// The model list `--model` offers in `--help`: the registered families (``ModelFamily/optionHelp``).
let modelSpecHelp = ModelFamily.optionHelp

/// `--act`: the network's hidden activation, defaulting to the command family's
/// (``ActivationDefault/activation``).
struct ActivationOption<Defaults: ActivationDefault>: ParsableArguments {
    @Option(help: ArgumentHelp("Activation: \(Defaults.activationExamples)."))
    var act: String = Defaults.activation

    /// The activation as the engine's layer.
    func engineActivation() throws -> InitiumNN.Activation { try InitiumNN.Activation(act) }

    /// The activation as mean-field theory's function.
    func theoryActivation() throws -> MeanFieldActivation { try MeanFieldActivation(parsing: act) }
}

/// `--act` where a missing activation means "none" (`init` and `bench init` draw single tensors,
/// and only some schemes need the network's activation).
struct OptionalActivationOption: ParsableArguments {
    @Option(help: "The network's activation, for schemes that need one (gain=exact, eoc, maxout, …).")
    var act: String?

    /// The activation, if given.
    func engineActivation() throws -> InitiumNN.Activation? { try act.map { try InitiumNN.Activation($0) } }

    /// The activation, or `name` when none is given.
    func engineActivation(defaultingTo name: String) throws -> InitiumNN.Activation { try InitiumNN.Activation(act ?? name) }
}

/// `--model` and `--act`, with the command family's defaults.
struct ModelOptions<Defaults: ModelDefaults>: ParsableArguments {
    @Option(help: ArgumentHelp(modelSpecHelp))
    var model: String = Defaults.model

    @OptionGroup var activation: ActivationOption<Defaults>

    /// The hidden activation as typed.
    var act: String { activation.act }

    /// The parsed model spec.
    func modelSpec() throws -> ModelSpec { try ModelSpec(model) }
}

/// `--model`, `--act` and `--init`: the initialized network the training, pruning and measuring
/// commands start from.
struct NetworkOptions<Defaults: ModelDefaults>: ParsableArguments {
    @OptionGroup var architecture: ModelOptions<Defaults>

    @Option(name: .customLong("init"), help: "Initialization scheme, e.g. torch-default, he-normal, glorot-uniform(gain=1).")
    var initialization = "torch-default"

    /// The model spec as typed.
    var model: String { architecture.model }
    /// The hidden activation as typed.
    var act: String { architecture.act }
}
