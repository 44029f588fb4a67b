/// The defaults of each family of commands, stated once. The option groups take a family as a
/// type parameter (`NetworkOptions<PruningDefaults>`), so `--help` shows each command's own
/// default and no command writes a default value of its own.
///
/// | family                | commands                                   | `--model`              | `--act`        | `--lr` | `--schedule` |
/// |-----------------------|--------------------------------------------|------------------------|----------------|--------|--------------|
/// | ``TrainingDefaults``    | train                                      | mlp:784-1024-1024-10   | relu           | 0.05   | cosine       |
/// | ``ComparisonDefaults``  | compare                                    | mlp:784-256x50-10      | tanh           | 0.01   | cosine       |
/// | ``PruningDefaults``     | prune, lottery, supermask                  | mlp:784-1024-1024-10   | relu           | 0.05   | constant     |
/// | ``MeasurementDefaults`` | inspect, cka, proxies, bench train, init --model | mlp:784-1024-1024-10 | relu       | —      | —            |
/// | ``MeanFieldDefaults``   | theory map, eoc, phase, simulate           | —                      | tanh           | —      | —            |
/// | ``GainDefaults``        | theory gain                                | —                      | relu           | —      | —            |
/// | ``SparseActivationDefaults`` | theory sparse                         | —                      | clipped-relu   | —      | —            |
protocol ActivationDefault {
    /// The activation when `--act` is not given.
    static var activation: String { get }
    /// The activations `--act`'s help offers as examples (or, for a command that takes only a
    /// few, as the choices).
    static var activationExamples: String { get }
}

/// A command family's `--model` and `--act` defaults.
protocol ModelDefaults: ActivationDefault {
    /// The model spec when `--model` is not given.
    static var model: String { get }
}

/// A command family's `--lr` and `--schedule` defaults.
protocol OptimizationDefaults {
    /// The learning rate when `--lr` is not given.
    static var learningRate: Float { get }
    /// The learning-rate schedule when `--schedule` is not given.
    static var schedule: String { get }
}

extension ActivationDefault {
    /// ReLU, unless a family says otherwise.
    static var activation: String { "relu" }
    /// A few of the catalog's activations, with the parameter syntax.
    static var activationExamples: String { "e.g. relu, tanh, gelu, leaky-relu(slope=0.2), sine(omega=30), clipped-relu(tau=1.04,m=1)" }
}

extension ModelDefaults {
    /// A two-hidden-layer MLP for Fashion-MNIST, unless a family says otherwise.
    static var model: String { "mlp:784-1024-1024-10" }
}

extension OptimizationDefaults {
    /// 0.05, unless a family says otherwise.
    static var learningRate: Float { 0.05 }
    /// A constant rate, unless a family says otherwise.
    static var schedule: String { "constant" }
}

/// `train`: cosine annealing over the run.
enum TrainingDefaults: ModelDefaults, OptimizationDefaults {
    static var schedule: String { "cosine" }
}

/// `compare`: the 50-layer tanh MLP where initializations differ most (the demo's study), with
/// the smaller rate such a deep network needs.
enum ComparisonDefaults: ModelDefaults, OptimizationDefaults {
    static var model: String { "mlp:784-256x50-10" }
    static var activation: String { "tanh" }
    static var learningRate: Float { 0.01 }
    static var schedule: String { "cosine" }
}

/// `prune`, `lottery`, `supermask`: a constant rate, as their papers' recipes use.
enum PruningDefaults: ModelDefaults, OptimizationDefaults {}

/// Commands that measure a network at initialization without training it: `inspect`, `cka`,
/// `proxies`, `bench train`, and `init --model`.
enum MeasurementDefaults: ModelDefaults {}

/// `theory map`, `eoc`, `phase`, `simulate`: tanh, the classic network with an order-to-chaos transition.
enum MeanFieldDefaults: ActivationDefault {
    static var activation: String { "tanh" }
}

/// `theory gain`: ReLU, whose gain √2 is the familiar reference.
enum GainDefaults: ActivationDefault {}

/// `theory sparse`: a clipped ReLU (the command takes only sparsity-inducing activations).
enum SparseActivationDefaults: ActivationDefault {
    static var activation: String { "clipped-relu" }
    static var activationExamples: String { "shifted-relu, soft-threshold, clipped-relu or clipped-soft-threshold" }
}
