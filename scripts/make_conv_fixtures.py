#!/usr/bin/python3
"""Writes Tests/InitiumNNTests/Fixtures/conv_models.json: PyTorch's outputs for Initium's
convolutional models on fixed weights, so the Swift tests check the architectures without PyTorch.

Run with Debian's PyTorch: /usr/bin/python3 scripts/make_conv_fixtures.py

lenet5 and resnet20 come from Benchmarks/peers/torch_train_bench.py (the definitions Initium must
match exactly); conv2/4/6, vgg11 and resnet20-nonorm are written here from their papers, with the
adaptations documented in Sources/InitiumNN/Models.

Full-size weights of conv2 or vgg11 would take tens of megabytes, so instead of storing weights
the fixture stores, for every state_dict tensor, the parameters of a tiny integer hash that both
this script and the Swift test turn into the same float32 values (see `hashed_values`). Outputs
are stored in full. For each model the file holds:
  tensors:   [{name, shape, salt, offset, scale, buffer}]  in state_dict order
  input:     {shape, salt, offset, scale}                  a batch of two 1x28x28 images
  eval:      output logits in inference mode (running statistics)
  train:     output logits in training mode (batch statistics; models with batch norm only)
  running:   {name: values} running statistics after that training-mode pass
  parameter_count: sum of numel over model.parameters() (buffers excluded)
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks", "peers"))
import torch_train_bench as peer  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hashed_values import hashed_values  # noqa: E402  (the Swift tests compute the same hash)


def conv_stack(stages, hidden, features):
    """Conv-2/4/6 and VGG-11 as in ConvNet.swift: 3x3 'same' convolutions with ReLU, 2x2 max-pools,
    then a fully connected head."""
    layers, channels = [], 1
    for s in stages:
        if s == "M":
            layers.append(nn.MaxPool2d(2))
        else:
            layers += [nn.Conv2d(channels, s, 3, padding=1), nn.ReLU()]
            channels = s
    widths = [features] + hidden + [10]
    layers.append(nn.Flatten())
    for i, (a, b) in enumerate(zip(widths, widths[1:])):
        layers.append(nn.Linear(a, b))
        if i < len(widths) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


class FixupBlock(nn.Module):
    """The no-normalization basic block with Fixup's scalars (Zhang et al. 2019, reference code),
    named as Initium's paths."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.bias1a = nn.Parameter(torch.zeros(1))
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bias1b = nn.Parameter(torch.zeros(1))
        self.bias2a = nn.Parameter(torch.zeros(1))
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.scale = nn.Parameter(torch.ones(1))
        self.bias2b = nn.Parameter(torch.zeros(1))
        self.shortcut = None
        if stride != 1 or cin != cout:
            self.shortcut = nn.Module()
            self.shortcut.conv = nn.Conv2d(cin, cout, 1, stride, bias=False)

    def forward(self, x):
        xb = x + self.bias1a
        y = F.relu(self.conv1(xb) + self.bias1b)
        y = self.conv2(y + self.bias2a) * self.scale + self.bias2b
        return F.relu(y + (x if self.shortcut is None else self.shortcut.conv(xb)))


class FixupResNet(nn.Module):
    def __init__(self, depth):
        super().__init__()
        n = (depth - 2) // 6
        self.stem = nn.Module()
        self.stem.conv = nn.Conv2d(1, 16, 3, 1, 1, bias=False)
        self.stem.bias = nn.Parameter(torch.zeros(1))
        self.stages = nn.ModuleList()
        cin = 16
        for i, c in enumerate((16, 32, 64)):
            stage = nn.Module()
            stage.blocks = nn.ModuleList()
            for j in range(n):
                stage.blocks.append(FixupBlock(cin, c, 2 if (j == 0 and i > 0) else 1))
                cin = c
            self.stages.append(stage)
        self.classifier_input_bias = nn.Parameter(torch.zeros(1))
        self.classifier = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.stem.conv(x) + self.stem.bias)
        for stage in self.stages:
            for block in stage.blocks:
                x = block(x)
        x = F.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.classifier(x + self.classifier_input_bias)


MODELS = {
    "lenet5": peer.lenet5,
    "conv2": lambda: conv_stack([64, 64, "M"], [256, 256], 64 * 14 * 14),
    "conv4": lambda: conv_stack([64, 64, "M", 128, 128, "M"], [256, 256], 128 * 7 * 7),
    "conv6": lambda: conv_stack([64, 64, "M", 128, 128, "M", 256, 256, "M"], [256, 256], 256 * 3 * 3),
    "vgg11": lambda: conv_stack([64, "M", 128, "M", 256, 256, "M", 512, 512, "M", 512, 512], [512, 512], 512),
    "resnet20": lambda: peer.resnet(20),
    "resnet20-nonorm": lambda: FixupResNet(20),
}


def tensor_rule(name, tensor, salt):
    """Deterministic values of a sensible scale for each kind of tensor."""
    last = name.rsplit(".", 1)[-1]
    if tensor.dim() >= 2:  # conv or linear weight: He-uniform scale, var = 2/fan_in
        fan_in = tensor[0].numel()
        return dict(offset=0.0, scale=float(np.sqrt(6.0 / fan_in)))
    if last == "running_var":
        return dict(offset=1.0, scale=0.5)
    if last == "weight":  # batch-norm gamma
        return dict(offset=1.0, scale=0.3)
    if last == "scale":  # Fixup multiplier
        return dict(offset=1.0, scale=0.3)
    return dict(offset=0.0, scale=0.2)  # biases, betas, running means, Fixup biases


def fixture_for(name):
    model = MODELS[name]()
    entries = []
    state = model.state_dict()
    parameter_names = {n for n, _ in model.named_parameters()}
    salt = 1
    for tensor_name, tensor in state.items():
        if not tensor.is_floating_point():
            continue  # num_batches_tracked
        rule = tensor_rule(tensor_name, tensor, salt)
        values = hashed_values(tensor.numel(), salt, rule["offset"], rule["scale"])
        with torch.no_grad():
            tensor.copy_(torch.from_numpy(values).reshape(tensor.shape))
        entries.append(dict(name=tensor_name, shape=list(tensor.shape), salt=salt, buffer=tensor_name not in parameter_names, **rule))
        salt += 1
    input_rule = dict(shape=[2, 1, 28, 28], salt=1000, offset=0.5, scale=0.5)
    x = torch.from_numpy(hashed_values(2 * 28 * 28, 1000, 0.5, 0.5)).reshape(2, 1, 28, 28)
    result = dict(tensors=entries, input=input_rule,
                  parameter_count=sum(p.numel() for p in model.parameters()))
    with torch.no_grad():
        model.eval()
        result["eval"] = model(x).flatten().tolist()
        has_norm = any(isinstance(m, nn.BatchNorm2d) for m in model.modules())
        if has_norm:
            model.train()
            result["train"] = model(x).flatten().tolist()
            result["running"] = {n: t.flatten().tolist() for n, t in model.state_dict().items()
                                 if n.endswith("running_mean") or n.endswith("running_var")}
    return result


def main():
    torch.set_num_threads(1)
    fixtures = {name: fixture_for(name) for name in MODELS}
    path = os.path.join(ROOT, "Tests", "InitiumNNTests", "Fixtures", "conv_models.json")
    with open(path, "w") as f:
        json.dump(fixtures, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
