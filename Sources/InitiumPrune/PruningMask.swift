import InitiumCore

/// How a target density is shared out among the prunable tensors.
public enum MaskScope: String, Sendable, Codable, CaseIterable {
    /// One threshold over all prunable weights, so layers end at different densities
    /// (open_lth `pruning/sparse_global.py`, Synaptic-Flow `Pruner._global_mask`).
    case global
    /// The same density in every tensor (Synaptic-Flow `Pruner._local_mask`, ShrinkBench `Layer*`).
    case layerwise

    /// Parses `global` or `layerwise`.
    public init(parsing name: String) throws {
        guard let scope = MaskScope(rawValue: name.lowercased()) else {
            throw InitiumError.invalidArgument("unknown scope '\(name)'; choose global or layerwise")
        }
        self = scope
    }
}

/// A pruning mask: one binary tensor (1 keeps, 0 removes) per prunable parameter, by path.
///
/// A mask is a value. ``apply(to:)`` installs it as each ``Parameter/mask`` and zeroes the removed
/// entries; from then on forward passes see exact zeros and optimizers keep them there with no
/// gradient and no momentum (see ``Optimizer``), which is how `torch.nn.utils.prune` behaves
/// (`weight = weight_orig * weight_mask`) without keeping a second copy of the weight.
public struct PruningMask: Sendable, Equatable {
    /// The parameter paths, in the order of ``masks``.
    public let paths: [String]
    /// The binary masks, one per path, of the parameters' shapes.
    public let masks: [Tensor]

    /// A mask from binary tensors; throws if the counts differ or an entry is not 0 or 1.
    public init(paths: [String], masks: [Tensor]) throws {
        guard paths.count == masks.count else {
            throw InitiumError.invalidArgument("a mask needs one tensor per path: \(paths.count) paths, \(masks.count) tensors")
        }
        for (path, mask) in zip(paths, masks) {
            let binary = mask.withUnsafeBufferPointer { $0.allSatisfy { $0 == 0 || $0 == 1 } }
            guard binary else { throw InitiumError.invalidArgument("the mask of \(path) has entries other than 0 and 1") }
        }
        self.paths = paths
        self.masks = masks
    }

    /// The all-ones mask over `weights` (nothing pruned).
    public static func dense(_ weights: [PrunableWeight]) -> PruningMask {
        try! PruningMask(paths: weights.map(\.path), masks: weights.map { Tensor.ones($0.parameter.shape) })
    }

    /// The masks currently installed on `weights` (ones where a parameter has none).
    public static func installed(on weights: [PrunableWeight]) -> PruningMask {
        try! PruningMask(
            paths: weights.map(\.path), masks: weights.map { $0.parameter.mask ?? Tensor.ones($0.parameter.shape) })
    }

    /// The mask of `path`, if it is part of this mask.
    public subscript(path: String) -> Tensor? {
        paths.firstIndex(of: path).map { masks[$0] }
    }

    /// Kept entries per tensor.
    public var remainingCounts: [Int] {
        masks.map { m in m.withUnsafeBufferPointer { p in p.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } } }
    }

    /// Entries per tensor.
    public var totalCounts: [Int] { masks.map(\.count) }

    /// Kept entries over all entries: d = Σ kept / Σ total (the fraction open_lth and
    /// Synaptic-Flow call "density" or, confusingly, "sparsity").
    public var density: Double {
        let total = totalCounts.reduce(0, +)
        return total == 0 ? 1 : Double(remainingCounts.reduce(0, +)) / Double(total)
    }

    /// The kept fraction of each tensor.
    public var densities: [Double] {
        zip(remainingCounts, totalCounts).map { $1 == 0 ? 1 : Double($0) / Double($1) }
    }

    /// Paths whose mask removes every entry: layer collapse (Tanaka et al. 2020), after which the
    /// network's output no longer depends on its input.
    public var collapsedPaths: [String] {
        zip(paths, remainingCounts).filter { $0.1 == 0 }.map(\.0)
    }

    /// Installs the mask on the matching parameters (``Parameter/mask``) and zeroes removed entries.
    public func apply(to weights: [PrunableWeight]) throws {
        for weight in weights {
            guard let mask = self[weight.path] else {
                throw InitiumError.internalFailure("no mask for prunable parameter \(weight.path)")
            }
            guard mask.shape == weight.parameter.shape else {
                throw InitiumError.shapeMismatch(operation: "mask \(weight.path)", lhs: mask.shape, rhs: weight.parameter.shape)
            }
            weight.parameter.mask = mask
            weight.parameter.applyMask()
        }
    }

    /// Removes every mask from `weights` (their values are left as they are).
    public static func remove(from weights: [PrunableWeight]) {
        for weight in weights { weight.parameter.mask = nil }
    }

    /// The same number of kept entries in every tensor, at positions drawn uniformly at random:
    /// the "random pruning at the same layer-wise density" control of open_lth's
    /// `randomly_prune` branch. Tensor *i* is shuffled with `key.fold(path)`.
    public func shuffled(key: RandomKey) -> PruningMask {
        let shuffled = zip(paths, masks).map { path, mask -> Tensor in
            let order = Tensor.permutation(mask.count, key: key.fold(path))
            var out = Tensor.zeros(mask.shape)
            mask.withUnsafeBufferPointer { src in
                out.withUnsafeMutableBufferPointer { dst in
                    for (i, j) in order.enumerated() { dst[j] = src[i] }
                }
            }
            return out
        }
        return try! PruningMask(paths: paths, masks: shuffled)
    }

    /// Keeps the highest-scoring entries: the top `round(d·N)` of each group of N entries, where
    /// a group is all tensors (``MaskScope/global``) or one tensor (``MaskScope/layerwise``).
    ///
    /// Entries already removed by `current` stay removed (they are never candidates), so iterative
    /// pruning only removes. N counts every entry of the group, removed or not, so the result has
    /// density d exactly up to rounding (half an entry per group) unless fewer than d·N entries
    /// remained. Ties at the threshold keep the earlier entries in path and row-major order, so
    /// the count is exact even when scores tie (Synaptic-Flow's `score > kthvalue` can keep fewer).
    ///
    /// - Parameters:
    ///   - scores: one tensor per path, of the mask shapes; larger means more important.
    ///   - density: the kept fraction d ∈ (0, 1].
    ///   - scope: global or layer-wise thresholds.
    ///   - current: the mask to refine (default: nothing removed yet).
    public static func keepingTop(
        _ scores: [Tensor], paths: [String], density: Double, scope: MaskScope, within current: PruningMask? = nil
    ) throws -> PruningMask {
        try Self.validate(density: density)
        guard scores.count == paths.count else {
            throw InitiumError.invalidArgument("one score tensor per prunable parameter: \(scores.count) for \(paths.count)")
        }
        if let current {
            guard current.paths == paths else {
                throw InitiumError.internalFailure("the current mask covers \(current.paths), the scores \(paths)")
            }
            for (s, m) in zip(scores, current.masks) where s.shape != m.shape {
                throw InitiumError.shapeMismatch(operation: "pruning scores", lhs: s.shape, rhs: m.shape)
            }
        }
        for (path, s) in zip(paths, scores) where !s.withUnsafeBufferPointer({ $0.allSatisfy { !$0.isNaN } }) {
            throw InitiumError.invalidArgument("the pruning scores of \(path) contain NaN; the model's output is not finite at initialization")
        }
        /// Calls `body(j, score)` for every entry of tensor `i` that `current` has not removed.
        func visitCandidates(_ i: Int, _ body: (Int, Float) -> Void) {
            scores[i].withUnsafeBufferPointer { s in
                if let mask = current?.masks[i] {
                    mask.withUnsafeBufferPointer { m in
                        for j in s.indices where m[j] != 0 { body(j, s[j]) }
                    }
                } else {
                    for j in s.indices { body(j, s[j]) }
                }
            }
        }
        let groups: [[Int]] = scope == .global ? [Array(scores.indices)] : scores.indices.map { [$0] }
        var result = scores.map { [Float](repeating: 0, count: $0.count) }
        for group in groups {
            let total = group.reduce(0) { $0 + scores[$1].count }
            let keep = Int((density * Double(total)).rounded())
            var candidates: [Float] = []
            candidates.reserveCapacity(total)
            for i in group { visitCandidates(i) { _, s in candidates.append(s) } }
            guard keep > 0 else { continue }
            if keep >= candidates.count {
                for i in group { visitCandidates(i) { j, _ in result[i][j] = 1 } }
                continue
            }
            let threshold = Selection.kthLargest(&candidates, keep)
            var above = 0
            for i in group { visitCandidates(i) { _, s in if s > threshold { above += 1 } } }
            var ties = keep - above
            for i in group {
                visitCandidates(i) { j, s in
                    if s > threshold {
                        result[i][j] = 1
                    } else if s == threshold && ties > 0 {
                        result[i][j] = 1
                        ties -= 1
                    }
                }
            }
        }
        let tensors = try zip(scores, result).map { try Tensor(shape: $0.shape, scalars: $1) }
        return try PruningMask(paths: paths, masks: tensors)
    }

    /// Throws unless `density` is in (0, 1].
    public static func validate(density: Double) throws {
        guard density > 0, density <= 1, density.isFinite else {
            throw InitiumError.invalidArgument("density must be in (0, 1] (the kept fraction, e.g. 0.05), got \(density)")
        }
    }
}

/// Linear-time order statistics for mask thresholds (scores of millions of weights, re-ranked
/// every SynFlow round, would make a full sort the bottleneck).
enum Selection {
    /// The k-th largest value (k ≥ 1) of `values`, which is reordered. Quickselect with a
    /// median-of-three pivot and three-way partitioning (so runs of equal scores cost nothing).
    static func kthLargest(_ values: inout [Float], _ k: Int) -> Float {
        precondition(k >= 1 && k <= values.count, "kthLargest: k = \(k) of \(values.count)")
        var target = values.count - k
        var low = 0, high = values.count - 1
        return values.withUnsafeMutableBufferPointer { v in
            while low < high {
                let mid = low + (high - low) / 2
                let pivot = max(min(v[low], v[mid]), min(max(v[low], v[mid]), v[high]))
                var lt = low, i = low, gt = high
                while i <= gt {
                    if v[i] < pivot {
                        v.swapAt(lt, i); lt += 1; i += 1
                    } else if v[i] > pivot {
                        v.swapAt(i, gt); gt -= 1
                    } else {
                        i += 1
                    }
                }
                if target < lt {
                    high = lt - 1
                } else if target > gt {
                    low = gt + 1
                } else {
                    return pivot
                }
            }
            target = low
            return v[target]
        }
    }
}
