import InitiumCore

extension DatasetFamily {
    /// `teacher(n=1000,dim=20,classes=4,width=32,act=tanh)`: Gaussian inputs labelled by the argmax
    /// of a random one-hidden-layer teacher network (He-normal weights), a task a student can learn
    /// exactly. The test split is one fifth the training size.
    public static let teacher = DatasetFamily(
        name: "teacher", keys: ["n", "dim", "classes", "width", "act"], syntax: "teacher(n=1000,dim=20,classes=4,width=32,act=tanh)",
        summary: "Gaussian inputs labelled by a random one-hidden-layer teacher network, synthetic",
        signature: { parameters in
            let p = try teacherParameters(parameters)
            return DataSignature(exampleShape: [p.dim], classCount: p.classes)
        }
    ) { parameters, source in
        let (n, dim, classes, width, activation) = try teacherParameters(parameters)
        let key = source.key
        let w1 = try Tensor.normal([width, dim], std: (2 / Float(dim)).squareRoot(), key: key.fold("teacher.0"))
        let w2 = try Tensor.normal([classes, width], std: (2 / Float(width)).squareRoot(), key: key.fold("teacher.1"))
        func split(_ count: Int, _ name: String) throws -> Dataset {
            let x = try Tensor.normal([count, dim], key: key.fold(name))
            let hidden = try activation.apply(Tensor.affine(x, weight: w1, bias: nil))
            let logits = try Tensor.affine(hidden, weight: w2, bias: nil)
            let labels = try logits.argmax(axis: 1).map(Int32.init)
            return try Dataset(inputs: x, labels: labels, classCount: classes, name: parameters.description)
        }
        return DatasetSplits(train: try split(n, "train"), test: try split(max(n / 5, 1), "test"))
    }

    /// `teacher(...)`'s parameters with their defaults, validated.
    private static func teacherParameters(_ p: DatasetParameters) throws -> (
        n: Int, dim: Int, classes: Int, width: Int, activation: Activation
    ) {
        let n = try p.integer("n", default: 1000)
        let dim = try p.integer("dim", default: 20)
        let classes = try p.integer("classes", default: 4)
        let width = try p.integer("width", default: 32)
        let activation = try Activation(p.spec.value("act") ?? "tanh")
        guard n > 0, dim > 0, classes > 1, width > 0 else { throw p.invalid("needs n, dim, width > 0 and classes > 1") }
        return (n, dim, classes, width, activation)
    }
}
