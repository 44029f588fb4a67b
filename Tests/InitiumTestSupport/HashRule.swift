import InitiumCore

/// A tensor stored in a fixture as a hash rule of `scripts/hashed_values.py` (the scheme of
/// `scripts/make_conv_fixtures.py`'s `hashed_values`), so that large reference weights take a few
/// bytes: entry i is offset + scale·(2u − 1), u from murmur3's finalizer of
/// i·0x9E3779B1 + salt·0x85EBCA77 (mod 2³²), computed in Double and rounded once to Float, exactly as
/// the scripts do. `name` is the tensor's PyTorch state_dict name or Initium path, when it has one.
public struct HashRule: Decodable, Sendable {
    /// The tensor's name in the fixture, if any.
    public let name: String?
    /// The tensor's shape.
    public let shape: [Int]
    /// The hash salt.
    public let salt: UInt32
    /// The values' centre.
    public let offset: Double
    /// The values' half-width.
    public let scale: Double
    /// Whether the tensor is a buffer (batch norm's running statistics) rather than a parameter.
    public let buffer: Bool?

    /// The hashed value of entry `i` in Double, before rounding to Float.
    @inline(__always)
    public static func value(_ i: Int, salt: UInt32, offset: Double, scale: Double) -> Double {
        var h = UInt32(truncatingIfNeeded: i) &* 0x9E37_79B1 &+ salt &* 0x85EB_CA77
        h ^= h >> 16
        h = h &* 0x7FEB_352D
        h ^= h >> 15
        h = h &* 0x846C_A68B
        h ^= h >> 16
        return offset + scale * (2 * (Double(h) / 4_294_967_296) - 1)
    }

    /// The rule's values as a tensor.
    public var tensor: Tensor {
        var t = Tensor(uninitializedShape: shape)
        t.withUnsafeMutableBufferPointer { values in
            for i in values.indices { values[i] = Float(Self.value(i, salt: salt, offset: offset, scale: scale)) }
        }
        return t
    }
}
