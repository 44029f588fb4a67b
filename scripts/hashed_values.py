"""The integer hash behind the fixtures' fixed weights and inputs, shared by the fixture scripts
(the same function as in make_conv_fixtures.py; the Swift tests implement it too).

offset + scale·(2u − 1), u = mix(i·0x9E3779B1 + salt·0x85EBCA77)/2³² with murmur3's finalizer,
computed in float64 and rounded once to float32. With offset 0 and scale 1/√fan_in it is
PyTorch's default Linear/Conv initialization, U(±1/√fan_in)."""
import numpy as np

MASK = 0xFFFFFFFF


def hashed_values(count, salt, offset, scale):
    h = (np.arange(count, dtype=np.uint64) * np.uint64(0x9E3779B1) + np.uint64(salt * 0x85EBCA77)) & np.uint64(MASK)
    h ^= h >> np.uint64(16)
    h = (h * np.uint64(0x7FEB352D)) & np.uint64(MASK)
    h ^= h >> np.uint64(15)
    h = (h * np.uint64(0x846CA68B)) & np.uint64(MASK)
    h ^= h >> np.uint64(16)
    u = h.astype(np.float64) / 4294967296.0
    return (offset + scale * (2.0 * u - 1.0)).astype(np.float32)


def rule(name, shape, salt, offset, scale):
    """A fixture entry and the float32 array it stands for."""
    values = hashed_values(int(np.prod(shape)), salt, offset, scale).reshape(shape)
    return {"name": name, "shape": list(shape), "salt": salt, "offset": offset, "scale": scale}, values
