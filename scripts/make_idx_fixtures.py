#!/usr/bin/env python3
"""Writes the small IDX files used by Tests/InitiumNNTests (valid and deliberately damaged).

Run: python3 scripts/make_idx_fixtures.py Tests/InitiumNNTests/Fixtures
"""
import gzip
import struct
import sys
from pathlib import Path

out = Path(sys.argv[1] if len(sys.argv) > 1 else "Tests/InitiumNNTests/Fixtures")
out.mkdir(parents=True, exist_ok=True)

images = bytes(range(2 * 3 * 4))  # 2 images of 3x4 pixels: 0, 1, ..., 23
valid = struct.pack(">BBBB", 0, 0, 0x08, 3) + struct.pack(">III", 2, 3, 4) + images
labels = struct.pack(">BBBB", 0, 0, 0x08, 1) + struct.pack(">I", 2) + bytes([7, 3])

(out / "valid-images.idx").write_bytes(valid)
(out / "valid-images.idx.gz").write_bytes(gzip.compress(valid, mtime=0))
(out / "valid-labels.idx.gz").write_bytes(gzip.compress(labels, mtime=0))
(out / "short-images.idx").write_bytes(valid[:-5])                      # header promises 24 bytes, 19 follow
(out / "bad-magic.idx").write_bytes(b"\x1f\x00\x08\x03" + valid[4:])     # first byte must be 0
(out / "truncated.idx.gz").write_bytes(gzip.compress(valid, mtime=0)[:-12])  # compressed stream cut short
(out / "float-values.idx").write_bytes(
    struct.pack(">BBBB", 0, 0, 0x0D, 1) + struct.pack(">I", 3) + struct.pack(">fff", 1.5, -2.0, 0.25))
