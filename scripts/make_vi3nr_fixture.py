#!/usr/bin/python3
"""Writes Tests/InitiumInitTests/Fixtures/vi3nr_reference.json: VI3NR's numbers (Koneputugodage et
al., CVPR 2025) computed with SciPy's adaptive quadrature and root finder, independently of
Initium's Gauss-Hermite integrator and Brent solver.

Run: /usr/bin/python3 scripts/make_vi3nr_fixture.py

For an activation phi and Z ~ N(0, 1):
- gain(sigma_p) = sigma_p / sqrt(E[phi(sigma_p Z)^2]), the forward rule's gain;
- cond(sigma_p) = sigma_p^2 E[phi'(sigma_p Z)^2] / E[phi(sigma_p Z)^2], the backward condition;
- balanced: the smallest sigma_p in [0.001, 10] with cond = 1, located by the first sign change of
  cond - 1 on a 4000-point logarithmic grid and refined by scipy.optimize.brentq. Activations whose
  cond - 1 has no sign change there (sine, tanh: cond > 1 for all sigma_p > 0) get no balanced
  entry, only gains at given sigma_p.
Expectations are scipy.integrate.quad over z in [-14, 14] (the tail beyond is below 1e-43).
"""
import json
import math
import os

import numpy as np
from scipy import integrate, optimize


def sinc(omega):
    def value(x):
        u = omega * x
        return 1.0 if u == 0 else math.sin(u) / u

    def slope(x):
        u = omega * x
        if abs(u) < 1e-4:
            return omega * (-u / 3 + u ** 3 / 30)
        return omega * (u * math.cos(u) - math.sin(u)) / (u * u)

    return value, slope


ACTIVATIONS = {
    "sine(omega=30)": (lambda x: math.sin(30 * x), lambda x: 30 * math.cos(30 * x)),
    "sine(omega=1)": (math.sin, math.cos),
    "gaussian": (lambda x: math.exp(-x * x / 2), lambda x: -x * math.exp(-x * x / 2)),
    "gaussian(s=0.5)": (lambda x: math.exp(-2 * x * x), lambda x: -4 * x * math.exp(-2 * x * x)),
    "tanh": (math.tanh, lambda x: 1 / math.cosh(x) ** 2),
    "sinc": sinc(math.pi),
    "sinc(omega=10)": sinc(10.0),
}


def expectation(f, sigma):
    density = lambda z: f(sigma * z) ** 2 * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
    # split at 0 and at the activation's scale so the oscillating integrands converge
    points = sorted({0.0, *[k / sigma for k in (-1, 1) if abs(k / sigma) < 14]})
    value, _ = integrate.quad(density, -14, 14, points=points, limit=5000, epsabs=1e-15, epsrel=1e-13)
    return value


def condition(phi, dphi, sigma):
    return sigma * sigma * expectation(dphi, sigma) / expectation(phi, sigma)


def main():
    cases = []
    for name, (phi, dphi) in ACTIVATIONS.items():
        gains = {str(s): s / math.sqrt(expectation(phi, s)) for s in (0.05, 0.5, 1.0, 2.0)}
        entry = {"activation": name, "gains": gains}
        grid = np.geomspace(0.001, 10, 4000)
        excess = [condition(phi, dphi, s) - 1 for s in grid]
        for (a, fa), (b, fb) in zip(zip(grid, excess), zip(grid[1:], excess[1:])):
            if (fa > 0) != (fb > 0):
                root = optimize.brentq(lambda s: condition(phi, dphi, s) - 1, a, b, xtol=1e-14, rtol=1e-13)
                entry["balanced_sigma_p"] = root
                entry["balanced_gain"] = root / math.sqrt(expectation(phi, root))
                break
        cases.append(entry)
    path = os.path.join(os.path.dirname(__file__), "..", "Tests", "InitiumInitTests", "Fixtures", "vi3nr_reference.json")
    with open(path, "w") as f:
        json.dump({"cases": cases}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
