import InitiumCore

extension DatasetFamily {
    /// `blobs(n=1000,classes=3,dim=2,spread=1)`: isotropic Gaussian clusters around centres drawn
    /// from N(0, 4²·I) (the scikit-learn `make_blobs` setting); example i has class i mod `classes`.
    /// The test split is one fifth the training size.
    public static let blobs = DatasetFamily(
        name: "blobs", keys: ["n", "classes", "dim", "spread"], syntax: "blobs(n=1000,classes=3,dim=2,spread=1)",
        summary: "isotropic Gaussian clusters (scikit-learn's make_blobs), synthetic",
        signature: { parameters in
            let p = try blobParameters(parameters)
            return DataSignature(exampleShape: [p.dim], classCount: p.classes)
        }
    ) { parameters, source in
        let (n, classes, dim, spread) = try blobParameters(parameters)
        let key = source.key
        let centres = try Tensor.normal([classes, dim], std: 4, key: key.fold("centres"))
        func split(_ count: Int, _ name: String) throws -> Dataset {
            let labels = (0..<count).map { Int32($0 % classes) }
            let noise = try Tensor.normal([count, dim], std: spread, key: key.fold(name))
            let x = try centres.indexSelect(axis: 0, labels.map(Int.init)) + noise
            return try Dataset(inputs: x.detached(), labels: labels, classCount: classes, name: parameters.description)
        }
        return DatasetSplits(train: try split(n, "train"), test: try split(max(n / 5, 1), "test"))
    }

    /// `blobs(...)`'s parameters with their defaults, validated.
    private static func blobParameters(_ p: DatasetParameters) throws -> (n: Int, classes: Int, dim: Int, spread: Float) {
        let n = try p.integer("n", default: 1000)
        let classes = try p.integer("classes", default: 3)
        let dim = try p.integer("dim", default: 2)
        let spread = Float(try p.number("spread", default: 1))
        guard n > 0, classes > 1, dim > 0, spread > 0 else { throw p.invalid("needs n > 0, classes > 1, dim > 0, spread > 0") }
        return (n, classes, dim, spread)
    }
}
