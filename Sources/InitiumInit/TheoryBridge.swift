import InitiumNN
import InitiumTheory

/// The mean-field quantities initializers take from InitiumTheory, in terms of the engine's
/// ``InitiumNN/Activation``. The only file of InitiumInit that imports InitiumTheory (whose
/// `Activation` is the theory's own description of φ), so the two types never meet elsewhere;
/// other modules translate through ``InitiumNN/Activation/theoryActivation()``.
enum TheoryBridge {
    /// One integrator for every computation here (its Gauss–Hermite rules are built once).
    private static let integrator = GaussianIntegrator()

    /// The theory's description of an engine activation (same names and parameters; `swish` and
    /// `linear` are the engine's aliases of `silu` and `identity`).
    static func theoryActivation(_ activation: InitiumNN.Activation) throws -> InitiumTheory.Activation {
        let aliases = ["swish": "silu", "linear": "identity"]
        let name = aliases[activation.spec.name] ?? activation.spec.name
        guard let family = ActivationFamily(rawValue: name) else {
            throw InitiumError.invalidArgument("the theory module does not know the activation \(activation)")
        }
        var parameters: [String: Double] = [:]
        for argument in activation.spec.arguments {
            let key = argument.key
            guard let value = Double(argument.value) else {
                throw InitiumError.invalidArgument("activation \(activation): '\(argument.value)' is not a number")
            }
            parameters[key] = value
        }
        return try translate { try InitiumTheory.Activation(family, parameters: parameters) }
    }

    /// The forward second-moment gain 1/√E[φ(Z)²], Z ~ N(0, 1).
    static func forwardGain(_ activation: InitiumNN.Activation) throws -> Double {
        let phi = try theoryActivation(activation)
        return try translate { try Gains(activation: phi, integrator: integrator).forward }
    }

    /// σ_w² and σ_b² on the edge of chaos for bias variance σ_b² (χ₁ = 1 at the fixed point q*).
    static func criticalPoint(_ activation: InitiumNN.Activation, biasVariance: Double) throws -> (weightVariance: Double, biasVariance: Double, fixedPoint: Double?) {
        let phi = try theoryActivation(activation)
        let point = try translate { try EdgeOfChaos.criticalPoint(for: phi, biasVariance: biasVariance, integrator: integrator) }
        return (point.weightVariance, point.biasVariance, point.fixedPointVariance)
    }

    /// Whether φ is positively homogeneous (ReLU-like), so its only critical bias variance is 0.
    static func isScaleFree(_ activation: InitiumNN.Activation) throws -> Bool {
        try theoryActivation(activation).isPositivelyHomogeneous
    }

    /// c(k) = 1/E[(max of k standard normals)²] (Tseran & Montúfar, ICLR 2023).
    static func maxoutFactor(pieces k: Int) throws -> Double {
        try translate { try Maxout.weightVarianceFactor(pieces: k, integrator: integrator) }
    }

    /// Runs a theory computation, turning its errors into ``InitiumError/invalidArgument(_:)``
    /// (they are all caused by parameters a user chose).
    private static func translate<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TheoryError {
            throw InitiumError.invalidArgument(error.description)
        }
    }
}

extension InitiumNN.Activation {
    /// The theory's description of this activation (``TheoryBridge/theoryActivation(_:)``):
    /// the same name and parameters, with the engine's aliases `swish` and `linear` resolved.
    /// Throws for activations the theory does not cover (e.g. `maxout`).
    public func theoryActivation() throws -> InitiumTheory.Activation {
        try TheoryBridge.theoryActivation(self)
    }
}
