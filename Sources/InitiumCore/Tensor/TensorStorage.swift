/// The heap buffer behind a ``Tensor``: `count` Float32 values, 64-byte aligned for SIMD and BLAS.
///
/// Storage is shared between tensor values until one of them mutates, which then copies
/// (copy-on-write, checked with `isKnownUniquelyReferenced`).
public final class TensorStorage: @unchecked Sendable {
    /// The first element. Valid for `count` elements for the storage's lifetime.
    public let base: UnsafeMutablePointer<Float>
    /// The number of elements.
    public let count: Int

    /// Allocates uninitialized storage for `count` elements.
    public init(uninitializedCount count: Int) {
        self.count = count
        let raw = UnsafeMutableRawPointer.allocate(
            byteCount: max(count, 1) * MemoryLayout<Float>.stride, alignment: 64)
        base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Allocates storage for `count` elements, all equal to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    /// A new storage with the same contents.
    public func copy() -> TensorStorage {
        let result = TensorStorage(uninitializedCount: count)
        result.base.initialize(from: base, count: count)
        return result
    }

    /// The elements as a read-only buffer.
    @inlinable public var buffer: UnsafeBufferPointer<Float> { UnsafeBufferPointer(start: base, count: count) }

    deinit {
        UnsafeMutableRawPointer(base).deallocate()
    }
}
