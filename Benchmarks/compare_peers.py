#!/usr/bin/env python3
"""`make bench`: runs Initium's benchmarks and, when Debian's python3-torch is installed, the
peer scripts in Benchmarks/peers on the same machine in the same run, and prints ratios.

Each case is timed at every thread count; a ratio compares Initium's best with the peer's best
(higher is better for Initium). `--markdown FILE` also writes the table for BENCHMARKS.md.
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

TORCH_PYTHON = "/usr/bin/python3"

# (group, case name, initium arguments, peer script, peer arguments, metric, higher is better)
TRAIN_CASES = [
    ("train", "mlp:784-1024-1024-10", ["bench", "train", "--model", "mlp:784-1024-1024-10", "--batch", "128",
                                        "--steps", "200", "--warmup", "20"],
     "torch_train_bench.py", ["--model", "mlp:784-1024-1024-10", "--batch", "128", "--steps", "200", "--warmup", "20"]),
]
EXTRA_CASES_FILE = os.path.join(os.path.dirname(__file__), "cases.json")


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            return json.loads(line)
    raise ValueError("no JSON line in output:\n" + text)


def run(command):
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return last_json(result.stdout)


def torch_available():
    if not os.path.exists(TORCH_PYTHON):
        return False
    return subprocess.run([TORCH_PYTHON, "-c", "import torch"], capture_output=True).returncode == 0


def load_cases():
    cases = [dict(group=g, name=n, initium=a, peer=p, peer_args=pa, metric="steps_per_second") for g, n, a, p, pa in TRAIN_CASES]
    if os.path.exists(EXTRA_CASES_FILE):
        with open(EXTRA_CASES_FILE) as f:
            cases += json.load(f)
    return cases


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--initium", default=".build/release/initium")
    parser.add_argument("--peers", default="Benchmarks/peers")
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--only", default="", help="run only cases whose group or name contains this")
    parser.add_argument("--markdown", default="", help="also write the table to this file")
    args = parser.parse_args()
    threads = [int(t) for t in args.threads.split(",")]
    have_torch = torch_available()
    if not have_torch:
        print("note: python3-torch is not installed (scripts/install-system-deps --peers); peer columns are skipped",
              file=sys.stderr)
    rows = []
    for case in load_cases():
        if args.only and args.only not in case["group"] and args.only not in case["name"]:
            continue
        metric = case.get("metric", "steps_per_second")
        ours, theirs = {}, {}
        extra = {}
        # Short cases run several times, alternating the two sides, and keep each side's best:
        # a single run of a sub-second case mostly measures the machine's mood.
        rounds = case.get("rounds", 1)
        for t in threads:
            for _ in range(rounds):
                result = run([args.initium] + case["initium"] + ["--threads", str(t), "--json"])
                ours[t] = max(ours.get(t, 0), result[metric])
                if "peak_rss_mb" in result:
                    extra.setdefault("initium_rss", []).append(result["peak_rss_mb"])
                if have_torch and case.get("peer"):
                    peer = run([TORCH_PYTHON, os.path.join(args.peers, case["peer"])] + case["peer_args"] +
                               ["--threads", str(t), "--json"])
                    theirs[t] = max(theirs.get(t, 0), peer[metric])
                    if "peak_rss_mb" in peer:
                        extra.setdefault("peer_rss", []).append(peer["peak_rss_mb"])
            line = f"{case['group']:6} {case['name']:28} threads {t}: initium {ours[t]:12.4g}"
            if t in theirs:
                line += f"  pytorch {theirs[t]:12.4g}  ratio {ours[t] / theirs[t]:6.2f}"
            print(line, file=sys.stderr, flush=True)
        best_ours = max(ours.values())
        best_theirs = max(theirs.values()) if theirs else None
        rows.append(dict(group=case["group"], name=case["name"], metric=metric, initium=ours, pytorch=theirs,
                         ratio=(best_ours / best_theirs) if best_theirs else None,
                         initium_rss=max(extra.get("initium_rss", [0])) or None,
                         pytorch_rss=max(extra.get("peer_rss", [0])) or None))
    table = render(rows, threads)
    print(table)
    if args.markdown:
        write_markdown(args.markdown, table, have_torch)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write_markdown(path, table, have_torch):
    """Writes BENCHMARKS.md atomically: what was run, on what machine, and the table."""
    peer = "PyTorch " + subprocess.run([TORCH_PYTHON, "-c", "import torch; print(torch.__version__)"],
                                       capture_output=True, text=True).stdout.strip() if have_torch else "no peer"
    text = f"""# Benchmarks

Latest `make bench` (written by `Benchmarks/compare_peers.py --markdown BENCHMARKS.md`).

- Date: {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
- Machine: {cpu_model()}, {os.cpu_count()} cores, {platform.platform()}
- Peer: {peer} (Debian `python3-torch`), scripts in `Benchmarks/peers/`, run on the same machine in the same run
- Commands: `make bench`, i.e. `python3 Benchmarks/compare_peers.py --initium .build/release/initium --peers Benchmarks/peers`;
  each case is `initium bench train|init … --threads T --json` and the peer script with the same arguments,
  for T in 1 and 2; release build; cases are listed in `Benchmarks/compare_peers.py` and `Benchmarks/cases.json`
  (initialization cases: best of 3 alternating runs per side).
- `best/best` is Initium's best thread count over PyTorch's best (higher is better for Initium);
  training is `steps_per_second` (forward, loss, backward, SGD update; batch 128), initialization is
  `values_per_second` for one 4096×4096 tensor. RSS is the peak resident set size of the training process.

{table}
"""
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def render(rows, threads):
    head = "| group | case | metric | " + " | ".join(f"Initium {t}T" for t in threads) + " | " + \
           " | ".join(f"PyTorch {t}T" for t in threads) + " | best/best | RSS MB (Initium / PyTorch) |"
    lines = [head, "|" + "---|" * (5 + 2 * len(threads))]
    for r in rows:
        ours = " | ".join(f"{r['initium'].get(t, float('nan')):.4g}" for t in threads)
        theirs = " | ".join(f"{r['pytorch'][t]:.4g}" if t in r["pytorch"] else "—" for t in threads)
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] else "—"
        rss = f"{r['initium_rss']:.0f} / {r['pytorch_rss']:.0f}" if r["initium_rss"] and r["pytorch_rss"] else "—"
        lines.append(f"| {r['group']} | {r['name']} | {r['metric']} | {ours} | {theirs} | {ratio} | {rss} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
