#!/usr/bin/env python3
"""Random vs graph-partition initialization of LINE node embeddings (issue 14, docs/GRAPH-EMBEDDING.md).

Runs `initium embed-graph` for every dataset, initialization and seed with the same settings and
prints, per dataset and initialization, the mean ± standard deviation over seeds of the node
accuracy, the link AUC and the seconds (initialization + training), and the time each run took to
reach a common link-AUC target: the lower of the two arms' final AUCs for that seed (first epoch at
or above it, from `link_auc_curve` and `epoch_seconds`; initialization included).

Usage: scripts/graph_embedding_study.py [--binary .build/release/initium] [--seeds 0,1,2]
       [--out study.json] DATA:EPOCHS [DATA:EPOCHS ...]
e.g.   scripts/graph_embedding_study.py 'fashion-mnist-knn(n=10000,k=10):10' 'csbm(n=2000,degree=10):20'
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile


def run(binary, data, init, epochs, seed, extra):
    with tempfile.NamedTemporaryFile(suffix=".npy") as out:
        command = [binary, "embed-graph", "--data", data, "--init", init, "--epochs", str(epochs),
                   "--seed", str(seed), "--out", out.name, "--json"] + extra
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            sys.exit(f"{' '.join(command)} failed: {result.stderr.strip()}")
        return json.loads(result.stdout.strip().splitlines()[-1])


def seconds_to(target, report):
    for auc, seconds in zip(report["link_auc_curve"], report["epoch_seconds"]):
        if auc >= target:
            return seconds
    return float("nan")


def summary(values):
    values = [v for v in values if v == v]
    if not values:
        return "—"
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.4f} ± {sd:.4f}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default=".build/release/initium")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--inits", default="random,partition")
    parser.add_argument("--out")
    parser.add_argument("--extra", default="", help="more embed-graph options, e.g. '--dim 64 --batch 512'")
    parser.add_argument("runs", nargs="+", help="DATA:EPOCHS")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    inits = args.inits.split(",")
    everything = {}
    for item in args.runs:
        data, epochs = item.rsplit(":", 1)
        reports = {init: [run(args.binary, data, init, int(epochs), seed, args.extra.split()) for seed in seeds] for init in inits}
        targets = [min(reports[init][i]["link_auc"] for init in inits) for i in range(len(seeds))]
        print(f"\n{data}, {epochs} epochs, seeds {args.seeds}")
        print("| init | node accuracy | link AUC | initial link AUC | seconds (init + train) | init seconds | seconds to common AUC |")
        print("|---|---|---|---|---|---|---|")
        for init in inits:
            rs = reports[init]
            print(f"| {init} | {summary([r['node_accuracy'] for r in rs])} | {summary([r['link_auc'] for r in rs])} | "
                  f"{summary([r['initial_link_auc'] for r in rs])} | {summary([r['seconds'] for r in rs])} | "
                  f"{summary([r['initialization_seconds'] for r in rs])} | "
                  f"{summary([seconds_to(t, r) for t, r in zip(targets, rs)])} |")
        everything[item] = reports
    if args.out:
        with open(args.out, "w") as f:
            json.dump(everything, f, indent=1)


if __name__ == "__main__":
    main()
