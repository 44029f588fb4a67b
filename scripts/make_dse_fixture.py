#!/usr/bin/python3
"""Writes Tests/InitiumProbeTests/Fixtures/dse_reference.json: diffusion spectral entropy (DSE) and
diffusion spectral mutual information (DSMI) of small point clouds, computed with NumPy/SciPy by
the algorithm of ChenLiu-1996/DiffusionSpectralEntropy (dse_dsmi/diffusion.py, dse.py, dsmi.py),
written here from its description, for Sources/InitiumProbe/DiffusionSpectralEntropy.swift.

Run: /usr/bin/python3 scripts/make_dse_fixture.py

The algorithm, for points X (N×D), bandwidth sigma and t diffusion steps:
  G = exp(-D²/(2 sigma²)) / (sigma sqrt(2 pi)), D the pairwise Euclidean distances;
  K = Deg^-1/2 G Deg^-1/2, Deg = diag(row sums of G) (same eigenvalues as P = Deg^-1 G);
  lambda = eigvalsh(K); p = |lambda|^t / sum |lambda|^t; p += eps (numpy float eps);
  DSE = -sum p log2 p.
DSMI(Z; Y) = sum_c p(c) [mean_r DSE(Z*_r) - DSE(Z | Y=c)], Z*_r random subsets of all points of
the size of class c. The reference draws them with Python's `random`; here they are drawn with
NumPy and written to the fixture, so the Swift test uses the same subsets.

The clouds: a uniform cube (the reference README's sanity check, scaled down), points on a 1-D
curve (a helix) and an isotropic Gaussian in the same dimension at a similar spread, and a
labelled mixture of three Gaussian blobs. Coordinates are stored as float32 (what the Swift test
loads); references are computed in float64 from those float32 values.
"""
import json
import os

import numpy as np
from scipy.spatial.distance import cdist

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "InitiumProbeTests", "Fixtures", "dse_reference.json")


def eigenvalues(points, sigma):
    d2 = cdist(points, points, "sqeuclidean")
    g = np.exp(-d2 / (2 * sigma**2)) / (sigma * np.sqrt(2 * np.pi))
    inv = 1 / np.sqrt(g.sum(axis=1))
    k = inv[:, None] * g * inv[None, :]
    return np.linalg.eigvalsh(k)


def dse(points, sigma, t):
    lam = np.abs(eigenvalues(points, sigma)) ** t
    p = lam / lam.sum() + np.finfo(float).eps
    return float(-np.sum(p * np.log2(p)))


def dsmi(points, labels, sigma, t, subsets):
    total = 0.0
    n = len(points)
    for c in np.unique(labels):
        members = points[labels == c]
        conditional = dse(members, sigma, t)
        marginal = np.mean([dse(points[s], sigma, t) for s in subsets[len(members)]])
        total += len(members) / n * (marginal - conditional)
    return float(total)


rng = np.random.default_rng(20261203)
clouds = []


def add(name, points, sigma, t):
    points = points.astype(np.float32)
    clouds.append({"name": name, "sigma": sigma, "t": t, "shape": list(points.shape),
                   "values": points.reshape(-1).tolist(), "dse": dse(points.astype(np.float64), sigma, t)})
    return points


add("uniform", rng.uniform(0, 1, size=(120, 24)), 10.0, 1)
add("uniform-t2", rng.uniform(0, 1, size=(120, 24)), 1.0, 2)
s = np.sort(rng.uniform(0, 4 * np.pi, size=150))
helix = np.zeros((150, 8))
helix[:, 0], helix[:, 1], helix[:, 2] = np.cos(s), np.sin(s), s / (2 * np.pi)
rotation, _ = np.linalg.qr(rng.normal(size=(8, 8)))
helix = helix @ rotation
add("curve", helix, 0.5, 1)
add("gaussian", rng.normal(size=(150, 8)) * helix.std(axis=0).mean(), 0.5, 1)

centres = rng.normal(size=(3, 6)) * 2
labels = np.repeat(np.arange(3), [30, 40, 30])
blobs = (centres[labels] + rng.normal(size=(100, 6))).astype(np.float32)
subsets = {int(k): [rng.permutation(100)[:k].tolist() for _ in range(5)] for k in np.unique(np.bincount(labels))}
mi = dsmi(blobs.astype(np.float64), labels, 2.0, 1, subsets)

fixture = {
    "clouds": clouds,
    "dsmi": {"sigma": 2.0, "t": 1, "shape": list(blobs.shape), "values": blobs.reshape(-1).tolist(),
             "labels": labels.tolist(), "subsets": {str(k): v for k, v in subsets.items()}, "dsmi": mi},
}
assert clouds[2]["dse"] < clouds[3]["dse"], "the curve should have lower DSE than the Gaussian cloud"
with open(OUT, "w") as f:
    json.dump(fixture, f)
print("wrote", OUT, [(c["name"], round(c["dse"], 6)) for c in clouds], "dsmi", round(mi, 6))
