#!/usr/bin/env bash
# Issue 15, acceptance 6: GraNet at 10% final density, sketching at 1% and 5%, and layer-level
# lottery tickets on lenet300 and conv4 (Fashion-MNIST), against SNIP, SynFlow and IMP at the same
# densities, every network trained with the same budget. Prints two Markdown tables on stdout
# (progress on stderr) and keeps every command's JSON in $OUT.
#
#   scripts/acceptance/probe2-pruning-table.sh                       # defaults below
#   INITIUM=.build/release/initium EPOCHS=1 CONV_LIMIT=5000 scripts/acceptance/probe2-pruning-table.sh
#
# Budget knobs: EPOCHS (per network), LENET_LIMIT / CONV_LIMIT (training examples; empty = all
# 60,000), MODELS (default "lenet300 conv4"), LAYER_CONTROLS=0 skips the random-removal control of the layer lottery.
# IMP reaches each density in one level (--rate 0.9, 0.95, 0.99: train dense, prune the smallest
# trained magnitudes globally, rewind to initialization, retrain); the dense row is its level 0.
set -euo pipefail

INITIUM=${INITIUM:-.build/release/initium}
EPOCHS=${EPOCHS:-1}
SEED=${SEED:-0}
LENET_LIMIT=${LENET_LIMIT:-}
CONV_LIMIT=${CONV_LIMIT:-5000}
LAYER_CONTROLS=${LAYER_CONTROLS:-1}
OUT=${OUT:-out/probe2-pruning}
MODELS=${MODELS:-lenet300 conv4}
mkdir -p "$OUT"

# model, its training flags, and GraNet's update frequency (steps)
declare -A FLAGS=(
  [lenet300]="--optimizer adam --lr 0.0012"
  [conv4]="--optimizer adam --lr 0.0003"
)
declare -A LIMIT=([lenet300]="$LENET_LIMIT" [conv4]="$CONV_LIMIT")
declare -A FREQUENCY=([lenet300]=50 [conv4]=5)

run() { # name, then the initium arguments
  local name=$1; shift
  if [[ ! -s "$OUT/$name.json" ]]; then
    echo "== initium $*" >&2
    if "$INITIUM" "$@" --json 2> "$OUT/$name.log" | tail -n 1 > "$OUT/$name.json.tmp" && [[ ${PIPESTATUS[0]} == 0 ]]; then
      mv "$OUT/$name.json.tmp" "$OUT/$name.json"
    else # a refused run (e.g. IMP's layer collapse) is a result too: keep its one-line error
      rm -f "$OUT/$name.json.tmp"
      python3 -c 'import json,sys; print(json.dumps({"error": sys.argv[1]}))' "$(grep '^error:' "$OUT/$name.log" | tail -n 1)" > "$OUT/$name.json"
    fi
  fi
}

for model in $MODELS; do
  common=(--model "$model" --epochs "$EPOCHS" --seed "$SEED" ${FLAGS[$model]})
  [[ -n "${LIMIT[$model]}" ]] && common+=(--limit-train "${LIMIT[$model]}")
  for rate in 0.9 0.95 0.99; do
    run "$model-imp-$rate" lottery --rate "$rate" --levels 1 --no-controls "${common[@]}"
  done
  for density in 0.1 0.05 0.01; do
    run "$model-snip-$density" prune --method snip --density "$density" --allow-collapse "${common[@]}"
    run "$model-synflow-$density" prune --method synflow --density "$density" --allow-collapse "${common[@]}"
  done
  for density in 0.05 0.01; do
    run "$model-sketch-$density" prune --method sketch --density "$density" --allow-collapse "${common[@]}"
  done
  run "$model-granet-0.1" prune --method granet --final-density 0.1 --frequency "${FREQUENCY[$model]}" "${common[@]}"
  controls=(); [[ "$LAYER_CONTROLS" == 1 ]] || controls=(--no-controls)
  run "$model-layers" lottery --granularity layer --layer-score grasp "${controls[@]}" "${common[@]}"
done

python3 - "$OUT" "$EPOCHS" "$CONV_LIMIT" "$LENET_LIMIT" <<'PY'
import json, sys, os
out, epochs, conv_limit, lenet_limit = sys.argv[1:5]
def load(name):
    path = os.path.join(out, name + ".json")
    return json.load(open(path)) if os.path.exists(path) else None
errors = []
def acc(x):
    if isinstance(x, str):
        return x
    return "—" if x is None else f"{100 * x:.2f}"
models = ["lenet300", "conv4"]
densities = ["0.1", "0.05", "0.01"]
def imp(model, density):
    rate = {"0.1": "0.9", "0.05": "0.95", "0.01": "0.99"}[density]
    failed = load(f"{model}-imp-{rate}")
    for level in (failed or {}).get("levels", []):
        if level["level"] > 0:
            return level["test_accuracy"]
    if failed and "error" in failed:
        errors.append(f"IMP {model} d={density}: {failed['error']}")
        return "✗"
    return None
def prune(model, method, density):
    r = load(f"{model}-{method}-{density}")
    if r and "error" in r:
        errors.append(f"{method} {model} d={density}: {r['error']}")
        return "✗"
    return None if r is None else r["test_accuracy"]
limits = {"lenet300": lenet_limit or "60000", "conv4": conv_limit or "60000"}
print(f"Test accuracy (%) on Fashion-MNIST after {epochs} epoch(s) per network "
      f"(training examples: lenet300 {limits['lenet300']}, conv4 {limits['conv4']}); density = kept fraction of the prunable weights (classifier dense).\n")
header = "| method | " + " | ".join(f"{m} d={d}" for m in models for d in densities) + " |"
print(header)
print("|" + "---|" * (1 + len(models) * len(densities)))
dense = {m: ((load(f"{m}-imp-0.9") or {}).get("levels") or [{}])[0].get("test_accuracy") for m in models}
print("| dense (d=1) | " + " | ".join(acc(dense[m]) for m in models for d in densities) + " |")
rows = [("IMP (rewind to init)", lambda m, d: imp(m, d)),
        ("SNIP", lambda m, d: prune(m, "snip", d)),
        ("SynFlow (100 rounds)", lambda m, d: prune(m, "synflow", d)),
        ("sketch ∝ SynFlow (100 rounds)", lambda m, d: prune(m, "sketch", d) if d != "0.1" else None),
        ("GraNet (1 → d, regrowth)", lambda m, d: prune(m, "granet", d) if d == "0.1" else None)]
for name, f in rows:
    print(f"| {name} | " + " | ".join(acc(f(m, d)) for m in models for d in densities) + " |")
print("\nLayer-level lottery (GraSP score per layer at initialization; level k removes the k lowest-scored same-shape layers):\n")
print("| model | layers removed | removed | weighted layers kept | parameters | ticket | random removal |")
print("|---|---|---|---|---|---|---|")
for m in models:
    r = load(f"{m}-layers")
    if r is None or "error" in r:
        continue
    removable = [u["name"] for u in r["units"] if u["removable"]]
    if not removable:
        print(f"| {m} | 0 | (no layer keeps its input's shape) | {r['levels'][0]['layers_kept']} | {r['levels'][0]['parameters']} | {acc(r['levels'][0]['test_accuracy'])} | — |")
        continue
    for level in r["levels"]:
        print(f"| {m} | {level['removed']} | {', '.join(level['removed_layers']) or '—'} | {level['layers_kept']} | "
              f"{level['parameters']} | {acc(level['test_accuracy'])} | {acc(level.get('random_removal_accuracy'))} |")
if errors:
    print("\n✗ = the run was refused:\n")
    for e in errors:
        print("- " + e)
PY
