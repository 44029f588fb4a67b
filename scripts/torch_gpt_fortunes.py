#!/usr/bin/env python3
"""Reference run of issue 11's acceptance 1 in PyTorch (torch 1.13, /usr/bin/python3): a nanoGPT
GPT (layers=4, width=128, heads=4, context=128, vocabulary 256, GPT-2 init, pre-LN, tied head)
trained on `fortunes-bytes` for 1,000 steps of batch 32 with AdamW (lr 0.003, betas (0.9, 0.999),
eps 1e-8, weight decay 0.1 on Linear weights only), learning rate
0.003 * min(1, (t+1)/100) * (1 + cos(pi t/1000))/2, gradient clipping at global norm 1
(clip_grad_norm_), over shuffled non-overlapping windows (a new permutation every epoch from
seed 0; the last batch of an epoch may be smaller, as in Initium), then the validation loss
(mean cross-entropy in nats per byte over every validation window).

The Initium command it is compared with:
  initium train --model gpt:layers=4,width=128,heads=4,context=128 --init gpt2 --data fortunes-bytes \
    --steps 1000 --batch 32 --optimizer adamw --lr 0.003 --weight-decay 0.1 --warmup 100 --clip 1 --seed 0 --json

Usage: nice /usr/bin/python3 scripts/torch_gpt_fortunes.py [--threads 1] [--out Benchmarks/reference/gpt_fortunes_torch.json]
"""
import argparse
import json
import math
import os
import resource
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "Benchmarks", "peers"))
from fortunes_bytes import splits, windows  # noqa: E402
from torch_gpt import GPT, learning_rate, parameter_groups  # noqa: E402


def tensors(stream, context):
    xs, ys = windows(stream, context)
    to = lambda rows: torch.tensor([list(r) for r in rows], dtype=torch.long)  # noqa: E731
    return to(xs), to(ys)


@torch.no_grad()
def validation_loss(model, x, y, batch=64):
    model.eval()
    total, count = 0.0, 0
    for i in range(0, len(x), batch):
        logits = model(x[i:i + batch])
        total += F.cross_entropy(logits, y[i:i + batch].reshape(-1), reduction="sum").item()
        count += y[i:i + batch].numel()
    model.train()
    return total / count


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--steps", type=int, default=1000)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=0.003)
    p.add_argument("--warmup", type=int, default=100)
    p.add_argument("--weight-decay", type=float, default=0.1)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--width", type=int, default=128)
    p.add_argument("--heads", type=int, default=4)
    p.add_argument("--context", type=int, default=128)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--out", default="")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    train_bytes, valid_bytes = splits()
    x, y = tensors(train_bytes, a.context)
    vx, vy = tensors(valid_bytes, a.context)
    model = GPT(a.layers, a.width, a.heads, a.context)
    optimizer = torch.optim.AdamW(parameter_groups(model, a.weight_decay), lr=a.lr, betas=(0.9, 0.999), eps=1e-8)
    order = torch.Generator().manual_seed(a.seed)
    initial = validation_loss(model, vx, vy)
    print(f"{len(train_bytes)} training bytes ({len(x)} windows), {len(valid_bytes)} validation bytes ({len(vx)} windows); "
          f"initial validation loss {initial:.4f}", file=sys.stderr, flush=True)

    step, losses, start = 0, [], time.perf_counter()
    while step < a.steps:
        permutation = torch.randperm(len(x), generator=order)
        for i in range(0, len(x), a.batch):
            if step == a.steps:
                break
            rows = permutation[i:i + a.batch]
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(step, a.lr, a.warmup, a.steps)
            loss = F.cross_entropy(model(x[rows]), y[rows].reshape(-1))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), a.clip)
            optimizer.step()
            losses.append(loss.item())
            step += 1
            if step % 50 == 0:
                print(f"step {step}: loss {sum(losses[-50:]) / 50:.4f} ({step / (time.perf_counter() - start):.2f} steps/s)",
                      file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    final = validation_loss(model, vx, vy)
    out = {
        "peer": "pytorch", "version": torch.__version__, "threads": a.threads,
        "model": f"gpt:layers={a.layers},width={a.width},heads={a.heads},context={a.context}",
        "recipe": dict(init="gpt2", steps=a.steps, batch=a.batch, optimizer="adamw", lr=a.lr, betas=[0.9, 0.999],
                       weight_decay=a.weight_decay, decay="linear weights only", warmup=a.warmup, schedule="cosine",
                       clip=a.clip, seed=a.seed),
        "train_bytes": len(train_bytes), "validation_bytes": len(valid_bytes),
        "train_windows": len(x), "validation_windows": len(vx),
        "initial_validation_loss": initial,
        "validation_loss": final, "validation_bits_per_byte": final / math.log(2),
        "train_loss_last_50": sum(losses[-50:]) / min(50, len(losses)),
        "train_loss_every_50": [sum(losses[i:i + 50]) / len(losses[i:i + 50]) for i in range(0, len(losses), 50)],
        "steps_per_second": a.steps / seconds, "seconds": seconds,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    text = json.dumps(out)
    if a.out:
        with open(a.out, "w") as f:
            f.write(json.dumps(out, indent=1) + "\n")
    print(text)


if __name__ == "__main__":
    main()
