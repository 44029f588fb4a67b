import InitiumCore

/// A large reference tensor (a gradient, a per-weight score) stored by the fixture scripts as a
/// summary: every `stride`-th entry, its projection on the hash vector h (``HashRule`` with offset
/// 0, scale 1 and this salt) over all entries, and its norm.
public struct SampledReference: Decodable, Sendable {
    /// The tensor's name in the fixture, if any.
    public let name: String?
    /// The step between stored entries.
    public let stride: Int
    /// Entries 0, stride, 2·stride, ….
    public let entries: [Double]
    /// ⟨t, h⟩ over all entries.
    public let projection: Double
    /// ‖t‖.
    public let norm: Double
    /// The salt of h.
    public let salt: UInt32

    /// The worst of three relative errors of `ours` (s) against the reference t: over the stored
    /// entries |sᵢ − tᵢ| / max|t|; on the projection |⟨s − t, h⟩| / (‖t‖·‖h‖), which by
    /// Cauchy–Schwarz is at most ‖s − t‖/‖t‖ and so sees errors in entries that are not stored;
    /// and on the norm |‖s‖ − ‖t‖| / ‖t‖. Infinite when the entry count does not match.
    public func relativeError(of ours: Tensor) -> Double {
        ours.withUnsafeBufferPointer { s in
            var entryError = 0.0, projected = 0.0, hSquares = 0.0, squares = 0.0
            for i in s.indices {
                let si = Double(s[i])
                let h = HashRule.value(i, salt: salt, offset: 0, scale: 1)
                projected += si * h
                hSquares += h * h
                squares += si * si
                if i % stride == 0 {
                    let k = i / stride
                    entryError = max(entryError, k < entries.count ? abs(si - entries[k]) : .infinity)
                }
            }
            guard (s.count + stride - 1) / stride == entries.count else { return .infinity }
            let scale = max(entries.map(abs).max() ?? 0, .leastNormalMagnitude)
            let normScale = max(norm, .leastNormalMagnitude)
            return max(
                entryError / scale, abs(projected - projection) / (normScale * hSquares.squareRoot()),
                abs(squares.squareRoot() - norm) / normScale)
        }
    }
}

/// The Initium path of a PyTorch state_dict name in the fixture scripts' reference networks:
/// plain networks (`nn.Sequential`s: the MLPs, lenet5, conv2/4/6, vgg11) list their weighted
/// modules in Initium's order (`torchModules[i]` ↔ `weightedPaths[i]`); `torch_train_bench.py`'s
/// ResNet-20 numbers its modules (0 stem conv, 1 stem norm, 3… blocks, 14 classifier) with block
/// attributes c1, b1, c2, b2, short.0, short.1; the scripts' Fixup ResNets already use Initium's paths.
public func initiumPath(ofTorchName torchName: String, model: String, weightedPaths: [String], torchModules: [String]) -> String {
    let parts = torchName.split(separator: ".").map(String.init)
    switch model {
    case "resnet20":
        let index = Int(parts[0])!
        if index == 0 { return "stem.conv." + parts[1] }
        if index == 1 { return "stem.norm." + parts[1] }
        if index == 14 { return "classifier." + parts[1] }
        let block = index - 3
        let prefix = "stages.\(block / 3).blocks.\(block % 3)."
        let names = ["c1": "conv1", "b1": "norm1", "c2": "conv2", "b2": "norm2"]
        if parts[1] == "short" { return prefix + (parts[2] == "0" ? "shortcut.conv." : "shortcut.norm.") + parts[3] }
        return prefix + names[parts[1]]! + "." + parts[2]
    case "resnet20-nonorm", "resnet8-nonorm":
        return torchName
    default:
        return weightedPaths[torchModules.firstIndex(of: parts[0])!] + "." + parts[1]
    }
}
