#!/usr/bin/python3
"""Writes Tests/InitiumProbeTests/Fixtures/cka_reference.json: linear, RBF and minibatch (unbiased
HSIC) CKA computed with NumPy on non-centred, non-Gaussian representations, for
Sources/InitiumProbe/CKA.swift.

Run: /usr/bin/python3 scripts/make_cka_fixture.py

The inputs are far from centred (offsets of 3 and −5) and skewed (log-normal, uniform, a cubic),
so a missing centring, a wrong bandwidth or a dropped HSIC term changes the value. The unbiased
HSIC₁ of Song et al. (2012) is computed twice — by its closed form and by brute force as the
U-statistic over all ordered quadruples of distinct indices,
  HSIC₁ = 1/(n)₄ Σ_{i,j,q,r distinct} [k_ij l_ij + k_ij l_qr − 2 k_ij l_iq],
and the script checks they agree before writing. Values are stored as float32 (what the Swift
test loads); the references are computed in float64 from those float32 values.
"""
import itertools
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "InitiumProbeTests", "Fixtures", "cka_reference.json")

rng = np.random.default_rng(20261203)
n = 24
x = (np.exp(rng.normal(size=(n, 7))) + 3.0).astype(np.float32)            # log-normal, offset 3
mix = rng.uniform(-1, 1, size=(7, 5))
y = ((x.astype(np.float64) @ mix) ** 3 / 40 + rng.uniform(0, 2, size=(n, 5)) - 5.0).astype(np.float32)
X, Y = x.astype(np.float64), y.astype(np.float64)


def centre_kernel(k):
    m = k.shape[0]
    h = np.eye(m) - np.ones((m, m)) / m
    return h @ k @ h


def alignment(k, l):
    kc, lc = centre_kernel(k), centre_kernel(l)
    return float(np.sum(kc * lc) / np.sqrt(np.sum(kc * kc) * np.sum(lc * lc)))


def linear_cka(a, b):
    a = a - a.mean(axis=0)
    b = b - b.mean(axis=0)
    return float(np.linalg.norm(b.T @ a) ** 2 / (np.linalg.norm(a.T @ a) * np.linalg.norm(b.T @ b)))


def rbf_kernel(a, fraction):
    d2 = np.sum((a[:, None, :] - a[None, :, :]) ** 2, axis=2)
    iu = np.triu_indices(a.shape[0], 1)
    sigma = fraction * np.median(np.sqrt(d2[iu]))
    return np.exp(-d2 / (2 * sigma * sigma))


def hsic1_closed(k, l):
    m = k.shape[0]
    kt, lt = k.copy(), l.copy()
    np.fill_diagonal(kt, 0)
    np.fill_diagonal(lt, 0)
    one = np.ones(m)
    return float((np.trace(kt @ lt) + (one @ kt @ one) * (one @ lt @ one) / ((m - 1) * (m - 2))
                  - 2 / (m - 2) * one @ kt @ lt @ one) / (m * (m - 3)))


def hsic1_brute(k, l):
    m = k.shape[0]
    total = 0.0
    count = 0
    for i, j, q, r in itertools.permutations(range(m), 4):
        total += k[i, j] * l[i, j] + k[i, j] * l[q, r] - 2 * k[i, j] * l[i, q]
        count += 1
    return total / count


# Linear CKA two ways: feature space (Kornblith eq. for linear kernels) and centred Gram alignment.
lin = linear_cka(X, Y)
assert abs(lin - alignment(X @ X.T, Y @ Y.T)) < 1e-12
rbf = {str(f): alignment(rbf_kernel(X, f), rbf_kernel(Y, f)) for f in (0.5, 0.8)}

batches = [(0, 8), (8, 16), (16, 24)]
xy = xx = yy = 0.0
for s, e in batches:
    kx, ky = X[s:e] @ X[s:e].T, Y[s:e] @ Y[s:e].T
    for a, b in ((kx, ky), (kx, kx), (ky, ky)):
        assert abs(hsic1_closed(a, b) - hsic1_brute(a, b)) < 1e-9 * max(1.0, abs(hsic1_brute(a, b)))
    xy += hsic1_brute(kx, ky)
    xx += hsic1_brute(kx, kx)
    yy += hsic1_brute(ky, ky)
minibatch = xy / np.sqrt(xx * yy)

fixture = {
    "x": {"shape": list(x.shape), "values": [float(v) for v in x.ravel()]},
    "y": {"shape": list(y.shape), "values": [float(v) for v in y.ravel()]},
    "linear": lin,
    "rbf": rbf,
    "minibatch_rows": batches,
    "minibatch": float(minibatch),
    "uncentred_linear": float(np.linalg.norm(Y.T @ X) ** 2 / (np.linalg.norm(X.T @ X) * np.linalg.norm(Y.T @ Y))),
}
with open(OUT, "w") as f:
    json.dump(fixture, f, indent=1)
print("linear", lin, "rbf", rbf, "minibatch", minibatch, "uncentred", fixture["uncentred_linear"])
