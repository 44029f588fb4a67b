#!/usr/bin/env python3
"""Mean and standard deviation of Fashion-MNIST's training pixels scaled to [0, 1], computed with
NumPy from Debian's IDX files: the reference for FashionMNIST.trainingPixelMoments, written to
Tests/InitiumNNTests/Fixtures/fashion_mnist_moments.json and checked by
Tests/InitiumNNTests/FashionMNISTMomentsTests.swift (reading 47 million pixels in a debug build
takes half a minute, so the test reads this fixture). The standard deviation is the population
one (ddof=0), as torchvision's Normalize constants are usually derived.

Run: /usr/bin/python3 scripts/fashion_mnist_moments.py [/usr/share/datasets/fashion-mnist]
"""
import gzip
import json
import sys
from pathlib import Path

import numpy as np

directory = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
raw = gzip.decompress((directory / "train-images-idx3-ubyte.gz").read_bytes())
assert int.from_bytes(raw[:4], "big") == 0x0803, "not an IDX file of unsigned bytes, rank 3"
count, rows, cols = (int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
pixels = np.frombuffer(raw, dtype=np.uint8, offset=16).astype(np.float64) / 255
assert pixels.size == count * rows * cols == 60000 * 28 * 28
moments = {"count": int(pixels.size), "mean": float(pixels.mean()), "std": float(pixels.std())}
out = Path(__file__).resolve().parent.parent / "Tests/InitiumNNTests/Fixtures/fashion_mnist_moments.json"
out.write_text(json.dumps(moments, indent=1) + "\n")
print(out, moments)
