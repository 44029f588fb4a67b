#!/usr/bin/python3
"""Writes Tests/InitiumProbeTests/Fixtures/mean_field_simulation.json: a NumPy re-implementation of
`initium theory simulate` (Sources/InitiumProbe/MeanFieldSimulation.swift, Poole et al. 2016),
run over many independent networks, giving per layer the mean and the across-network standard
deviation of the measured and the predicted second moment q and pair correlation c.

Run: /usr/bin/python3 scripts/make_mean_field_fixture.py

The simulation is written from the paper: input pairs x₁ = √q₀ z₁, x₂ = √q₀ (c₀ z₁ + √(1−c₀²) z₂)
with z ~ N(0, I_N); h^{l+1} = W^l φ(h^l) + b^l, W ~ N(0, σ_w²/N), b ~ N(0, σ_b²). Per layer, q is the
mean over the pairs of ‖h‖²/N (averaged over both members) and c the mean pair correlation
⟨h₁, h₂⟩/(‖h₁‖‖h₂‖). The prediction iterates the maps from each network's measured layer 0:
  q′ = σ_w² E[φ(√q z)²] + σ_b²,
  c′ = (σ_w² E[φ(u₁)φ(u₂)] + σ_b²)/√(q₁′q₂′), u₁ = √q₁ z₁, u₂ = √q₂ (c z₁ + √(1−c²) z₂),
with 80-point Gauss–Hermite quadrature in each dimension for tanh and the closed forms q/2 and the
arc-cosine kernel (Cho & Saul 2009) for ReLU, whose kink makes quadrature converge slowly (80
points are off by 5e-4 per layer, which accumulates to several standard errors). Initium draws with its own generator,
so the Swift test compares statistics: its mean over `networks` draws against this mean over
`reference_networks` draws, within 5 standard errors sd·√(1/networks + 1/reference_networks).
"""
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "InitiumProbeTests", "Fixtures", "mean_field_simulation.json")

nodes, weights = np.polynomial.hermite_e.hermegauss(80)
weights = weights / weights.sum()  # expectations over N(0, 1)
PHI = {"tanh": np.tanh, "relu": lambda v: np.maximum(v, 0)}


def q_map(phi, q, sw, sb):
    if phi is PHI["relu"]:
        return sw * q / 2 + sb
    return sw * np.sum(weights * phi(np.sqrt(q) * nodes) ** 2) + sb


def c_map(phi, q1, q2, c, sw, sb):
    z1, z2 = nodes[:, None], nodes[None, :]
    w = weights[:, None] * weights[None, :]
    u1 = np.sqrt(q1) * z1
    u2 = np.sqrt(q2) * (c * z1 + np.sqrt(max(0.0, 1 - c * c)) * z2)
    if phi is PHI["relu"]:
        # Closed form (the arc-cosine kernel, Cho & Saul 2009): quadrature converges slowly on the kink.
        t = np.arccos(np.clip(c, -1, 1))
        cross = sw * np.sqrt(q1 * q2) * (np.sin(t) + (np.pi - t) * np.cos(t)) / (2 * np.pi) + sb
    else:
        cross = sw * np.sum(w * phi(u1) * phi(u2)) + sb
    return cross / np.sqrt(q_map(phi, q1, sw, sb) * q_map(phi, q2, sw, sb))


def measure(h, pairs, n):
    a = np.sum(h[:pairs] ** 2, axis=1)
    b = np.sum(h[pairs:] ** 2, axis=1)
    ab = np.sum(h[:pairs] * h[pairs:], axis=1)
    return a.mean() / n, b.mean() / n, np.mean(ab / np.sqrt(a * b))


def simulate(cfg, rng):
    phi, n, pairs, depth = PHI[cfg["activation"]], cfg["width"], cfg["pairs"], cfg["depth"]
    sw, sb, q0, c0 = cfg["sigma_w2"], cfg["sigma_b2"], cfg["q0"], cfg["c0"]
    z1 = rng.standard_normal((pairs, n))
    z2 = rng.standard_normal((pairs, n))
    h = np.concatenate([np.sqrt(q0) * z1, np.sqrt(q0) * (c0 * z1 + np.sqrt(1 - c0 * c0) * z2)])
    measured = [measure(h, pairs, n)]
    for _ in range(depth):
        w = rng.standard_normal((n, n)) * np.sqrt(sw / n)
        b = rng.standard_normal(n) * np.sqrt(sb)
        h = phi(h) @ w.T + b
        measured.append(measure(h, pairs, n))
    q1, q2, c = measured[0]
    predicted = [(q1, q2, c)]
    for _ in range(depth):
        q1n, q2n = q_map(phi, q1, sw, sb), q_map(phi, q2, sw, sb)
        c = c_map(phi, q1, q2, c, sw, sb)
        q1, q2 = q1n, q2n
        predicted.append((q1, q2, c))
    m, p = np.array(measured), np.array(predicted)
    return np.stack([(m[:, 0] + m[:, 1]) / 2, m[:, 2], (p[:, 0] + p[:, 1]) / 2, p[:, 2]], axis=1)


configs = [
    {"activation": "tanh", "sigma_w2": 1.5, "sigma_b2": 0.05, "width": 80, "depth": 8, "pairs": 8, "q0": 1.0, "c0": 0.5},
    {"activation": "relu", "sigma_w2": 1.8, "sigma_b2": 0.2, "width": 80, "depth": 8, "pairs": 8, "q0": 2.0, "c0": 0.3},
]
rng = np.random.default_rng(20261203)
R = 400
for cfg in configs:
    runs = np.stack([simulate(cfg, rng) for _ in range(R)])  # R × (depth+1) × 4
    mean, sd = runs.mean(axis=0), runs.std(axis=0, ddof=1)
    cfg["reference_networks"] = R
    for k, name in enumerate(["measured_q", "measured_c", "predicted_q", "predicted_c"]):
        cfg[name] = [float(v) for v in mean[:, k]]
        cfg[name + "_sd"] = [float(v) for v in sd[:, k]]
    print(cfg["activation"], "q", np.round(mean[:, 0], 4), "c", np.round(mean[:, 1], 4), "sd q", np.round(sd[:, 0], 4))
with open(OUT, "w") as f:
    json.dump({"networks": 6, "configs": configs}, f, indent=1)
