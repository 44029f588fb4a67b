#!/usr/bin/python3
"""Writes Tests/InitiumProbeTests/Fixtures/jacobian_ntk.json: PyTorch references for the
Jacobian spectrum (Sources/InitiumProbe/JacobianSpectrum.swift), the pseudo-NTK
(PseudoNTK.swift) and the initial guessing bias (GuessingBias.swift) of nonlinear networks with
fixed weights.

Run: /usr/bin/python3 scripts/make_jacobian_ntk_fixture.py

Weights and inputs are hash rules (scripts/hashed_values.py): the fixture stores, per parameter
path, {name, shape, salt, offset, scale}, and the Swift test rebuilds the identical float32
values and loads them by path. Weights use PyTorch's default U(±1/√fan_in) scaled by a gain, so
the networks are realistic; inputs are non-centred.

Definitions, written from the papers rather than from Initium's code:
- Jacobian: J = ∂h^L/∂h¹ for one example, h¹ the first weighted layer's pre-activation and h^L
  the last hidden weighted layer's (the classifier excluded), by torch.autograd.functional.jacobian
  in float64. Per example the eigenvalues of JJᵀ are the squared singular values; the fixture
  stores their mean and population variance pooled over examples, and the extreme singular values.
- pNTK (Mohamadi et al. 2023): K(x, x′) = ⟨∇_θ Σᵢ fᵢ(x), ∇_θ Σⱼ fⱼ(x′)⟩ / O over all parameters.
- IGB (Francazi et al. 2024): G_max = the largest fraction of inputs the untrained network's
  argmax assigns to one class, for lenet5 with three independent PyTorch-default weight draws.
  Computed in float32 like Initium; `near_ties` counts, per draw, the inputs whose top-1 − top-2
  logit gap is below 1e-4 (float32 rounding of a different summation order could flip them), so
  the test allows G_max to differ by at most that many inputs.
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hashed_values import rule  # noqa: E402
import torch_reference_models  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "InitiumProbeTests", "Fixtures", "jacobian_ntk.json")


def mlp(widths, act):
    layers = []
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(widths) - 2:
            layers.append(act())
    return nn.Sequential(*layers)


class LeNet5(torch_reference_models.LeNet5):
    """Initium's lenet5, with the map from conv1's pre-activation on."""

    def after_first(self, h1):
        """From conv1's pre-activation to fc2's (the Jacobian's map)."""
        h = F.max_pool2d(F.relu(h1), 2)
        h = F.max_pool2d(F.relu(self.conv2(h)), 2)
        h = F.relu(self.fc1(h.flatten(1)))
        return self.fc2(h)



def load_hashed(model, base_salt, gain, prefix=""):
    """Sets every parameter to gain·U(±1/√fan_in) (biases too, like PyTorch) from hash rules named
    by Initium's parameter path (`prefix` + PyTorch's name: an MLP's Sequential is `layers`)."""
    rules = []
    with torch.no_grad():
        for k, (name, p) in enumerate(model.named_parameters()):
            owner = dict(model.named_modules())[name.rsplit(".", 1)[0]]
            fan_in = owner.weight[0].numel()
            entry, values = rule(prefix + name, list(p.shape), base_salt + k, 0.0, gain / math.sqrt(fan_in))
            p.copy_(torch.from_numpy(values.astype(np.float64)))
            rules.append(entry)
    return rules


def mlp_after_first(model):
    """From layers.0's pre-activation to the last hidden Linear's (the classifier excluded)."""
    rest = model[1:-2]
    return lambda h1: rest(h1)


def spectrum(first, after_first, inputs, examples):
    squared, maxima, minima = [], [], []
    for e in range(examples):
        x = inputs[e:e + 1]
        h1 = first(x).detach()
        j = torch.autograd.functional.jacobian(lambda h: after_first(h.reshape(h1.shape)).reshape(-1), h1.reshape(-1))
        j = j.numpy()
        ev = np.clip(np.linalg.eigvalsh(j @ j.T), 0, None)
        kept = ev[-min(j.shape):]
        squared += list(kept)
        maxima.append(math.sqrt(kept.max()))
        minima.append(math.sqrt(kept.min()))
    squared = np.array(squared)
    return {"rows": int(j.shape[0]), "columns": int(j.shape[1]), "examples": examples,
            "mean_sq": float(squared.mean()), "var_sq": float(squared.var()),
            "max_singular": max(maxima), "min_singular": min(minima)}


def pntk(model, inputs):
    grads, outputs = [], None
    for e in range(inputs.shape[0]):
        model.zero_grad()
        y = model(inputs[e:e + 1])
        outputs = y.numel()
        y.sum().backward()
        grads.append(torch.cat([p.grad.reshape(-1) for p in model.parameters()]).numpy().copy())
    g = np.stack(grads)
    k = g @ g.T / outputs
    return {"kernel": [float(v) for v in k.ravel()], "size": int(k.shape[0]),
            "eigenvalues": [float(v) for v in np.linalg.eigvalsh(k)], "trace": float(np.trace(k))}


torch.set_default_dtype(torch.float64)
fixture = {}

for name, act, widths, salt, gain in (("mlp-tanh", nn.Tanh, [8, 16, 16, 16, 4], 100, 2.5),
                                      ("mlp-relu", nn.ReLU, [8, 16, 16, 16, 4], 200, 2.0)):
    model = mlp(widths, act)
    rules = load_hashed(model, salt, gain, prefix="layers.")
    input_rule, x = rule("input", [6, widths[0]], salt + 50, 0.3, 1.0)
    inputs = torch.from_numpy(x.astype(np.float64))
    fixture[name] = {"widths": widths, "activation": "tanh" if act is nn.Tanh else "relu", "tensors": rules,
                     "input": input_rule, "spectrum": spectrum(model[0], mlp_after_first(model), inputs, 4),
                     "pntk": pntk(model, inputs)}

lenet = LeNet5()
rules = load_hashed(lenet, 300, 1.0)
input_rule, x = rule("input", [4, 1, 28, 28], 350, 0.5, 0.5)
inputs = torch.from_numpy(x.astype(np.float64))
fixture["lenet5"] = {"tensors": rules, "input": input_rule, "spectrum": spectrum(lenet.conv1, lenet.after_first, inputs, 2),
                     "pntk": pntk(lenet, inputs)}

# Guessing bias: three untrained lenet5 draws on 300 pixel-like inputs, in float32 as Initium.
torch.set_default_dtype(torch.float32)
input_rule, x = rule("input", [300, 1, 28, 28], 450, 0.5, 0.5)
inputs = torch.from_numpy(x)
draws, g_max, near_ties = [], [], []
for d in range(3):
    model = LeNet5().float()
    rules = load_hashed(model, 500 + 10 * d, 1.0)
    with torch.no_grad():
        logits = model(inputs)
    top2 = torch.topk(logits, 2, dim=1).values
    near_ties.append(int(((top2[:, 0] - top2[:, 1]) < 1e-4).sum()))
    counts = np.bincount(logits.argmax(dim=1).numpy(), minlength=10)
    g_max.append(float(counts.max() / inputs.shape[0]))
    draws.append(rules)
median = float(np.median(g_max))
fixture["guessing_bias"] = {"input": input_rule, "draws": draws, "g_max": g_max, "near_ties": near_ties,
                            "median": median, "classes": 10}

with open(OUT, "w") as f:
    json.dump(fixture, f, indent=1)
for k in ("mlp-tanh", "mlp-relu", "lenet5"):
    print(k, fixture[k]["spectrum"], fixture[k]["pntk"]["trace"])
print("IGB", g_max, "near ties", near_ties)
