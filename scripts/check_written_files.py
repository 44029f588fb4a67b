#!/usr/bin/env python3
"""Acceptance check: tensors written by `initium init --out` load in NumPy and in the `safetensors`
package with the statistics Initium reports. Needs numpy and safetensors (pip install safetensors).

Run: python3 scripts/check_written_files.py [path/to/initium]
"""
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file

initium = sys.argv[1] if len(sys.argv) > 1 else ".build/release/initium"
with tempfile.TemporaryDirectory() as tmp:
    for scheme, shape, name in [("he-normal", "64,32,3,3", "w.npy"), ("orthogonal", "128,64", "w.safetensors"),
                                ("glorot-uniform", "10,20", "g.npy")]:
        path = Path(tmp) / name
        out = subprocess.run([initium, "init", "--scheme", scheme, "--shape", shape, "--seed", "0", "--out", str(path), "--json"],
                             capture_output=True, text=True, check=True)
        reported = json.loads(out.stdout.strip().splitlines()[-1])
        array = np.load(path) if name.endswith(".npy") else load_file(str(path))["weight"]
        assert list(array.shape) == reported["shape"], (array.shape, reported["shape"])
        assert abs(float(array.mean()) - reported["mean"]) < 1e-6 and abs(float(array.std()) - reported["std"]) < 1e-5
        print(f"{name}: {scheme} {array.dtype} {array.shape} mean {array.mean():.6f} std {array.std():.6f} (matches initium)")
print("ok")
