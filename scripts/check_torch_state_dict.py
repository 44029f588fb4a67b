#!/usr/bin/python3
"""Acceptance check for `initium init --model M --scheme S --out F` (issue 19, item 9): the file
holds the model's whole state under PyTorch's names, so PyTorch loads it with
`load_state_dict(strict=True)` into the equivalent module, and that module computes the logits
Initium computes from the same weights.

The PyTorch modules, in torch_reference_models.py, carry Initium's attribute names (read from
Sources/InitiumNN/Models/{MLP,LeNet5,ConvNet,ResNet}.swift and Layers/ResidualBlock.swift); the
architectures are those of scripts/make_conv_fixtures.py / make_gradient_fixtures.py, whose
peer models use other names (nn.Sequential indices), hence the separate definitions in
torch_reference_models.py.

For each of lenet300, lenet5 and resnet20 and each format (.safetensors, .npz) it runs the built
`initium init`, loads the file strictly, and checks every tensor's shape and that the weights are
not all zero. With --write-fixture it also records PyTorch's eval-mode logits on a hashed input
(scripts/make_conv_fixtures.py `hashed_values`, salt 1000, values in [0, 1]) in
Tests/InitiumCLITests/Fixtures/torch_state_dict_logits.json; the Swift test
`initModelOutIsTheStatePyTorchComputesTheSameLogitsFrom` writes the same file with the CLI, loads it
into Initium's model and compares its logits with PyTorch's — the forward-pass agreement.

Run: /usr/bin/python3 scripts/check_torch_state_dict.py [path/to/initium] [--write-fixture]
(needs python3-torch and numpy: `scripts/install-system-deps --peers`, and the `safetensors`
package or the pure-NumPy reader below). Not part of `make test`, which does not install torch.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "scripts"))
from check_written_files import read_safetensors, write_tiny_idx  # noqa: E402  (pure NumPy, no safetensors package needed)
from hashed_values import hashed_values  # noqa: E402
from torch_reference_models import LeNet300, LeNet5, ResNet20  # noqa: E402

MODELS = {"lenet300": LeNet300, "lenet5": LeNet5, "resnet20": ResNet20}
SCHEME = "he-normal"
SEED = 7
BATCH = 2


def read_npz(path):
    with np.load(path) as archive:
        return {name: archive[name] for name in archive.files}


def torch_logits(name, state):
    module = MODELS[name]()
    module.load_state_dict({k: torch.from_numpy(np.array(v)) for k, v in state.items()}, strict=True)
    module.eval()
    x = torch.from_numpy(hashed_values(BATCH * 28 * 28, 1000, 0.5, 0.5)).reshape(BATCH, 1, 28, 28)
    with torch.no_grad():
        return module, module(x)


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    initium = args[0] if args else os.path.join(ROOT, ".build", "debug", "initium")
    fixture = {"command": "init --model M --scheme he-normal --seed 7 --data-dir <8 images> --batch 8", "scheme": SCHEME, "seed": SEED, "input": dict(shape=[BATCH, 1, 28, 28], salt=1000, offset=0.5, scale=0.5),
               "models": {}}
    with tempfile.TemporaryDirectory() as tmp:
        images = write_tiny_idx(Path(tmp) / "images")  # he-normal ignores the data; the models need image-shaped input
        for name in MODELS:
            logits_by_format = []
            for extension, reader in [(".safetensors", read_safetensors), (".npz", read_npz)]:
                path = os.path.join(tmp, name + extension)
                subprocess.run([initium, "init", "--model", name, "--scheme", SCHEME, "--seed", str(SEED), "--data-dir", str(images),
                                "--batch", "8", "--out", path, "--json"],
                               check=True, capture_output=True, text=True)
                state = reader(path)
                module, logits = torch_logits(name, state)  # raises on a missing, extra or misshapen tensor
                expected = module.state_dict()
                # Same names (load_state_dict(strict=True) checked it too; PyTorch lists a module's
                # buffers next to its parameters, Initium after all parameters: order is free).
                assert set(state) == set(expected), (name, extension, sorted(set(state) ^ set(expected)))
                for key, value in state.items():
                    assert tuple(value.shape) == tuple(expected[key].shape), (key, value.shape)
                    if key.endswith("weight") and value.ndim >= 2:
                        assert np.abs(value).max() > 0, (key, "all zero")
                logits_by_format.append(logits)
                print(f"{name}{extension}: {len(state)} tensors load with strict=True; logits[0,:3] {logits[0, :3].tolist()}")
            assert torch.equal(logits_by_format[0], logits_by_format[1]), name
            fixture["models"][name] = logits_by_format[0].flatten().tolist()
    if "--write-fixture" in sys.argv:
        out = os.path.join(ROOT, "Tests", "InitiumCLITests", "Fixtures", "torch_state_dict_logits.json")
        os.makedirs(os.path.dirname(out), exist_ok=True)
        with open(out, "w") as f:
            json.dump(fixture, f, indent=1)
            f.write("\n")
        print("wrote", out)
    print("ok")


if __name__ == "__main__":
    main()
