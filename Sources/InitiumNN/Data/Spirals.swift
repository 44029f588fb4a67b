import Foundation
import InitiumCore

extension DatasetFamily {
    /// `spirals(n=1000,classes=2,noise=0.2)`: interleaved planar spirals, one arm per class
    /// (example i has class i mod `classes`). The test split is one fifth the training size.
    public static let spirals = DatasetFamily(
        name: "spirals", keys: ["n", "classes", "noise"], syntax: "spirals(n=1000,classes=2,noise=0.2)",
        summary: "interleaved planar spirals, one arm per class, synthetic",
        signature: { DataSignature(exampleShape: [2], classCount: try spiralParameters($0).classes) }
    ) { parameters, source in
        let (n, classes, noise) = try spiralParameters(parameters)
        let key = source.key
        func split(_ count: Int, _ name: String) throws -> Dataset {
            let u = try Tensor.uniform([count], key: key.fold(name + ".radius"))
            let jitter = try Tensor.normal([count, 2], std: noise, key: key.fold(name + ".noise"))
            var values = [Float](repeating: 0, count: count * 2)
            let labels = (0..<count).map { Int32($0 % classes) }
            for i in 0..<count {
                let r = u[flat: i]
                let angle = 3 * Float.pi * r + 2 * Float.pi * Float(labels[i]) / Float(classes)
                values[2 * i] = 2 * r * cosf(angle) + jitter[flat: 2 * i]
                values[2 * i + 1] = 2 * r * sinf(angle) + jitter[flat: 2 * i + 1]
            }
            return try Dataset(
                inputs: Tensor(shape: [count, 2], scalars: values), labels: labels, classCount: classes, name: parameters.description)
        }
        return DatasetSplits(train: try split(n, "train"), test: try split(max(n / 5, 1), "test"))
    }

    /// `spirals(...)`'s parameters with their defaults, validated.
    private static func spiralParameters(_ p: DatasetParameters) throws -> (n: Int, classes: Int, noise: Float) {
        let n = try p.integer("n", default: 1000)
        let classes = try p.integer("classes", default: 2)
        let noise = Float(try p.number("noise", default: 0.2))
        guard n > 0, classes > 1, noise >= 0 else { throw p.invalid("needs n > 0, classes > 1, noise ≥ 0") }
        return (n, classes, noise)
    }
}
