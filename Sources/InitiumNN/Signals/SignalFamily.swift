import InitiumCore

/// A family of signals of one shape, the tasks of a meta-learned initialization (Tancik et al.,
/// "Learned Initializations for Optimizing Coordinate-Based Neural Representations", CVPR 2021):
/// one network is meta-trained over many members so that it fits an unseen member in a few steps.
///
/// The meta-training members and the held-out members come from disjoint sources (for
/// Fashion-MNIST, the `train` and `t10k` files), so no held-out image is ever seen in meta-training.
public struct SignalFamily: Sendable {
    /// The family's name (`fashion-mnist`).
    public let name: String
    /// Where the members come from (`fashion-mnist train[0..<1000]`), for reports.
    public let source: String
    /// The members, all of one grid and channel count.
    public let signals: [Signal]

    /// A family; throws unless it has a member and all members share one grid and channel count.
    public init(name: String, source: String, signals: [Signal]) throws {
        guard let first = signals.first else {
            throw InitiumError.invalidArgument("the signal family \(name) has no members (\(source))")
        }
        guard signals.allSatisfy({ $0.grid == first.grid && $0.channels == first.channels }) else {
            throw InitiumError.invalidArgument("the members of the signal family \(name) differ in grid or channels")
        }
        self.name = name
        self.source = source
        self.signals = signals
    }

    /// The grid every member shares.
    public var grid: [Int] { signals[0].grid }
    /// The channels every member has.
    public var channels: Int { signals[0].channels }

    /// The families `initium meta-init --family` accepts.
    public static let names = ["fashion-mnist"]

    /// Which part of a family: the meta-training members or the held-out ones.
    public enum Part: String, Sendable {
        /// Members for meta-training (Fashion-MNIST's `train` file).
        case training
        /// Members never seen in meta-training (Fashion-MNIST's `t10k` file).
        case heldOut = "held-out"
    }

    /// `count` members of the family `name` from `part`, starting at `offset`; throws naming the
    /// family list for an unknown name, and when the part has fewer members.
    public static func named(_ name: String, part: Part, offset: Int = 0, count: Int, directory: String? = nil) throws -> SignalFamily {
        switch name.lowercased() {
        case "fashion-mnist":
            let split: FashionMNIST.Split = part == .training ? .train : .test
            let dataset = try FashionMNIST.load(split: split, directory: FashionMNIST.directory(explicit: directory))
            return try images(of: dataset, range: offset..<(offset + count), name: "fashion-mnist", source: "fashion-mnist \(split.rawValue)")
        default:
            throw InitiumError.invalidArgument("unknown signal family '\(name)'; choose " + names.joined(separator: ", "))
        }
    }

    /// The images `range` of `dataset` (`[n, channels, height, width]`, pixels p in [0, 1]) as
    /// signals on the grid `[height, width]` with values 2p − 1 in [−1, 1] (SIREN's
    /// `Normalize(0.5, 0.5)`, as ``SignalFile`` scales PNGs).
    public static func images(of dataset: Dataset, range: Range<Int>, name: String, source: String) throws -> SignalFamily {
        let shape = dataset.exampleShape
        guard shape.count == 3 else {
            throw InitiumError.invalidArgument("\(name) examples have shape \(shape), not [channels, height, width]")
        }
        guard range.lowerBound >= 0, !range.isEmpty, range.upperBound <= dataset.count else {
            throw InitiumError.invalidArgument(
                "\(source) has \(dataset.count) images; members \(range.lowerBound)..<\(range.upperBound) are out of range")
        }
        let (c, h, w) = (shape[0], shape[1], shape[2])
        let perImage = c * h * w
        let signals = try dataset.inputs.withUnsafeBufferPointer { pixels in
            try range.map { index -> Signal in
                var values = Tensor(uninitializedShape: [h * w, c])
                values.withUnsafeMutableBufferPointer { out in
                    let base = index * perImage
                    for channel in 0..<c {
                        for point in 0..<(h * w) { out[point * c + channel] = 2 * pixels[base + channel * h * w + point] - 1 }
                    }
                }
                return try Signal(grid: [h, w], channels: c, values: values)
            }
        }
        return try SignalFamily(name: name, source: "\(source)[\(range.lowerBound)..<\(range.upperBound)]", signals: signals)
    }
}
