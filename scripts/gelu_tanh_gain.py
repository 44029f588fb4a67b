#!/usr/bin/env python3
"""Exact gain 1/sqrt(E[phi(Z)^2]), Z ~ N(0, 1), of GELU's tanh form (GPT-2's gelu_new),
by NumPy's 200-point probabilists' Gauss-Hermite rule; the reference of GainTests.swift."""
import math

import numpy as np

x, w = np.polynomial.hermite_e.hermegauss(200)
w = w / math.sqrt(2 * math.pi)
phi = 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))
print(f"gelu-tanh exact gain: {1 / math.sqrt((w * phi ** 2).sum()):.7f}")
