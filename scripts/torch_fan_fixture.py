#!/usr/bin/env python3
"""PyTorch's fan-in/fan-out, the reference for Tests/InitiumNNTests/Fixtures/torch_fans.json.
Needs Debian's python3-torch:
/usr/bin/python3 scripts/torch_fan_fixture.py > Tests/InitiumNNTests/Fixtures/torch_fans.json

`fans`: ordinary (ungrouped) weight shapes, where Initium must agree with PyTorch.
`modules`: weights of real modules, including grouped, depthwise and transposed convolutions,
where PyTorch's rule is known to be wrong (pytorch/pytorch#23854, tensorflow#31192); the tests
check Initium's documented relation to PyTorch's numbers there.
"""
import json

import torch
from torch.nn.init import _calculate_fan_in_and_fan_out

shapes = [[10, 20], [256, 784], [1, 1], [64, 32, 3, 3], [16, 1, 5, 5], [8, 4, 1, 1], [6, 3, 7], [4, 2, 3, 3, 3]]
rows = []
for shape in shapes:
    fan_in, fan_out = _calculate_fan_in_and_fan_out(torch.empty(*shape))
    rows.append({"shape": shape, "fan_in": fan_in, "fan_out": fan_out})

modules = []
specs = [
    ("conv2d", 4, 4, 3, 4), ("conv2d", 8, 16, 3, 2), ("conv2d", 32, 64, 5, 1), ("conv1d", 6, 9, 3, 3),
    ("conv-transpose2d", 6, 4, 3, 1), ("conv-transpose2d", 6, 4, 3, 2), ("conv-transpose1d", 8, 8, 5, 4),
    ("conv-transpose3d", 4, 6, 3, 1),
]
for layout, cin, cout, k, groups in specs:
    cls = {"conv1d": torch.nn.Conv1d, "conv2d": torch.nn.Conv2d, "conv-transpose1d": torch.nn.ConvTranspose1d,
           "conv-transpose2d": torch.nn.ConvTranspose2d, "conv-transpose3d": torch.nn.ConvTranspose3d}[layout]
    m = cls(cin, cout, k, groups=groups)
    fan_in, fan_out = _calculate_fan_in_and_fan_out(m.weight)
    modules.append({"layout": layout, "in_channels": cin, "out_channels": cout, "kernel": k, "groups": groups,
                    "shape": list(m.weight.shape), "torch_fan_in": fan_in, "torch_fan_out": fan_out})
print(json.dumps({"torch_version": torch.__version__, "fans": rows, "modules": modules}, indent=1))
