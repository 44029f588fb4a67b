#!/usr/bin/env python3
"""PyTorch's fan-in/fan-out for ordinary (ungrouped) weight shapes, the reference for
Tests/InitiumInitTests/Fixtures/torch_fans.json. Needs Debian's python3-torch:
/usr/bin/python3 scripts/torch_fan_fixture.py > Tests/InitiumInitTests/Fixtures/torch_fans.json
"""
import json

import torch
from torch.nn.init import _calculate_fan_in_and_fan_out

shapes = [[10, 20], [256, 784], [1, 1], [64, 32, 3, 3], [16, 1, 5, 5], [8, 4, 1, 1], [6, 3, 7], [4, 2, 3, 3, 3]]
rows = []
for shape in shapes:
    fan_in, fan_out = _calculate_fan_in_and_fan_out(torch.empty(*shape))
    rows.append({"shape": shape, "fan_in": fan_in, "fan_out": fan_out})
print(json.dumps({"torch_version": torch.__version__, "fans": rows}, indent=1))
