#!/usr/bin/env python3
"""Pruning at initialization, method by method, at one density (issue 7, acceptance 2).

Runs `initium prune` for SynFlow, SNIP, GraSP, magnitude and random (and the dense network) with
the same model, seed and training, and prints a Markdown table of test accuracy, ShrinkBench
metrics and collapsed layers, sorted by accuracy. Extra arguments go to every `initium prune`.

    scripts/prune_table.py --initium .build/release/initium --model lenet300 --density 0.01 -- \\
        --epochs 3 --optimizer adam --lr 0.0012 --seed 0
    scripts/prune_table.py --model conv4 --density 0.01 -- --include-classifier \\
        --limit-train 10000 --epochs 2 --optimizer adam --lr 0.001 --seed 0
"""
import argparse
import json
import subprocess
import sys

METHODS = ["synflow", "snip", "grasp", "magnitude", "random"]


def run(initium, model, method, density, extra):
    command = [initium, "prune", "--model", model, "--method", method, "--density", str(density), "--allow-collapse", "--json"] + extra
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(" ".join(command) + " failed: " + result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--initium", default=".build/release/initium")
    parser.add_argument("--model", default="lenet300")
    parser.add_argument("--density", type=float, default=0.01)
    parser.add_argument("extra", nargs="*", help="arguments passed to every initium prune (after --)")
    args = parser.parse_args()
    rows = [("dense", run(args.initium, args.model, "random", 1, args.extra))]
    for method in METHODS:
        rows.append((method, run(args.initium, args.model, method, args.density, args.extra)))
        print(f"{method}: {rows[-1][1]['test_accuracy']:.4f}", file=sys.stderr)
    print(f"\n{args.model} at density {args.density} ({' '.join(args.extra)})\n")
    print("| method | test accuracy | density | compression ratio | theoretical speedup | collapsed layers | layer densities |")
    print("|---|---|---|---|---|---|---|")
    for name, r in [rows[0]] + sorted(rows[1:], key=lambda row: -row[1]["test_accuracy"]):
        layers = ", ".join(f"{l['density']:.4f}" for l in r["layers"])
        collapsed = ", ".join(r["collapsed_layers"]) or "none"
        print(f"| {name} | {r['test_accuracy']:.4f} | {r['density']:.4f} | {r['compression_ratio']:.1f} | "
              f"{r['theoretical_speedup']:.1f} | {collapsed} | {layers} |")


if __name__ == "__main__":
    main()
