#!/usr/bin/python3
"""Writes Tests/InitiumInitTests/Fixtures/initializer_reference.json (references for the
initializer values, issue 19 item 7) and Tests/InitiumCoreTests/Fixtures/distribution_moments.json
(the moments RandomTests expects), from SciPy and PyTorch rather than from Initium's
`Distribution`.

Run: /usr/bin/python3 scripts/make_initializer_fixture.py

- raw distributions: for each scheme string (`normal`, `uniform`, `truncated-normal` with
  PyTorch's absolute bounds a, b, i.e. torch.nn.init.trunc_normal_(mean, std, a, b)), SciPy's
  mean, variance, fourth central moment μ₄ (for the standard error of the sample variance) and the
  probability of falling below the midpoint (a check of the shape). The script also samples
  PyTorch's trunc_normal_ and asserts its draws respect [a, b] and SciPy's moments, so the
  fixture's reading of a, b is PyTorch's.
- truncated_std: the standard deviation of N(0, 1) truncated to (−2, 2), SciPy's truncnorm, which
  the truncated-normal presets divide by.
- torch_default: per weight shape of lenet5 and of an MLP, the bound 1/√fan_in PyTorch's
  reset_parameters uses for weight and bias (kaiming_uniform_(a=√5) gives gain·√(3/fan_in) with
  gain = √(2/(1+5)), the same number), with fan_in from torch's _calculate_fan_in_and_fan_out.
- zero: ZerO's Algorithm 2 for more output than input channels: c·H_m[0..<P, 0..<Q] at the centre
  tap k//2 of every spatial axis, zero elsewhere, with H_m = scipy.linalg.hadamard(2^m),
  m = ⌈log₂ P⌉ and c = 2^(−m/2) (the official code's normalization).
"""
import json
import math
import os

import numpy as np
import scipy.linalg
import scipy.stats as st
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "InitiumInitTests", "Fixtures", "initializer_reference.json")
OUT_CORE = os.path.join(ROOT, "Tests", "InitiumCoreTests", "Fixtures", "distribution_moments.json")


def summary(dist, midpoint):
    mean, var = float(dist.mean()), float(dist.var())
    mu4 = float(dist.expect(lambda x: (x - mean) ** 4))
    return {"mean": mean, "variance": var, "mu4": mu4, "midpoint": midpoint, "below_midpoint": float(dist.cdf(midpoint))}


def truncated(mean, std, a, b):
    return st.truncnorm((a - mean) / std, (b - mean) / std, loc=mean, scale=std)


raw = []
for spec, dist, mid in [
    ("normal(mean=0.5,std=2)", st.norm(0.5, 2), 1.0),
    ("uniform(low=-3,high=1)", st.uniform(-3, 4), 0.0),
    ("truncated-normal(mean=0.5,std=2,a=-1,b=3)", truncated(0.5, 2, -1, 3), 0.0),
    ("truncated-normal(std=0.02,a=-0.03,b=0.01)", truncated(0, 0.02, -0.03, 0.01), -0.01),
    ("truncated-normal", truncated(0, 1, -2, 2), 0.5),
]:
    raw.append(dict(spec=spec, **summary(dist, mid)))

# PyTorch's trunc_normal_ takes absolute bounds: check its draws against SciPy.
torch.manual_seed(0)
for mean, std, a, b in [(0.5, 2.0, -1.0, 3.0), (0.0, 0.02, -0.03, 0.01)]:
    t = torch.empty(400_000, dtype=torch.float64)
    nn.init.trunc_normal_(t, mean, std, a, b)
    d = truncated(mean, std, a, b)
    assert t.min() >= a and t.max() <= b
    assert abs(t.mean().item() - d.mean()) < 5 * d.std() / math.sqrt(t.numel())
    assert abs(t.var().item() / d.var() - 1) < 0.02

lenet = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.Conv2d(6, 16, 5), nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10))
names = ["conv1", "conv2", "fc1", "fc2", "fc3"]
torch_default = []
for name, m in zip(names, lenet):
    fan_in, _ = nn.init._calculate_fan_in_and_fan_out(m.weight)
    gain = nn.init.calculate_gain("leaky_relu", math.sqrt(5))
    weight_bound = gain * math.sqrt(3.0 / fan_in)
    bias_bound = 1 / math.sqrt(fan_in)
    assert abs(weight_bound - bias_bound) < 1e-12
    assert m.weight.abs().max().item() <= weight_bound and m.bias.abs().max().item() <= bias_bound
    torch_default.append({"path": name, "shape": list(m.weight.shape), "fan_in": fan_in, "bound": bias_bound})
for i, (a, b) in enumerate([(9, 4000), (4000, 3)]):
    torch_default.append({"path": f"layers.{2 * i}", "shape": [b, a], "fan_in": a, "bound": 1 / math.sqrt(a)})

zero = []
for shape in ([8, 3, 3, 3], [6, 4, 5, 5], [12, 5, 3, 3], [5, 2, 4, 4], [10, 3, 3]):
    p, q, kernel = shape[0], shape[1], shape[2:]
    m = math.ceil(math.log2(p))
    h = scipy.linalg.hadamard(2 ** m).astype(np.float64)
    w = np.zeros(shape)
    w[(slice(None), slice(None)) + tuple(k // 2 for k in kernel)] = h[:p, :q] * 2.0 ** (-m / 2)
    zero.append({"shape": shape, "values": [float(v) for v in w.ravel()]})

core = []
for label, dist in [("uniform(-2,3)", st.uniform(-2, 5)), ("normal(0.5,2)", st.norm(0.5, 2)),
                    ("truncatedNormal(0,1,-2,2)", truncated(0, 1, -2, 2)), ("truncatedNormal(1,0.5,0,3)", truncated(1, 0.5, 0, 3)),
                    ("bernoulli(0.3)", st.bernoulli(0.3))]:
    mean, var = float(dist.mean()), float(dist.var())
    mu4 = float(st.bernoulli(0.3).expect(lambda x: (x - mean) ** 4)) if label.startswith("bernoulli") else float(dist.expect(lambda x: (x - mean) ** 4))
    core.append({"distribution": label, "mean": mean, "variance": var, "mu4": mu4})

with open(OUT, "w") as f:
    json.dump({"raw": raw, "truncated_std": float(st.truncnorm(-2, 2).std()), "torch_default": torch_default, "zero": zero}, f, indent=1)
with open(OUT_CORE, "w") as f:
    json.dump({"distributions": core}, f, indent=1)
for r in raw:
    print(r)
print(core)
