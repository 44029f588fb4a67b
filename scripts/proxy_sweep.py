#!/usr/bin/env python3
"""Zero-cost proxies against brief training on random architectures (issue 7, acceptance 4).

For N random MLP and convolutional architectures on Fashion-MNIST this script runs
`initium proxies` on the untrained network and `initium train` on the same network (same seed, so
the same initial weights), then reports the Spearman rank correlation of every proxy with the test
accuracy, in the way Abdelfattah et al. (ICLR 2021) report theirs against NAS-Bench-201.

    scripts/proxy_sweep.py --initium .build/release/initium --count 30 --out proxy_sweep.json

Architectures are drawn from a seeded generator: MLPs with 1-4 hidden layers of widths 16-512,
and the lottery-ticket/LeNet convnets, each with a random activation and initialization scheme.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys
import tempfile

PROXIES = ["synflow", "snip", "grasp", "fisher", "grad_norm", "jacob_cov", "gradsign_sum", "gradsign_mean"]


def architectures(count, conv_count, seed):
    """`count` distinct (model, activation, init) triples, `conv_count` of them convolutional."""
    rng = random.Random(seed)
    acts = ["relu", "tanh", "gelu", "leaky-relu", "elu", "sigmoid"]
    inits = ["torch-default", "he-normal", "glorot-uniform", "lecun-normal"]
    chosen, seen = [], set()
    while len(chosen) < conv_count:
        triple = (rng.choice(["lenet5", "conv2", "conv4", "conv6"]), rng.choice(acts[:5]), rng.choice(inits))
        if triple not in seen:
            seen.add(triple)
            chosen.append(triple)
    while len(chosen) < count:
        hidden = [rng.choice([16, 32, 64, 128, 256, 512]) for _ in range(rng.randint(1, 4))]
        triple = ("mlp:" + "-".join(str(w) for w in [784] + hidden + [10]), rng.choice(acts), rng.choice(inits))
        if triple not in seen:
            seen.add(triple)
            chosen.append(triple)
    return chosen


def last_json(command):
    """Runs an initium command and returns the JSON object on its last stdout line."""
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(" ".join(command) + " failed: " + result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout.strip().splitlines()[-1])


def ranks(values):
    """Average ranks (1-based), ties sharing the mean of their positions."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs, ys):
    """Spearman's rho: Pearson correlation of the ranks, over pairs where both are finite."""
    pairs = [(x, y) for x, y in zip(xs, ys) if isinstance(x, (int, float)) and math.isfinite(x) and math.isfinite(y)]
    if len(pairs) < 3:
        return float("nan"), len(pairs)
    rx, ry = ranks([p[0] for p in pairs]), ranks([p[1] for p in pairs])
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sx = math.sqrt(sum((a - mx) ** 2 for a in rx))
    sy = math.sqrt(sum((b - my) ** 2 for b in ry))
    return (cov / (sx * sy) if sx > 0 and sy > 0 else float("nan")), len(pairs)


def number(value):
    """JSON numbers, and the strings "nan"/"inf" that initium writes for non-finite values."""
    return float(value) if isinstance(value, str) else value


def write_atomically(path, text):
    directory = os.path.dirname(os.path.abspath(path))
    with tempfile.NamedTemporaryFile("w", dir=directory, delete=False) as handle:
        handle.write(text)
    os.replace(handle.name, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--initium", default=".build/release/initium")
    parser.add_argument("--count", type=int, default=30)
    parser.add_argument("--conv", type=int, default=8, help="how many of them are convolutional")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--batch", type=int, default=64, help="proxy batch (zero-cost-nas: 64)")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--limit-train", type=int, default=6000)
    parser.add_argument("--lr", default="0.001")
    parser.add_argument("--out", default="proxy_sweep.json")
    args = parser.parse_args()

    rows = []
    for index, (model, act, init) in enumerate(architectures(args.count, args.conv, args.seed)):
        common = ["--model", model, "--act", act, "--init", init, "--seed", str(args.seed), "--json"]
        try:
            proxies = last_json([args.initium, "proxies", "--batch", str(args.batch)] + common)
            trained = last_json([args.initium, "train", "--epochs", str(args.epochs), "--limit-train", str(args.limit_train),
                                 "--optimizer", "adam", "--lr", args.lr] + common)
        except RuntimeError as error:
            print(f"[{index + 1}/{args.count}] {model} {act} {init}: {error}", file=sys.stderr)
            continue
        row = {"model": model, "act": act, "init": init, "test_accuracy": trained["test_accuracy"]}
        row.update({name: number(proxies[name]) for name in PROXIES})
        rows.append(row)
        print(f"[{index + 1}/{args.count}] {model} {act} {init}: accuracy {row['test_accuracy']:.4f}", file=sys.stderr)
        write_atomically(args.out, json.dumps({"rows": rows}, indent=1))

    accuracy = [r["test_accuracy"] for r in rows]
    correlations = {}
    print(f"\nSpearman rank correlation with test accuracy over {len(rows)} architectures\n")
    print("| proxy | Spearman ρ | n |")
    print("|---|---|---|")
    for name in PROXIES:
        rho, n = spearman([r[name] for r in rows], accuracy)
        correlations[name] = {"spearman": rho, "n": n}
        print(f"| {name} | {rho:+.3f} | {n} |")
    write_atomically(args.out, json.dumps({"rows": rows, "spearman": correlations, "settings": vars(args)}, indent=1))
    print(json.dumps({name: correlations[name]["spearman"] for name in PROXIES}))


if __name__ == "__main__":
    main()
