#!/usr/bin/env python3
"""Peer benchmark: PyTorch training-step throughput of a nanoGPT-style byte-level GPT, the model of
Initium's `bench train --model gpt:layers=4,width=128,heads=4,context=128`.

Run with Debian's PyTorch (`/usr/bin/python3`). One step is what Initium's `train` does for this
model with `--optimizer adamw --clip 1`: forward on a batch of token windows [batch, context],
cross-entropy over the [batch*context, 256] logits, backward, clip_grad_norm_ to 1, AdamW step
(lr 3e-3, weight decay 0.1 on Linear weights only). The model is Benchmarks/peers/torch_gpt.py
(GPT-2 initialization, tied head). Prints one JSON object as its last line:
{"peer": "pytorch", "model": ..., "threads": ..., "steps_per_second": ..., "samples_per_second": ...,
 "peak_rss_mb": ...}
"""
import argparse
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_gpt import GPT, parameter_groups  # noqa: E402
from torch_train_bench import report_steps  # noqa: E402


def parse(spec):
    """gpt:layers=4,width=128,heads=4,context=128[,ffn=F] -> keyword arguments of GPT."""
    if not spec.startswith("gpt:"):
        raise SystemExit(f"unknown model {spec}; expected gpt:layers=…,width=…,heads=…,context=…")
    values = dict(part.split("=") for part in spec[4:].split(","))
    names = dict(layers="layers", width="width", heads="heads", context="context", ffn="hidden")
    return {names[k]: int(v) for k, v in values.items()}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", default="gpt:layers=4,width=128,heads=4,context=128")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = GPT(**parse(a.model))
    opt = torch.optim.AdamW(parameter_groups(model, 0.1), lr=3e-3, betas=(0.9, 0.999), eps=1e-8)
    x = torch.randint(0, 256, (a.batch, model.context))
    y = torch.randint(0, 256, (a.batch * model.context,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()

    report_steps(step, a)


if __name__ == "__main__":
    main()
