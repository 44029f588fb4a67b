#!/usr/bin/python3
"""Writes Tests/InitiumProbeTests/Fixtures/signal_report.json: a NumPy reference for the
signal-propagation report (Sources/InitiumProbe/SignalPropagationReport.swift) of a tanh MLP
with non-zero biases, so that the σ_b² term of the mean-field prediction matters.

Run: /usr/bin/python3 scripts/make_signal_report_fixture.py

The network is [64, 1024, 1024, 1024, 10] with weights U(±√(3σ_w²/fan_in)), σ_w² = 1.6, and biases
U(±√(3σ_b²)), σ_b² = 0.3 (hash rules, scripts/hashed_values.py, loaded by parameter path), and a
batch of 256 inputs U(±1.5) (centred, so the examples are nearly uncorrelated and one draw fluctuates less). Per weighted layer the fixture holds, written from Poole et al.
(2016) rather than from Initium's code:
- σ_w² = fan_in·mean(W²), σ_b² = mean(b²) of the actual weights;
- the prediction q₁ = σ_w²·mean(x²) + σ_b², then q_l = σ_w² E[tanh(√q_{l−1} z)²] + σ_b²
  (100-point Gauss–Hermite);
- the measured second moment mean(h²) of the pre-activations and the relative error
  |measured − predicted|/predicted;
- `tolerance`: how far that error goes for this architecture: over 300 independent NumPy draws
  of weights, biases and inputs from the same distributions, the mean plus 4 standard
  deviations of the error. It is a few per cent, where dropping σ_b² moves the prediction by
  σ_b²/q ≈ 30%.
"""
import json
import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hashed_values import rule  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "InitiumProbeTests", "Fixtures", "signal_report.json")

WIDTHS = [64, 1024, 1024, 1024, 10]
SW, SB = 1.6, 0.3
BATCH = 256
nodes, gh = np.polynomial.hermite_e.hermegauss(100)
gh = gh / gh.sum()


def second_moment_tanh(q):
    return float(np.sum(gh * np.tanh(math.sqrt(q) * nodes) ** 2))


def report(weights, biases, x):
    """Per layer: (σ_w², σ_b², predicted, measured second moment, relative error)."""
    rows, h, prediction = [], x, None
    for l, (w, b) in enumerate(zip(weights, biases)):
        fan_in = w.shape[1]
        sw = fan_in * np.mean(w * w)
        sb = np.mean(b * b)
        inp = h if l == 0 else np.tanh(h)
        prediction = sw * np.mean(x * x) + sb if l == 0 else sw * second_moment_tanh(prediction) + sb
        h = inp @ w.T + b
        measured = np.mean(h * h)
        rows.append((sw, sb, prediction, measured, abs(measured - prediction) / prediction))
    return rows


tensors, weights, biases = [], [], []
for l, (a, b) in enumerate(zip(WIDTHS, WIDTHS[1:])):
    path = f"layers.{2 * l}"
    entry, w = rule(path + ".weight", [b, a], 700 + 2 * l, 0.0, math.sqrt(3 * SW / a))
    tensors.append(entry)
    weights.append(w.astype(np.float64))
    entry, v = rule(path + ".bias", [b], 701 + 2 * l, 0.0, math.sqrt(3 * SB))
    tensors.append(entry)
    biases.append(v.astype(np.float64))
input_rule, x = rule("input", [BATCH, WIDTHS[0]], 790, 0.0, 1.5)
fixed = report(weights, biases, x.astype(np.float64))

rng = np.random.default_rng(20261203)
errors = []
for _ in range(300):
    ws = [rng.uniform(-1, 1, (b, a)) * math.sqrt(3 * SW / a) for a, b in zip(WIDTHS, WIDTHS[1:])]
    bs = [rng.uniform(-1, 1, b) * math.sqrt(3 * SB) for b in WIDTHS[1:]]
    xs = 1.5 * rng.uniform(-1, 1, (BATCH, WIDTHS[0]))
    errors.append([r[4] for r in report(ws, bs, xs)])
errors = np.array(errors)
tolerance = errors.mean(axis=0) + 4 * errors.std(axis=0, ddof=1)

layers = []
for l, (sw, sb, p, m, e) in enumerate(fixed):
    layers.append({"name": f"layers.{2 * l}", "sigma_w2": sw, "sigma_b2": sb, "predicted": p, "measured_second_moment": m,
                   "relative_error": e, "tolerance": float(tolerance[l])})
    print(layers[-1])
with open(OUT, "w") as f:
    json.dump({"widths": WIDTHS, "tensors": tensors, "input": input_rule, "layers": layers}, f, indent=1)
