#!/usr/bin/env python3
"""Peer benchmark: PyTorch SIREN fitting-step throughput, the network and setup of Initium's
`initium bench fit` (SIREN's image fit, Sitzmann et al. 2020, `explore_siren.ipynb`).

Run with Debian's PyTorch (`/usr/bin/python3`). The network is `layers` Linear layers of
`width` units with sin(omega * x) after every one but the last (SIREN's first-layer and hidden
initialization; the timing does not depend on it), fed the size x size grid of coordinates in
[-1, 1] (SIREN's get_mgrid), all points in one batch; a step is forward, MSE against a fixed
target, backward and a full-batch Adam update (lr 1e-4). Prints one JSON object as its last line:
{"peer": "pytorch", "model": ..., "threads": ..., "steps_per_second": ..., "samples_per_second": ..., "peak_rss_mb": ...}
"""
import argparse
import math

import torch
import torch.nn as nn

from torch_train_bench import report_steps


class Sine(nn.Module):
    def __init__(self, omega):
        super().__init__()
        self.omega = omega

    def forward(self, x):
        return torch.sin(self.omega * x)


def siren(inputs, outputs, layers, width, omega):
    sizes = [inputs] + [width] * (layers - 1) + [outputs]
    modules = []
    for i, (a, b) in enumerate(zip(sizes, sizes[1:])):
        linear = nn.Linear(a, b)
        with torch.no_grad():
            bound = 1 / a if i == 0 else math.sqrt(6 / a) / omega
            linear.weight.uniform_(-bound, bound)
        modules.append(linear)
        if i < len(sizes) - 2:
            modules.append(Sine(omega))
    return nn.Sequential(*modules)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, default=256)
    p.add_argument("--layers", type=int, default=5)
    p.add_argument("--width", type=int, default=256)
    p.add_argument("--omega", type=float, default=30)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = siren(2, 1, a.layers, a.width, a.omega)
    axis = torch.linspace(-1, 1, a.size)
    coords = torch.stack(torch.meshgrid(axis, axis, indexing="ij"), dim=-1).reshape(-1, 2)
    target = torch.rand(a.size * a.size, 1) * 2 - 1
    opt = torch.optim.Adam(model.parameters(), lr=1e-4)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = ((model(coords) - target) ** 2).mean()
        loss.backward()
        opt.step()

    a.model = f"inr:in=2,out=1,layers={a.layers},width={a.width},act=sine(omega={a.omega:g})"
    a.batch = a.size * a.size
    report_steps(step, a)


if __name__ == "__main__":
    main()
