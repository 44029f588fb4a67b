#!/usr/bin/env python3
"""Writes .npy/.npz/.safetensors fixtures with NumPy and the `safetensors` package, plus damaged
copies, for Tests/InitiumNNTests/FormatTests.swift. Needs numpy and safetensors (pip).

Run: python3 scripts/make_format_fixtures.py Tests/InitiumNNTests/Fixtures
"""
import sys
from pathlib import Path

import numpy as np
from safetensors.numpy import save_file

out = Path(sys.argv[1] if len(sys.argv) > 1 else "Tests/InitiumNNTests/Fixtures")
out.mkdir(parents=True, exist_ok=True)

matrix = np.arange(12, dtype=np.float32).reshape(3, 4) / 4 - 1   # -1, -0.75, ..., 1.75
np.save(out / "numpy-f32.npy", matrix)
np.save(out / "numpy-f64-fortran.npy", np.asfortranarray(matrix.astype(np.float64)))
np.save(out / "numpy-i64.npy", np.array([[-3, 0, 7]], dtype=np.int64))
np.save(out / "numpy-bool.npy", np.array([True, False, True]))
np.savez(out / "numpy-stored.npz", weight=matrix, bias=np.array([0.5, -0.5], dtype=np.float32))
np.savez_compressed(out / "numpy-deflated.npz", weight=matrix, mask=np.array([1, 0, 1], dtype=np.uint8))
save_file({"weight": matrix, "steps": np.array([3, 1, 4], dtype=np.int64), "mask": np.array([1, 0], dtype=np.uint8),
           "double": np.array([0.25], dtype=np.float64)},
          str(out / "python-safetensors.safetensors"), metadata={"source": "safetensors"})

good = (out / "numpy-f32.npy").read_bytes()
(out / "truncated.npy").write_bytes(good[:-6])
st = (out / "python-safetensors.safetensors").read_bytes()
(out / "truncated.safetensors").write_bytes(st[:-3])
(out / "bad-header.safetensors").write_bytes((10**12).to_bytes(8, "little") + st[8:])
npz = (out / "numpy-deflated.npz").read_bytes()
(out / "truncated.npz").write_bytes(npz[: len(npz) // 2])
