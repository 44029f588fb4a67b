import Foundation
import InitiumCore
import InitiumNN
import InitiumTheory

/// Checks the mean-field maps against a real random network: pairs of inputs with a chosen
/// kernel (q₀, c₀) are propagated through `depth` fully connected layers of width N,
/// h^{l+1} = W^l φ(h^l) + b^l with W ~ N(0, σ_w²/N), b ~ N(0, σ_b²), and the measured per-layer
/// second moment q_l (averaged over all inputs and units) and correlation c_l (averaged over the
/// pairs) are compared with the maps' trajectory from the measured (q₀, c₀) (Poole et al. 2016).
///
/// In one network every layer's q_l fluctuates by about √(2/N) around the map, and the fluctuation
/// is shared by all inputs once their correlation approaches 1 (as it does at and below the edge
/// of chaos), so averaging over inputs does not remove it; it then carries from layer to layer,
/// damped by the map's slope V′(q*), to about √(2/N)/√(1 − V′²). Measurements are therefore
/// averaged over `networks` independent weight draws, which divides that spread by √networks.
public struct MeanFieldSimulation: Sendable {
    /// The activation between layers.
    public var activation: InitiumNN.Activation
    /// σ_w² and σ_b².
    public var weightVariance: Double, biasVariance: Double
    /// Width N and number of layers.
    public var width: Int, depth: Int
    /// Number of input pairs, and the inputs' second moment and correlation.
    public var pairs: Int, inputVariance: Double, inputCorrelation: Double
    /// Independent networks whose measurements are averaged.
    public var networks: Int

    /// A simulation.
    public init(
        activation: InitiumNN.Activation, weightVariance: Double, biasVariance: Double, width: Int = 1000, depth: Int = 50,
        pairs: Int = 8, inputVariance: Double = 1, inputCorrelation: Double = 0.5, networks: Int = 32
    ) {
        self.networks = networks
        self.activation = activation
        self.weightVariance = weightVariance
        self.biasVariance = biasVariance
        self.width = width
        self.depth = depth
        self.pairs = pairs
        self.inputVariance = inputVariance
        self.inputCorrelation = inputCorrelation
    }

    /// One layer: predicted and measured q and c.
    public struct Layer: Sendable, Codable {
        /// The layer index (0 = the inputs).
        public var layer: Int
        /// Predicted and measured second moment, and their relative difference.
        public var predictedQ: Double, measuredQ: Double, relativeError: Double
        /// Predicted and measured correlation of the pairs.
        public var predictedC: Double, measuredC: Double

        enum CodingKeys: String, CodingKey {
            case layer, predictedQ = "predicted_q", measuredQ = "measured_q", relativeError = "relative_error"
            case predictedC = "predicted_c", measuredC = "measured_c"
        }
    }

    /// Runs the simulation with weights drawn from `key`.
    public func run(key: RandomKey, progress: ((Int) -> Void)? = nil) throws -> [Layer] {
        guard width >= 2, depth >= 1, pairs >= 1 else {
            throw InitiumError.invalidArgument("simulate needs width ≥ 2, depth ≥ 1 and at least one input pair")
        }
        guard weightVariance >= 0, biasVariance >= 0, inputVariance > 0, abs(inputCorrelation) <= 1 else {
            throw InitiumError.invalidArgument("simulate needs σ_w², σ_b² ≥ 0, q₀ > 0 and |c₀| ≤ 1")
        }
        guard let function = activation.function else {
            throw InitiumError.invalidArgument("simulate needs an elementwise activation, not \(activation)")
        }
        guard networks >= 1 else { throw InitiumError.invalidArgument("simulate needs at least one network") }
        let theoryActivation = MeanFieldActivation(activation.spec)
        var measured = [(q1: Double, q2: Double, c: Double)](repeating: (0, 0, 0), count: depth + 1)
        for network in 0..<networks {
            let trace = try propagate(function: function, key: key.fold("network.\(network)"))
            for (l, m) in trace.enumerated() {
                measured[l].q1 += m.q1 / Double(networks)
                measured[l].q2 += m.q2 / Double(networks)
                measured[l].c += m.c / Double(networks)
            }
            progress?(network + 1)
        }
        let first = measured[0]
        let predicted = try SignalPropagation.trajectory(
            activation: theoryActivation, weightVariance: weightVariance, biasVariance: biasVariance,
            from: .init(q1: first.q1, q2: first.q2, c: first.c), layers: depth)
        return zip(predicted, measured).enumerated().map { l, pair in
            let (p, m) = pair
            let pq = (p.q1 + p.q2) / 2, mq = (m.q1 + m.q2) / 2
            return Layer(layer: l, predictedQ: pq, measuredQ: mq, relativeError: abs(mq - pq) / max(pq, 1e-300),
                         predictedC: p.c, measuredC: m.c)
        }
    }

    /// The measured kernel at the inputs and after each layer of one random network.
    private func propagate(function: PointwiseFunction, key: RandomKey) throws -> [(q1: Double, q2: Double, c: Double)] {
        let n = width
        let z1 = try Tensor.normal([pairs, n], key: key.fold("inputs.1"))
        let z2 = try Tensor.normal([pairs, n], key: key.fold("inputs.2"))
        let (q0, c0) = (Float(inputVariance), Float(inputCorrelation))
        let x1 = z1 * q0.squareRoot()
        let x2 = try (z1 * c0 + z2 * (1 - c0 * c0).squareRoot()) * q0.squareRoot()
        var h = try Tensor.concatenate([x1, x2], axis: 0)
        var measured = [try measure(h)]
        for l in 0..<depth {
            let w = try Tensor.normal([n, n], std: Float((weightVariance / Double(n)).squareRoot()), key: key.fold("layers.\(l).weight"))
            let b = try Tensor.normal([n], std: Float(biasVariance.squareRoot()), key: key.fold("layers.\(l).bias"))
            h = try Tensor.affine(function.apply(h), weight: w, bias: b)
            measured.append(try measure(h))
        }
        return measured
    }

    /// Mean second moment of the first and second halves (the two members of each pair) and the
    /// mean correlation within pairs.
    private func measure(_ h: Tensor) throws -> (q1: Double, q2: Double, c: Double) {
        let n = width
        return h.withUnsafeBufferPointer { p in
            var s1 = 0.0, s2 = 0.0, correlation = 0.0
            for pair in 0..<pairs {
                var a = 0.0, b = 0.0, ab = 0.0
                for j in 0..<n {
                    let u = Double(p[pair * n + j]), v = Double(p[(pairs + pair) * n + j])
                    a += u * u
                    b += v * v
                    ab += u * v
                }
                s1 += a / Double(n)
                s2 += b / Double(n)
                correlation += ab / max((a * b).squareRoot(), 1e-300)
            }
            return (s1 / Double(pairs), s2 / Double(pairs), correlation / Double(pairs))
        }
    }
}
