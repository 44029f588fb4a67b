#!/usr/bin/env python3
"""Independent reference for Initium's random draws (Tests/InitiumCoreTests/Fixtures/random_golden.json).

Implements, from the documented algorithm and not from the Swift code, Philox4x32-10
(Salmon et al. 2011), SplitMix64 key derivation, the element-to-counter mapping
(element i -> block 8*(i//32) + i%8, word (i%32)//8) and the uniform / Box-Muller / inverse-CDF
transforms with every float32 operation rounded in the same order, so the Swift output must
match bit for bit. Run: python3 scripts/random_golden.py > Tests/InitiumCoreTests/Fixtures/random_golden.json
"""
import json
import math

import numpy as np

M0, M1, W0, W1 = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85
MASK = 0xFFFFFFFF
f32 = np.float32


def philox(counter, key):
    c0, c1, c2, c3 = counter
    k0, k1 = key
    for r in range(10):
        if r:
            k0, k1 = (k0 + W0) & MASK, (k1 + W1) & MASK
        p0, p1 = M0 * c0, M1 * c2
        c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0) & MASK, p1 & MASK, ((p0 >> 32) ^ c3 ^ k1) & MASK, p0 & MASK
    return c0, c1, c2, c3


def key_from_seed(seed):
    z = (seed + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    z ^= z >> 31
    return z & MASK, z >> 32


def words(i, key):
    block = 8 * (i // 32) + i % 8
    return philox((block & MASK, block >> 32, 0, 0), key), (i % 32) // 8


def unit(w):
    return f32(w >> 8) * f32(2.0 ** -24)


def open_unit(w):
    return (f32(w >> 8) + f32(0.5)) * f32(2.0 ** -24)


def log32(x):
    bits = int(np.array([x], dtype=np.float32).view(np.uint32)[0])
    e = (bits >> 23) - 127
    m = np.array([(bits & 0x7FFFFF) | 0x3F800000], dtype=np.uint32).view(np.float32)[0]
    if m > f32(1.41421356):
        m = m * f32(0.5)
        e += 1
    f = (m - f32(1)) / (m + f32(1))
    f2 = f * f
    p = f2 * f32(1 / 9) + f32(1 / 7)
    p = p * f2 + f32(1 / 5)
    p = p * f2 + f32(1 / 3)
    p = p * f2 + f32(1)
    ef = f32(e)
    return ef * f32(0.693359375) + (ef * f32(-2.1219444e-4) + f32(2) * f * p)


def sincos_turns(t):
    q = np.rint(t * f32(4)).astype(np.float32)
    x = (t - q * f32(0.25)) * f32(6.283185307179586)
    x2 = x * x
    s = x2 * f32(1 / 362880) - f32(1 / 5040)
    s = s * x2 + f32(1 / 120)
    s = s * x2 - f32(1 / 6)
    s = (s * x2) * x + x
    c = x2 * f32(-1 / 3628800) + f32(1 / 40320)
    c = c * x2 - f32(1 / 720)
    c = c * x2 + f32(1 / 24)
    c = c * x2 - f32(0.5)
    c = c * x2 + f32(1)
    quadrant = int(q) & 3
    sin_out, cos_out = (c, -s) if quadrant & 1 else (s, c)
    if quadrant >= 2:
        sin_out, cos_out = -sin_out, -cos_out
    return sin_out, cos_out


def erfinv32(x):
    w = -log32((f32(1) - x) * (f32(1) + x))
    if w < f32(5):
        a = w - f32(2.5)
        coefficients = [3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                        -0.00417768164, 0.246640727, 1.50140941]
        p = a * f32(2.81022636e-08) + f32(coefficients[0])
        for c in coefficients[1:]:
            p = p * a + f32(c)
    else:
        b = np.sqrt(w) - f32(3)
        coefficients = [0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
                        0.00943887047, 1.00167406, 2.83297682]
        p = b * f32(-0.000200214257) + f32(coefficients[0])
        for c in coefficients[1:]:
            p = p * b + f32(c)
    return p * x


def uniform(i, key):
    ws, w = words(i, key)
    return unit(ws[w]) * f32(1) + f32(0)


def normal(i, key):
    ws, w = words(i, key)
    u, v = (ws[0], ws[1]) if w < 2 else (ws[2], ws[3])
    radius = np.sqrt(f32(-2) * log32(open_unit(u)))
    s, c = sincos_turns(unit(v))
    z = radius * (c if w % 2 == 0 else s)
    return z * f32(1) + f32(0)


def truncated(i, key, lower=-2.0, upper=2.0):
    cdf = lambda x: 0.5 * math.erfc(-x / math.sqrt(2))
    lo, hi = 2 * cdf(lower) - 1, 2 * cdf(upper) - 1
    ws, w = words(i, key)
    y = open_unit(ws[w]) * f32(hi - lo) + f32(lo)
    y = min(max(y, f32(-0.9999999)), f32(0.9999999))
    return erfinv32(f32(y)) * f32(math.sqrt(2)) + f32(0)


def bits(values):
    return [int(np.array([v], dtype=np.float32).view(np.uint32)[0]) for v in values]


if __name__ == "__main__":
    key = key_from_seed(0)
    print(json.dumps({
        "uniform": bits(uniform(i, key) for i in range(6)),
        "normal": bits(normal(i, key) for i in range(6)),
        "truncated_normal": bits(truncated(i, key) for i in range(6)),
    }))
