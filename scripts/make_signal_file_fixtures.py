#!/usr/bin/python3
"""Writes the PNG and WAV fixtures of Tests/InitiumNNTests/SignalFileTests.swift and, in
signals.json, the signal values Initium must decode from them, computed here with NumPy from the
pixel and sample arrays the files were written from (PIL writes the PNGs, the `wave` module and
`struct` the WAVs), not from Initium's code.

Run: /usr/bin/python3 scripts/make_signal_file_fixtures.py [Tests/InitiumNNTests/Fixtures/signals]

Conventions checked (SIREN, Sitzmann et al. 2020, dataio.py):
- images: p/255 then (x - 0.5)/0.5; with a size N, centre crop to the shorter side s (offsets
  (h - s)//2, (w - s)//2) and area averaging s -> N (output cell i covers input [i s/N, (i+1) s/N),
  inputs weighted by overlap), written here as a dense s x N averaging matrix A: out = A^T X A;
- sounds: mean over channels, divided by the maximum magnitude.
"""
import json
import struct
import sys
import wave
from pathlib import Path

import numpy as np
from PIL import Image

out = Path(sys.argv[1] if len(sys.argv) > 1 else "Tests/InitiumNNTests/Fixtures/signals")
out.mkdir(parents=True, exist_ok=True)
rng = np.random.default_rng(13)
expected = {}


def normalized(pixels):
    return (pixels.astype(np.float64) / 255 - 0.5) / 0.5


def area_matrix(s, n):
    a = np.zeros((s, n))
    for i in range(n):
        lo, hi = i * s / n, (i + 1) * s / n
        for j in range(s):
            a[j, i] = max(0.0, min(hi, j + 1) - max(lo, j)) / (s / n)
    return a


def resized(pixels, n):
    h, w = pixels.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    x = pixels[top:top + s, left:left + s].astype(np.float64) / 255
    a = area_matrix(s, n)
    if x.ndim == 2:
        y = a.T @ x @ a
    else:
        y = np.stack([a.T @ x[:, :, c] @ a for c in range(x.shape[2])], axis=-1)
    return (y - 0.5) / 0.5


def record(name, grid, channels, values):
    expected[name] = {"grid": list(grid), "channels": channels, "values": [float(v) for v in np.asarray(values).reshape(-1)]}


grey = rng.integers(0, 256, size=(5, 7), dtype=np.uint8)          # height 5, width 7
Image.fromarray(grey, mode="L").save(out / "grey-7x5.png")
record("grey-7x5.png", (5, 7), 1, normalized(grey))
record("grey-7x5.png@3", (3, 3), 1, resized(grey, 3))
record("grey-7x5.png@5", (5, 5), 1, resized(grey, 5))

rgb = rng.integers(0, 256, size=(6, 4, 3), dtype=np.uint8)         # height 6, width 4
Image.fromarray(rgb, mode="RGB").save(out / "rgb-4x6.png")
record("rgb-4x6.png", (6, 4), 3, normalized(rgb))
record("rgb-4x6.png@2", (2, 2), 3, resized(rgb, 2))

opaque = np.concatenate([rgb[:3, :3], np.full((3, 3, 1), 255, np.uint8)], axis=-1)
Image.fromarray(opaque, mode="RGBA").save(out / "rgba-3x3.png")
record("rgba-3x3.png", (3, 3), 3, normalized(rgb[:3, :3]))

palette = Image.fromarray(rgb, mode="RGB").quantize(colors=5)
palette.save(out / "palette-4x6.png")
record("palette-4x6.png", (6, 4), 3, normalized(np.asarray(palette.convert("RGB"))))

whole = (out / "grey-7x5.png").read_bytes()
(out / "truncated.png").write_bytes(whole[: len(whole) // 2])

stereo = rng.integers(-20000, 20000, size=(9, 2)).astype(np.int16)
with wave.open(str(out / "stereo-16bit.wav"), "wb") as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(8000); w.writeframes(stereo.tobytes())
mono = stereo.astype(np.float64).mean(axis=1)
record("stereo-16bit.wav", (9,), 1, mono / np.abs(mono).max())
expected["stereo-16bit.wav"]["sample_rate"] = 8000
expected["stereo-16bit.wav"]["scale"] = float(np.abs(mono).max())

with wave.open(str(out / "pcm-8bit.wav"), "wb") as w:
    w.setnchannels(1); w.setsampwidth(1); w.setframerate(8000); w.writeframes(bytes(range(100, 110)))

floats = rng.standard_normal(8).astype(np.float32).tobytes()
header = b"RIFF" + struct.pack("<I", 36 + len(floats)) + b"WAVE" + b"fmt " + struct.pack("<IHHIIHH", 16, 3, 1, 8000, 32000, 4, 32)
(out / "float-32bit.wav").write_bytes(header + b"data" + struct.pack("<I", len(floats)) + floats)

good = (out / "stereo-16bit.wav").read_bytes()
(out / "truncated.wav").write_bytes(good[:-10])
(out / "silent.wav").write_bytes(good[:44 - 4] + struct.pack("<I", 8) + bytes(8))

(out / "signals.json").write_text(json.dumps(expected, indent=1, sort_keys=True) + "\n")
print("wrote", ", ".join(sorted(p.name for p in out.iterdir())))
