#!/usr/bin/python3
"""Writes Tests/InitiumNNTests/Fixtures/model_gradients.json: PyTorch's gradients of the mean
cross-entropy with respect to every parameter of every Initium model, on fixed weights and a fixed
batch, so the Swift tests check each architecture's backward pass without PyTorch.

Run with Debian's PyTorch: /usr/bin/python3 scripts/make_gradient_fixtures.py

The models and the weight rule are those of scripts/make_conv_fixtures.py (imported, so both
fixtures describe the same networks): every state_dict tensor is filled with the float32 values of
a tiny integer hash that the Swift test reproduces, so no weights are stored. Added here: the two
MLPs (lenet300 with ReLU, mlp:784-128-64-10 with tanh). The backward pass runs in training mode
(batch normalization on batch statistics, the mode every training step uses) on a batch of four
1x28x28 images with labels [3, 7, 0, 9].

The reference is computed in float64 from the float32 weights and inputs, so the recorded error is
Initium's float32 error alone. Storing every gradient entry of conv2 or vgg11 would take hundreds
of megabytes; for each parameter the fixture holds
  entries:    the gradient at entries 0, stride, 2·stride, … (stride = ⌈n/512⌉, so every entry
              when there are at most 512), to 9 significant digits
  projection: Σᵢ gᵢ·hᵢ over *all* entries, h the hash with salt 7000 + parameter index,
              offset 0, scale 1 (a random projection: any wrong entry moves it)
  norm:       ‖g‖₂ over all entries
plus the loss and the logits.

ReLU′(0): PyTorch's ReLU passes no gradient at an input of exactly 0, Initium's passes all of it
(ReLU′(0) = 1, which ZerO's `Zero_Relu` needs). Random weights never produce exact zeros, but a
zero-initialized residual branch does: at Fixup's initialization (every block's conv2 and every
scalar bias 0, multipliers 1) a block computes ReLU(0 + x) with x = ReLU(·) ≥ 0, exactly 0 wherever
x is. The extra model "resnet8-nonorm@fixup-init" is that network (other weights hashed as above,
the classifier too so gradients reach the blocks); its `gradients` are computed with a ReLU whose
derivative at 0 is 1 (Initium's convention) and `pytorch_relu_gradients` with torch's own ReLU.
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
LABELS = [3, 7, 0, 9]

MODELS = {
    "lenet300": lambda: conv.peer.mlp("mlp:784-300-100-10", nn.ReLU),
    "mlp:784-128-64-10": lambda: conv.peer.mlp("mlp:784-128-64-10", nn.Tanh),
    **conv.MODELS,
}
MODELS["resnet8-nonorm@fixup-init"] = lambda: conv.FixupResNet(8)
ACTIVATIONS = {"mlp:784-128-64-10": "tanh"}
FIXUP_ZERO = ("conv2.weight", "bias1a", "bias1b", "bias2a", "bias2b", "stem.bias", "classifier_input_bias")


class ReLUWithUnitSlopeAtZero(torch.autograd.Function):
    """max(0, x) with derivative 1 at x = 0 (ZerO's Zero_Relu: grad[input < 0] = 0 only)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * (x >= 0).to(g.dtype)


class FunctionalWithUnitSlopeReLU:
    """torch.nn.functional with relu replaced, for the Fixup network's forward."""

    def __getattr__(self, name):
        return ReLUWithUnitSlopeAtZero.apply if name == "relu" else getattr(F, name)


def backward_pass(model, x):
    model.zero_grad()
    logits = model(x)
    loss = F.cross_entropy(logits, torch.tensor(LABELS))
    loss.backward()
    return logits, loss


def fixture_for(name):
    torch.manual_seed(0)  # the constructors draw weights that are all overwritten below
    model = MODELS[name]()
    entries = []
    parameter_names = {n for n, _ in model.named_parameters()}
    salt = 1
    for tensor_name, tensor in model.state_dict().items():
        if not tensor.is_floating_point():
            continue  # num_batches_tracked
        rule = conv.tensor_rule(tensor_name, tensor, salt)
        if name.endswith("@fixup-init") and tensor_name.endswith(FIXUP_ZERO):
            rule = dict(offset=0.0, scale=0.0)
        elif name.endswith("@fixup-init") and tensor_name.endswith("scale"):
            rule = dict(offset=1.0, scale=0.0)
        values = conv.hashed_values(tensor.numel(), salt, rule["offset"], rule["scale"])
        with torch.no_grad():
            tensor.copy_(torch.from_numpy(values).reshape(tensor.shape))
        entries.append(dict(name=tensor_name, shape=list(tensor.shape), salt=salt,
                            buffer=tensor_name not in parameter_names, **rule))
        salt += 1
    model = model.double()
    input_rule = dict(shape=[4, 1, 28, 28], salt=1000, offset=0.5, scale=0.5)
    x = torch.from_numpy(conv.hashed_values(4 * 28 * 28, 1000, 0.5, 0.5)).reshape(4, 1, 28, 28).double()
    model.train()
    pytorch_relu = None
    if name.endswith("@fixup-init"):
        backward_pass(model, x)
        pytorch_relu = summaries(model)
        conv.F = FunctionalWithUnitSlopeReLU()
        try:
            logits, loss = backward_pass(model, x)
        finally:
            conv.F = F
    else:
        logits, loss = backward_pass(model, x)
    result = dict(tensors=entries, input=input_rule, labels=LABELS, activation=ACTIVATIONS.get(name, "relu"),
                  loss=float(loss), logits=logits.detach().flatten().tolist(), gradients=summaries(model))
    if pytorch_relu is not None:
        result["pytorch_relu_gradients"] = pytorch_relu
    return result


def summaries(model):
    gradients = []
    for index, (pname, p) in enumerate(model.named_parameters()):
        g = p.grad.detach().flatten().numpy()
        n = g.size
        stride = -(-n // SAMPLES)  # ceil: entries 0, stride, 2·stride, … (every entry when n ≤ SAMPLES)
        indices = list(range(0, n, stride))
        h = conv.hashed_values(n, 7000 + index, 0.0, 1.0).astype(np.float64)
        gradients.append(dict(name=pname, stride=stride, entries=[float("%.9g" % v) for v in g[indices]],
                              projection=float(np.dot(g, h)), norm=float(np.linalg.norm(g)),
                              salt=7000 + index))
    return gradients


def main():
    torch.set_num_threads(1)
    fixtures = {name: fixture_for(name) for name in MODELS}
    path = os.path.join(ROOT, "Tests", "InitiumNNTests", "Fixtures", "model_gradients.json")
    with open(path, "w") as f:
        json.dump(fixtures, f, separators=(",", ":"))
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
