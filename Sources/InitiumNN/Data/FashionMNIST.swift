import Foundation
import InitiumCore

/// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017): 60,000 training and 10,000 test grayscale
/// 28×28 images of 10 clothing classes, read from the IDX files of Debian's
/// `dataset-fashion-mnist` package. Pixels are scaled to [0, 1]; inputs are `[n, 1, 28, 28]`.
public enum FashionMNIST {
    /// Where Debian installs the dataset.
    public static let defaultDirectory = "/usr/share/datasets/fashion-mnist"
    /// One example is a `[1, 28, 28]` image of one of 10 classes.
    public static let signature = DataSignature(exampleShape: [1, 28, 28], classCount: 10)
    /// Mean and standard deviation (population) of the training pixels after scaling to [0, 1],
    /// rounded to Float (0.2860405970… and 0.3530242445… by `scripts/fashion_mnist_moments.py`).
    public static let trainingPixelMoments: (mean: Float, std: Float) = (0.286_040_597, 0.353_024_245)

    /// The directory to read: an explicit one, else `$INITIUM_DATA`, else ``defaultDirectory``.
    public static func directory(explicit: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let fromEnvironment = environment["INITIUM_DATA"], !fromEnvironment.isEmpty { return fromEnvironment }
        return defaultDirectory
    }

    /// Loads one split (`train` or `t10k`) from `directory`.
    public static func load(split: Split, directory: String) throws -> Dataset {
        let imagesPath = try locate("\(split.rawValue)-images-idx3-ubyte", in: directory)
        let labelsPath = try locate("\(split.rawValue)-labels-idx1-ubyte", in: directory)
        let images = try IDXFile(path: imagesPath)
        let labels = try IDXFile(path: labelsPath)
        let imageShape = Array(signature.exampleShape.dropFirst())
        guard images.shape.count == 3, Array(images.shape.dropFirst()) == imageShape else {
            throw InitiumError.file(
                path: imagesPath,
                problem: "expected images of shape [n, \(imageShape.map(String.init).joined(separator: ", "))], found \(images.shape)")
        }
        guard labels.shape == [images.shape[0]] else {
            throw InitiumError.file(
                path: labelsPath, problem: "\(labels.shape) labels do not match \(images.shape[0]) images in \(imagesPath)")
        }
        let pixels = try Tensor(shape: [images.shape[0]] + signature.exampleShape, scalars: images.values).mapped { $0 / 255 }
        let classCount = signature.classCount
        let classes = try labels.values.map { v -> Int32 in
            guard v >= 0, v < Float(classCount), v == v.rounded() else {
                throw InitiumError.file(path: labelsPath, problem: "label \(v) is not a class index 0…\(classCount - 1)")
            }
            return Int32(v)
        }
        return try Dataset(inputs: pixels, labels: classes, classCount: classCount, name: "fashion-mnist")
    }

    /// A dataset split as named by the IDX files.
    public enum Split: String, Sendable {
        /// The 60,000 training images.
        case train
        /// The 10,000 test images.
        case test = "t10k"
    }

    private static func locate(_ base: String, in directory: String) throws -> String {
        for candidate in [base + ".gz", base] {
            let path = (directory as NSString).appendingPathComponent(candidate)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw InitiumError.missingDataset(
            name: "fashion-mnist", path: (directory as NSString).appendingPathComponent(base + ".gz"),
            hint: "install Debian's dataset-fashion-mnist package (sudo apt-get install dataset-fashion-mnist, or make demo) "
                + "or point `directory` / INITIUM_DATA at a folder with the four IDX files")
    }
}

extension DatasetFamily {
    /// `fashion-mnist`: the 60,000 training and 10,000 test images.
    public static let fashionMNIST = DatasetFamily(
        name: "fashion-mnist", keys: [], syntax: "fashion-mnist",
        summary: "Fashion-MNIST, 60,000 training and 10,000 test 28×28 images of 10 classes (Debian's dataset-fashion-mnist)",
        readsDirectory: true, signature: { _ in FashionMNIST.signature }
    ) { _, source in
        let directory = FashionMNIST.directory(explicit: source.directory)
        return DatasetSplits(
            train: try FashionMNIST.load(split: .train, directory: directory), test: try FashionMNIST.load(split: .test, directory: directory))
    }
}
