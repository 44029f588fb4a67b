#!/usr/bin/env python3
"""NumPy's irfftn of fixed, deliberately non-Hermitian real half spectra (as convolution-aware
initialization feeds it), the reference for Tests/InitiumCoreTests/Fixtures/irfftn.json:
/usr/bin/python3 scripts/fft_fixture.py > Tests/InitiumCoreTests/Fixtures/irfftn.json
"""
import json

import numpy as np

cases = []
for shape in [[5], [6], [3, 3], [4, 4], [3, 2], [2, 3, 4]]:
    half = shape[:-1] + [shape[-1] // 2 + 1]
    n = int(np.prod(half))
    # Values from a fixed formula, so the fixture needs no random generator.
    real = [round(np.sin(1.7 * i + 0.3) * 1.5, 6) for i in range(n)]
    imag = [round(np.cos(2.3 * i + 0.1), 6) for i in range(n)]
    x = np.array(real).reshape(half) + 1j * np.array(imag).reshape(half)
    out = np.fft.irfftn(x, s=shape)
    cases.append({"shape": shape, "real": real, "imaginary": imag, "output": out.ravel().tolist()})
print(json.dumps({"numpy_version": np.__version__, "cases": cases}))
