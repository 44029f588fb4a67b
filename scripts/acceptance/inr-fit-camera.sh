#!/usr/bin/env bash
# Issue 13, acceptance 1: SIREN on the skimage cameraman at 256², 5×256, full-batch Adam 1e-4,
# 1000 steps, must reach PSNR ≥ 30 dB; the same network with ReLU and PyTorch's default
# initialization (no positional encoding) must stay below 25 dB. Writes both reports (PSNR curve,
# reconstruction PNG, error spectrum) under OUT and prints the final PSNRs.
#
#   INITIUM=.build/release/initium scripts/acceptance/inr-fit-camera.sh
set -euo pipefail
INITIUM=${INITIUM:-.build/release/initium}
OUT=${OUT:-out/inr-fit-camera}
THREADS=${THREADS:-2}
mkdir -p "$OUT"
run() {  # name act init
  "$INITIUM" fit image --image camera --size 256 --model "inr:in=2,out=1,layers=5,width=256,act=$2" \
    --init "$3" --steps 1000 --lr 1e-4 --every 25 --seed 0 --threads "$THREADS" --report "$OUT/$1" --json | tail -1 > "$OUT/$1.json"
  /usr/bin/python3 -c "import json,sys; r=json.load(open('$OUT/$1.json')); print(f\"$1: act=$2 init=$3: PSNR {r['psnr']:.2f} dB after {r['steps']} steps ({r['seconds']:.0f} s)\")"
}
run siren "sine(omega=30)" siren
run relu relu torch-default
