#!/usr/bin/python3
"""Writes Tests/InitiumPruneTests/Fixtures/pruning_scores.json: pruning-at-initialization scores
(SNIP, GraSP, SynFlow) and zero-cost proxies (synflow, snip, grasp, fisher, grad_norm, jacob_cov,
gradsign) of two real networks on fixed weights and a fixed batch, computed here in PyTorch
(float64) from the papers' definitions, independently of Initium's code.

Run with Debian's PyTorch: /usr/bin/python3 scripts/make_pruning_fixtures.py

Networks: mlp:784-64-32-16-10 (ReLU) and lenet5 (torch_train_bench.py's definition), their
state_dict filled by the integer hash of scripts/make_conv_fixtures.py (reproduced by the Swift
test, so no weights are stored). Batch: eight 1x28x28 images (hash salt 2000, values in [0, 1])
with labels 0…7. "Weights" below means the weight of every Linear and Conv2d layer, classifier
included (Synaptic-Flow's `masked_parameters`; zero-cost-nas's `sum_arr` over Conv2d/Linear).
L is the mean softmax cross-entropy of the batch.

Scores (Synaptic-Flow `Pruners/pruners.py`, model in eval mode; per weight entry):
  snip     |θ ⊙ ∂L/∂θ|  (Lee et al. 2019: |∂L/∂m| at m = 1; Synaptic-Flow's division by Σ s is
           a positive constant and left out on both sides)
  grasp    θ ⊙ Hg, g = ∂L_T/∂θ, Hg = ∂⟨stop_grad(g), ∂L_T/∂θ⟩/∂θ by double backward, L_T the
           loss of logits/T, T = 200 (Wang et al. 2020; Synaptic-Flow's normalization left out)
  synflow  |θ ⊙ ∂R/∂θ|, R = Σ f(1) with every parameter replaced by |θ| and a single all-ones
           input (Tanaka et al. 2020)
Proxies (zero-cost-nas `foresight/pruners/measures`, model in train mode except synflow):
  synflow, snip   Σ of the scores above
  grasp           −Σ θ ⊙ Hg with T = 1
  grad_norm       Σ over layers of ‖∂L/∂W‖₂
  fisher          Σ over layers and output channels k of ½·meanₙ(Σ_spatial a·∂L/∂a)², a the
                  layer's output (before the activation)
  jacob_cov       J = ∂(Σ f(x))/∂x per example (N×D), C = corrcoef(J), −Σ log(λ + k) + 1/(λ + k),
                  λ the eigenvalues of C, k = 1e-5 (Mellor et al. 2021, first version)
  gradsign_sum    Σ over weight entries |Σᵢ sign(∂ℓᵢ/∂θ)|, ℓᵢ the loss of example i alone
  gradsign_mean   gradsign_sum / number of weight entries (Zhang & Jia 2022)
For gradsign the fixture also stores `gradsign_fragile`: how many weight entries have a summed sign
that float32 rounding could change (some |∂ℓᵢ/∂θ| below 1e-6 of that example's largest
gradient), which bounds the float32 error of the count.

Per-weight scores are stored as in model_gradients.json: entries 0, stride, 2·stride, …
(stride = ⌈n/512⌉), a projection Σ sᵢhᵢ on the hash h of salt 9000 + layer index (offset 0,
scale 1) over all entries, and the norm.
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_conv_fixtures as conv  # noqa: E402

ROOT = conv.ROOT
SAMPLES = 512
N = 8
LABELS = list(range(N))

MODELS = {
    "mlp:784-64-32-16-10": lambda: conv.peer.mlp("mlp:784-64-32-16-10", nn.ReLU),
    "lenet5": conv.peer.lenet5,
}


def build(name):
    torch.manual_seed(0)  # constructor draws, all overwritten below
    model = MODELS[name]()
    entries = []
    salt = 1
    for tensor_name, tensor in model.state_dict().items():
        rule = conv.tensor_rule(tensor_name, tensor, salt)
        values = conv.hashed_values(tensor.numel(), salt, rule["offset"], rule["scale"])
        with torch.no_grad():
            tensor.copy_(torch.from_numpy(values).reshape(tensor.shape))
        entries.append(dict(name=tensor_name, shape=list(tensor.shape), salt=salt, **rule))
        salt += 1
    return model.double(), entries


def weight_layers(model):
    return [(n, m) for n, m in model.named_modules() if isinstance(m, (nn.Linear, nn.Conv2d))]


def loss_of(model, x, y, temperature=1.0):
    return F.cross_entropy(model(x) / temperature, y)


def snip(model, x, y):
    weights = [m.weight for _, m in weight_layers(model)]
    g = torch.autograd.grad(loss_of(model, x, y), weights)
    return [(w * gw).abs().detach() for w, gw in zip(weights, g)]


def grasp_hg(model, x, y, temperature):
    weights = [m.weight for _, m in weight_layers(model)]
    g = [t.detach() for t in torch.autograd.grad(loss_of(model, x, y, temperature), weights)]
    graph = torch.autograd.grad(loss_of(model, x, y, temperature), weights, create_graph=True)
    z = sum((a * b).sum() for a, b in zip(g, graph))
    hg = torch.autograd.grad(z, weights)
    return [(w * h).detach() for w, h in zip(weights, hg)]


def synflow(model, example_shape):
    saved = {n: t.clone() for n, t in model.state_dict().items()}
    with torch.no_grad():
        for t in model.state_dict().values():
            t.abs_()
    weights = [m.weight for _, m in weight_layers(model)]
    r = model(torch.ones([1] + example_shape, dtype=torch.float64)).sum()
    g = torch.autograd.grad(r, weights)
    scores = [(w * gw).abs().detach() for w, gw in zip(weights, g)]
    model.load_state_dict(saved)
    return scores


def fisher(model, x, y):
    outputs = []

    def hook(_module, _inputs, output):
        output.retain_grad()
        outputs.append(output)

    handles = [m.register_forward_hook(hook) for _, m in weight_layers(model)]
    loss_of(model, x, y).backward()
    for h in handles:
        h.remove()
    total = 0.0
    for a in outputs:
        g = a.grad
        ag = (a * g).detach()
        per_channel = ag.sum(dim=tuple(range(2, ag.dim()))) if ag.dim() > 2 else ag
        total += float((0.5 * per_channel.pow(2).mean(0)).sum())
    model.zero_grad()
    return total


def jacob_cov(model, x):
    x = x.clone().requires_grad_(True)
    model(x).sum().backward()
    j = x.grad.reshape(x.shape[0], -1).numpy()
    model.zero_grad()
    c = np.corrcoef(j)
    v = np.linalg.eigvalsh(c)
    k = 1e-5
    return float(-np.sum(np.log(v + k) + 1.0 / (v + k)))


def gradsign(model, x, y):
    weights = [m.weight for _, m in weight_layers(model)]
    per_example = []
    for i in range(x.shape[0]):
        g = torch.autograd.grad(loss_of(model, x[i:i + 1], y[i:i + 1]), weights)
        per_example.append(torch.cat([t.flatten() for t in g]).numpy())
    g = np.stack(per_example)  # [examples, weights]
    votes = np.sign(g).sum(0)
    total = float(np.abs(votes).sum())
    small = np.abs(g) < 1e-6 * np.abs(g).max(axis=1, keepdims=True)
    fragile = int((small & (g != 0)).any(axis=0).sum())
    return total, total / g.shape[1], fragile


def summary(tensor, salt):
    s = tensor.flatten().numpy()
    n = s.size
    stride = -(-n // SAMPLES)
    h = conv.hashed_values(n, salt, 0.0, 1.0).astype(np.float64)
    return dict(stride=stride, entries=[float("%.9g" % v) for v in s[::stride]],
                projection=float(np.dot(s, h)), norm=float(np.linalg.norm(s)), salt=salt)


def fixture_for(name):
    model, tensors = build(name)
    x = torch.from_numpy(conv.hashed_values(N * 28 * 28, 2000, 0.5, 0.5)).reshape(N, 1, 28, 28).double()
    y = torch.tensor(LABELS)
    layers = [n for n, _ in weight_layers(model)]

    def per_layer(scores):
        return {f"{layer}.weight": summary(s, 9000 + i) for i, (layer, s) in enumerate(zip(layers, scores))}

    model.eval()
    result = dict(tensors=tensors, input=dict(shape=[N, 1, 28, 28], salt=2000, offset=0.5, scale=0.5), labels=LABELS)
    result["snip"] = per_layer(snip(model, x, y))
    result["grasp"] = per_layer(grasp_hg(model, x, y, 200.0))
    synflow_scores = synflow(model, [1, 28, 28])
    result["synflow"] = per_layer(synflow_scores)
    model.train()
    gs_sum, gs_mean, fragile = gradsign(model, x, y)
    weights = [m.weight for _, m in weight_layers(model)]
    grads = torch.autograd.grad(loss_of(model, x, y), weights)
    result["proxies"] = dict(
        synflow=float(sum(s.sum() for s in synflow_scores)),
        snip=float(sum(s.sum() for s in snip(model, x, y))),
        grasp=-float(sum(s.sum() for s in grasp_hg(model, x, y, 1.0))),
        fisher=fisher(model, x, y),
        grad_norm=float(sum(g.norm() for g in grads)),
        jacob_cov=jacob_cov(model, x),
        gradsign_sum=gs_sum,
        gradsign_mean=gs_mean,
    )
    result["gradsign_fragile"] = fragile
    return result


def main():
    torch.set_num_threads(1)
    fixtures = {name: fixture_for(name) for name in MODELS}
    directory = os.path.join(ROOT, "Tests", "InitiumPruneTests", "Fixtures")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "pruning_scores.json")
    with open(path, "w") as f:
        json.dump(fixtures, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")
    for name, fixture in fixtures.items():
        print(name, fixture["proxies"], "gradsign_fragile", fixture["gradsign_fragile"])


if __name__ == "__main__":
    main()
