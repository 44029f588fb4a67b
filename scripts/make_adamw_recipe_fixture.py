#!/usr/bin/env python3
"""Fixture for Tests/InitiumNNTests/AdamWRecipeTests.swift: PyTorch 1.13 (/usr/bin/python3) trains a
tiny Linear(3,4) -> LayerNorm(4) -> Linear(4,2) (Initium's Sequential names 0, 1, 2) for 4 full-batch
steps with issue 11's recipe: AdamW (betas 0.9/0.999, eps 1e-8, weight decay 0.3 on the Linear
weights only: parameter groups as Initium's default), learning rate
0.05 * min(1, (t+1)/2) * (1 + cos(pi t/4))/2, clip_grad_norm_ to 0.5 before every step, and a
learning-rate multiplier 0.5 on `2.weight` (a parameter group with lr * 0.5). It writes the initial
values, the data, the losses and the final values to Tests/InitiumNNTests/Fixtures/adamw_recipe.json."""
import json
import math
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Linear(4, 2))
with torch.no_grad():
    model[1].weight.copy_(torch.tensor([1.1, 0.9, 1.2, 0.8]))
    model[1].bias.copy_(torch.tensor([0.1, -0.1, 0.05, 0.0]))
x = torch.randn(6, 3) * 2
y = torch.tensor([0, 1, 1, 0, 1, 0])
initial = {n: p.detach().flatten().tolist() for n, p in model.named_parameters()}
base, warmup, total = 0.05, 2, 4
groups = [
    dict(params=[model[0].weight], weight_decay=0.3, multiplier=1.0),
    dict(params=[model[2].weight], weight_decay=0.3, multiplier=0.5),
    dict(params=[model[0].bias, model[1].weight, model[1].bias, model[2].bias], weight_decay=0.0, multiplier=1.0),
]
optimizer = torch.optim.AdamW(groups, lr=base, betas=(0.9, 0.999), eps=1e-8)
losses, norms = [], []
for t in range(total):
    rate = base * min(1.0, (t + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * t / total))
    for g in optimizer.param_groups:
        g["lr"] = rate * g["multiplier"]
    loss = F.cross_entropy(model(x), y)
    optimizer.zero_grad()
    loss.backward()
    norms.append(torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5).item())
    optimizer.step()
    losses.append(loss.item())
out = dict(inputs=x.flatten().tolist(), labels=y.tolist(), initial=initial, losses=losses, gradient_norms=norms,
           final={n: p.detach().flatten().tolist() for n, p in model.named_parameters()})
path = os.path.join(os.path.dirname(__file__), "..", "Tests", "InitiumNNTests", "Fixtures", "adamw_recipe.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print(path)
