#!/usr/bin/env bash
# Issue 15, acceptance 3: the butterfly effect on lenet5 / Fashion-MNIST. For each seed, one
# weight of the initialization (a seeded choice) is perturbed by ε = 1e-8 and both copies train
# for EPOCHS epochs on the same batches; prints a Markdown table of ‖θa − θb‖ and the test-set
# disagreement after every epoch, and writes each seed's report (README.md, butterfly.svg with the
# divergence curve, butterfly.json) under $OUT/seed-N.
#
#   INITIUM=.build/release/initium scripts/acceptance/probe2-butterfly.sh
set -euo pipefail
INITIUM=${INITIUM:-.build/release/initium}
EPOCHS=${EPOCHS:-3}
EPSILON=${EPSILON:-1e-8}
SEEDS=${SEEDS:-0 1 2}
OUT=${OUT:-out/probe2-butterfly}
EXTRA=${EXTRA:-}
mkdir -p "$OUT"
for seed in $SEEDS; do
  if [[ ! -s "$OUT/seed-$seed.json" ]]; then
    echo "== initium butterfly --model lenet5 --epsilon $EPSILON --epochs $EPOCHS --seed $seed $EXTRA" >&2
    # shellcheck disable=SC2086
    "$INITIUM" butterfly --model lenet5 --epsilon "$EPSILON" --epochs "$EPOCHS" --seed "$seed" $EXTRA \
      --report "$OUT/seed-$seed" --json | tail -n 1 > "$OUT/seed-$seed.json.tmp"
    mv "$OUT/seed-$seed.json.tmp" "$OUT/seed-$seed.json"
  fi
done
python3 - "$OUT" $SEEDS <<'PY'
import json, sys, os
out, seeds = sys.argv[1], sys.argv[2:]
print("| seed | perturbed weight | float32 change | epoch | ‖θa − θb‖ | ‖θa − θb‖/‖θa‖ | disagreement | mean ‖Δ softmax‖ | acc a | acc b |")
print("|---|---|---|---|---|---|---|---|---|---|")
finals = []
for s in seeds:
    r = json.load(open(os.path.join(out, f"seed-{s}.json")))
    for e in r["epochs"]:
        print(f"| {s} | {r['parameter']}[{r['index']}] | {r['applied_perturbation']:.3g} | {e['epoch']} | {e['weight_distance']:.3g} | "
              f"{e['weight_distance'] / r['final_weight_norm']:.3g} | {e['disagreement']:.4f} | {e['output_distance']:.3g} | "
              f"{e['test_accuracy_a']:.4f} | {e['test_accuracy_b']:.4f} |")
    curve = r["weight_distance_curve"]
    finals.append((s, r["disagreement"], curve[0], curve[-1], max(curve)))
print()
for s, d, first, last, peak in finals:
    print(f"- seed {s}: ‖θa − θb‖ grew from {first:.3g} to {last:.3g} (×{last / first:.3g}); final disagreement {100 * d:.2f}% of the test set")
PY
