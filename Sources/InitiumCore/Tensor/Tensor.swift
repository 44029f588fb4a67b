import Foundation

/// An n-dimensional array of Float32 values in row-major order, with value semantics.
///
/// Copies share one ``TensorStorage`` until one of them is mutated (copy-on-write). A tensor that
/// was produced from tensors requiring gradients carries a node of the autodiff graph; calling
/// ``backward()`` on a scalar result sends gradients to every ``Parameter`` that fed into it.
///
/// ```swift
/// let x = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
/// let y = try (x * x).sum()          // 91
/// ```
public struct Tensor: @unchecked Sendable {
    /// The size of each dimension; `[]` for a scalar.
    public private(set) var shape: [Int]
    /// The elements, shared with other tensors until a mutation copies them.
    public private(set) var storage: TensorStorage
    /// The autodiff node that produced this tensor, or `nil` if it does not require gradients.
    var node: GradNode?

    /// Wraps existing storage. `storage.count` must equal the product of `shape`.
    init(shape: [Int], storage: TensorStorage, node: GradNode? = nil) {
        precondition(storage.count == Shape.count(of: shape), "storage does not match shape \(shape)")
        self.shape = shape
        self.storage = storage
        self.node = node
    }

    /// A tensor with uninitialized contents, for kernels that write every element.
    public init(uninitializedShape shape: [Int]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.init(shape: shape, storage: TensorStorage(uninitializedCount: Shape.count(of: shape)))
    }

    /// A tensor of the given shape with every element equal to `value`.
    public init(shape: [Int], repeating value: Float) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.init(shape: shape, storage: TensorStorage(count: Shape.count(of: shape), repeating: value))
    }

    /// A tensor from row-major `scalars`; throws if their number does not match `shape`.
    public init(shape: [Int], scalars: [Float]) throws {
        guard shape.allSatisfy({ $0 >= 0 }) else {
            throw InitiumError.invalidShape(operation: "Tensor(shape:scalars:)", shape: shape, reason: "negative dimension")
        }
        guard Shape.count(of: shape) == scalars.count else {
            throw InitiumError.shapeMismatch(operation: "Tensor(shape:scalars:)", lhs: shape, rhs: [scalars.count])
        }
        self.init(uninitializedShape: shape)
        scalars.withUnsafeBufferPointer { storage.base.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// A rank-0 tensor holding `value`.
    public init(_ value: Float) {
        self.init(shape: [], repeating: value)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 0) }

    /// A tensor of ones.
    public static func ones(_ shape: [Int]) -> Tensor { Tensor(shape: shape, repeating: 1) }

    /// The `n × n` identity matrix.
    public static func eye(_ n: Int) -> Tensor {
        var t = Tensor.zeros([n, n])
        t.withUnsafeMutableBufferPointer { p in
            for i in 0..<n { p[i * n + i] = 1 }
        }
        return t
    }

    /// The number of elements.
    @inlinable public var count: Int { storage.count }
    /// The number of dimensions.
    @inlinable public var rank: Int { shape.count }
    /// The elements in row-major order.
    public var scalars: [Float] { Array(storage.buffer) }

    /// The single element of a one-element tensor.
    public var scalar: Float {
        precondition(count == 1, "scalar of a tensor with shape \(shape)")
        return storage.base[0]
    }

    /// The element at a flat row-major index.
    public subscript(flat index: Int) -> Float {
        get { storage.base[index] }
        set {
            ensureUniqueStorage()
            storage.base[index] = newValue
        }
    }

    /// The element at a multi-dimensional index.
    public subscript(_ indices: Int...) -> Float {
        get { storage.base[Shape.flatIndex(indices, in: shape)] }
        set { self[flat: Shape.flatIndex(indices, in: shape)] = newValue }
    }

    /// Calls `body` with the elements as a read-only buffer.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(storage.buffer)
    }

    /// Calls `body` with the elements as a mutable buffer, copying the storage first if it is shared.
    /// Mutating a tensor detaches it from the autodiff graph.
    public mutating func withUnsafeMutableBufferPointer<R>(
        _ body: (UnsafeMutableBufferPointer<Float>) throws -> R
    ) rethrows -> R {
        ensureUniqueStorage()
        node = nil
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }

    /// Copies the storage if another tensor shares it, so an in-place update is invisible to others.
    public mutating func ensureUniqueStorage() {
        if !isKnownUniquelyReferenced(&storage) {
            storage = storage.copy()
        }
    }

    /// The same values, cut off from the autodiff graph (no gradient flows through the result).
    public func detached() -> Tensor {
        Tensor(shape: shape, storage: storage)
    }

    /// The same storage viewed with another shape of equal element count (no copy).
    func viewed(as newShape: [Int]) -> Tensor {
        Tensor(shape: newShape, storage: storage)
    }
}

extension Tensor: CustomStringConvertible {
    /// A short description: the shape and up to the first eight values.
    public var description: String {
        let shown = scalars.prefix(8).map { String(format: "%.4g", Double($0)) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(count > 8 ? ", …" : "")])"
    }
}

extension Tensor: Equatable {
    /// Two tensors are equal when their shapes and all elements are equal (gradients are ignored).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        if lhs.storage === rhs.storage { return true }
        for i in 0..<lhs.count where lhs.storage.base[i] != rhs.storage.base[i] { return false }
        return true
    }
}
