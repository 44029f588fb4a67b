#!/usr/bin/python3
"""Writes the small input arrays the CLI option tests read (Tests/InitiumCLITests/Fixtures):
mi_x.npy and mi_y.npy, 200 paired samples of a bivariate Gaussian with correlation 0.8 ([200, 1]
float32 each), for `initium mi`. Inputs only, not reference values.

Run: /usr/bin/python3 scripts/make_cli_array_fixtures.py

(mlp-2-8-3.safetensors, the checkpoint `initium interpolate` reads there, was written by
`initium train --model mlp:2-8-3 --data "blobs(n=60,classes=3)" --batch 16 --epochs 2 --save …`.)
"""
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "InitiumCLITests", "Fixtures")
rng = np.random.default_rng(20261203)
z = rng.standard_normal((200, 2))
np.save(os.path.join(OUT, "mi_x.npy"), z[:, :1].astype(np.float32))
np.save(os.path.join(OUT, "mi_y.npy"), (0.8 * z[:, :1] + 0.6 * z[:, 1:]).astype(np.float32))
