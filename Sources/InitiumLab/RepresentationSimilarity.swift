import Foundation
import InitiumCore
import InitiumInit
import InitiumProbe

/// CKA between the layers of two initializations of the same architecture on the same batch:
/// for every weighted layer, linear CKA, RBF CKA (bandwidth 0.8 × median distance) and minibatch
/// linear CKA (batches of 64 when the batch allows).
public struct RepresentationSimilarity: Sendable {
    /// Model, activation, first scheme, data, seed.
    public var setup: TrainingRun
    /// The second scheme.
    public var otherScheme: Scheme
    /// Examples compared.
    public var batchSize: Int

    /// A comparison.
    public init(setup: TrainingRun, otherScheme: Scheme, batchSize: Int = 256) {
        self.setup = setup
        self.otherScheme = otherScheme
        self.batchSize = batchSize
    }

    /// CKA values of one layer.
    public struct Row: Sendable, Codable {
        /// The layer path.
        public var layer: String
        /// Linear, RBF and minibatch CKA.
        public var linear: Double, rbf: Double, minibatch: Double?
    }

    /// Computes CKA layer by layer (same path in both networks).
    public func run() throws -> [Row] {
        let (train, _) = try setup.loadData()
        var other = setup
        other.scheme = otherScheme
        let a = try setup.makeModel(for: train).model
        let b = try other.makeModel(for: train).model
        let inputs = train.randomBatch(batchSize, key: setup.key.fold("cka")).inputs
        let traceA = try LayerTracer.trace(a, inputs: inputs, objective: .none).layers
        let traceB = try LayerTracer.trace(b, inputs: inputs, objective: .none).layers
        let n = inputs.shape[0]
        let chunk = 64
        return try zip(traceA, traceB).map { x, y in
            var pairs: [(Tensor, Tensor)] = []
            if n >= 2 * chunk {
                for start in stride(from: 0, to: n - chunk + 1, by: chunk) {
                    pairs.append((try x.output.slice(axis: 0, start..<(start + chunk)), try y.output.slice(axis: 0, start..<(start + chunk))))
                }
            }
            return Row(layer: x.path, linear: try CKA.linear(x.output, y.output), rbf: try CKA.rbf(x.output, y.output),
                       minibatch: pairs.isEmpty ? nil : try CKA.minibatch(pairs))
        }
    }
}
