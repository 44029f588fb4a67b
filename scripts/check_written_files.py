#!/usr/bin/env python3
"""Acceptance check, run by `make test`: files written by `initium init --out` load in NumPy and as
safetensors, with the statistics Initium reports, and `init --model … --out` writes the model's
whole state (parameters and batch-norm buffers under PyTorch's names) in both formats.

Needs only NumPy (Debian's python3-numpy, installed by scripts/install-system-deps). Safetensors
files are read by `read_safetensors` below, a pure-NumPy reader of the format's specification
(8-byte little-endian header length, JSON header of dtype/shape/data_offsets, raw little-endian
data); when the `safetensors` package is installed (pip install safetensors) the files are also
read with it and must agree. No torch is needed: scripts/check_torch_state_dict.py does the
PyTorch load_state_dict(strict=True) check.

Run: python3 scripts/check_written_files.py [path/to/initium]   (default .build/debug/initium)
"""
import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

try:
    from safetensors.numpy import load_file as reference_load_file
except ImportError:  # the package is optional; the reader below follows the format's specification
    reference_load_file = None

DTYPES = {"F32": "<f4", "F64": "<f8", "F16": "<f2", "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


def read_safetensors(path):
    """name → array, in the file's data order, checking that the tensors tile the data exactly."""
    raw = Path(path).read_bytes()
    (length,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + length])
    header.pop("__metadata__", None)
    data = raw[8 + length:]
    arrays, end = {}, 0
    for name, entry in sorted(header.items(), key=lambda item: item[1]["data_offsets"][0]):
        start, stop = entry["data_offsets"]
        assert start == end, (path, name, "gap or overlap in the data")
        dtype = np.dtype(DTYPES[entry["dtype"]])
        array = np.frombuffer(data[start:stop], dtype=dtype)
        assert array.size == int(np.prod(entry["shape"], dtype=np.int64)), (path, name, entry)
        arrays[name] = array.reshape(entry["shape"])
        end = stop
    assert end == len(data), (path, "trailing bytes")
    if reference_load_file is not None:
        reference = reference_load_file(str(path))
        assert set(reference) == set(arrays), (path, sorted(reference), sorted(arrays))
        for name, array in arrays.items():
            assert np.array_equal(reference[name], array), (path, name)
    return arrays


def run(initium, *arguments):
    out = subprocess.run([initium, *arguments, "--json"], capture_output=True, text=True)
    assert out.returncode == 0, (arguments, out.returncode, out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def check_tensors(initium, tmp):
    for scheme, shape, name in [("he-normal", "64,32,3,3", "w.npy"), ("orthogonal", "128,64", "w.safetensors"),
                                ("glorot-uniform", "10,20", "g.npy")]:
        path = Path(tmp) / name
        reported = run(initium, "init", "--scheme", scheme, "--shape", shape, "--seed", "0", "--out", str(path))
        array = np.load(path) if name.endswith(".npy") else read_safetensors(path)["weight"]
        assert array.dtype == np.float32, array.dtype
        assert list(array.shape) == reported["shape"], (array.shape, reported["shape"])
        # Initium reports float statistics of the same float32 values; the tolerances cover the
        # different summation order only.
        assert abs(float(array.mean()) - reported["mean"]) < 1e-6 and abs(float(array.std()) - reported["std"]) < 1e-5
        # min and max are single float32 values; JSON may print them in shortest decimal form.
        assert abs(float(array.min()) - reported["min"]) < 1e-6 and abs(float(array.max()) - reported["max"]) < 1e-6, reported
        print(f"{name}: {scheme} {array.dtype} {array.shape} mean {array.mean():.6f} std {array.std():.6f} (matches initium)")


def write_tiny_idx(directory, count=8):
    """A Fashion-MNIST-shaped data folder of `count` images per split (uncompressed IDX), so the
    image models initialize without loading the real 60000 images (slow in a debug build)."""
    directory.mkdir(exist_ok=True)
    rng = np.random.default_rng(0)
    for split in ["train", "t10k"]:
        images = rng.integers(0, 256, size=(count, 28, 28), dtype=np.uint8)
        (directory / f"{split}-images-idx3-ubyte").write_bytes(struct.pack(">IIII", 0x803, count, 28, 28) + images.tobytes())
        labels = (np.arange(count) % 10).astype(np.uint8)
        (directory / f"{split}-labels-idx1-ubyte").write_bytes(struct.pack(">II", 0x801, count) + labels.tobytes())
    return directory


def check_model_state(initium, tmp):
    """mlp:2-16-3 (two linear layers) and resnet8 (batch norm buffers), both formats."""
    expected = {
        "mlp:2-16-3": {"layers.0.weight": (16, 2), "layers.0.bias": (16,), "layers.2.weight": (3, 16), "layers.2.bias": (3,)},
    }
    for model, data, extension in [("mlp:2-16-3", "blobs(n=60,classes=3)", ".safetensors"), ("mlp:2-16-3", "blobs(n=60,classes=3)", ".npz"),
                                   ("resnet8", "fashion-mnist", ".safetensors"), ("resnet8", "fashion-mnist", ".npz")]:
        path = Path(tmp) / ("model" + extension)
        source = ["--data", data] if data != "fashion-mnist" else ["--data-dir", str(write_tiny_idx(Path(tmp) / "images"))]
        run(initium, "init", "--model", model, "--scheme", "he-normal", *source, "--seed", "3", "--out", str(path), "--batch", "8")
        if extension == ".npz":
            with np.load(path) as archive:
                state = {name: archive[name] for name in archive.files}
        else:
            state = read_safetensors(path)
        if model in expected:
            assert {k: v.shape for k, v in state.items()} == expected[model], {k: v.shape for k, v in state.items()}
            # He normal: std sqrt(2 / fan_in) (48 values: a loose band), biases zero.
            w = state["layers.2.weight"]
            assert 0.5 < w.std() / np.sqrt(2 / 16) < 1.5, w.std()
            assert np.all(state["layers.0.bias"] == 0) and np.all(state["layers.2.bias"] == 0)
        else:
            norms = [k[: -len(".running_var")] for k in state if k.endswith(".running_var")]
            assert len(norms) == 1 + 3 * 2 + 2, norms  # stem, 3 blocks x 2, 2 projection shortcuts
            for norm in norms:
                assert np.all(state[norm + ".running_mean"] == 0) and np.all(state[norm + ".running_var"] == 1)
                counter = state[norm + ".num_batches_tracked"]
                assert counter.dtype == np.int64 and counter.shape == () and int(counter) == 0, (norm, counter)
            conv = state["stages.0.blocks.0.conv1.weight"]
            assert conv.shape == (16, 16, 3, 3) and 0.8 < conv.std() / np.sqrt(2 / 144) < 1.2, conv.std()
        print(f"{model}{extension}: {len(state)} tensors")


def main():
    initium = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/initium"
    with tempfile.TemporaryDirectory() as tmp:
        check_tensors(initium, tmp)
        check_model_state(initium, tmp)
    print("ok" + ("" if reference_load_file else " (safetensors read by the NumPy reader; the safetensors package is not installed)"))


if __name__ == "__main__":
    main()
