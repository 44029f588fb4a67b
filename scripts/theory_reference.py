#!/usr/bin/env python3
"""Independent reference values for InitiumTheory, written to a JSON fixture.

Everything here is computed with SciPy's adaptive quadrature (scipy.integrate.quad) and root
finders (scipy.optimize.brentq), using formulations chosen to differ from the Swift code:

* edge of chaos: root-find sigma_w2 on chi1(sigma_w2) - 1, with an inner root-find for q* on
  V(q) - q (the Swift code instead parametrises the curve by q*);
* V'(q) by the chain rule, sigma_w2 * E[phi(sqrt(q) z) phi'(sqrt(q) z) z] / sqrt(q), and V''(q) by a
  central difference of it (the Swift code uses Hermite-polynomial weights);
* correlation map by nested quad over (z1, z2);
* Gauss-Hermite rules from numpy.polynomial.hermite_e (companion-matrix eigenvalues).

Run:  python3 scripts/theory_reference.py > Tests/InitiumTheoryTests/Fixtures/theory_reference.json
"""
import json
import math
import sys

import numpy as np
from numpy.polynomial import hermite_e
from scipy import integrate, optimize, special, stats

NORM = stats.norm
SQRT2 = math.sqrt(2.0)
EPS_ABS = 1e-14
EPS_REL = 1e-12


def Phi(x):
    return 0.5 * special.erfc(-x / SQRT2)


def gaussian_expectation(f, q=1.0, kinks=()):
    """E[f(sqrt(q) Z)], Z ~ N(0, 1), by quad in x with the N(0, q) density, split at the kinks."""
    s = math.sqrt(q)
    lo, hi = -14.0 * s, 14.0 * s
    edges = sorted({lo, hi, *[k for k in kinks if lo < k < hi], *(s * np.array([-6.0, -3.0, 0.0, 3.0, 6.0]))})
    total = 0.0
    for a, b in zip(edges[:-1], edges[1:]):
        value, _ = integrate.quad(lambda x: f(x) * NORM.pdf(x, scale=s), a, b,
                                  epsabs=EPS_ABS, epsrel=EPS_REL, limit=400)
        total += value
    return total


# --- activations: (phi, dphi, kinks) for a parameter dict -----------------------------------

SELU_LAMBDA = 1.0507009873554804934193349852946
SELU_ALPHA = 1.6732632423543772848170429916717
KAT_GELU_NUMERATOR = [-0.00153969, 0.51692871, 0.44075827, 0.0972553, -0.00884418, -0.00378675]
KAT_GELU_DENOMINATOR = [-0.14171056, -0.06481231, -0.0444695, 0.01283776]


def make(name, p):
    if name == "relu":
        return (lambda x: max(x, 0.0)), (lambda x: 1.0 if x > 0 else 0.0), [0.0]
    if name == "leaky-relu":
        a = p.get("slope", 0.01)
        return (lambda x: x if x > 0 else a * x), (lambda x: 1.0 if x > 0 else a), [0.0]
    if name == "identity":
        return (lambda x: x), (lambda x: 1.0), []
    if name == "tanh":
        return math.tanh, (lambda x: 1.0 - math.tanh(x) ** 2), []
    if name == "sigmoid":
        return special.expit, (lambda x: special.expit(x) * (1 - special.expit(x))), []
    if name == "gelu":
        return (lambda x: x * Phi(x)), (lambda x: Phi(x) + x * NORM.pdf(x)), []
    if name == "gelu-tanh":
        c, a = math.sqrt(2 / math.pi), 0.044715
        return (lambda x: 0.5 * x * (1 + math.tanh(c * (x + a * x ** 3)))), \
            (lambda x: 0.5 * (1 + math.tanh(c * (x + a * x ** 3)))
             + 0.5 * x * (1 - math.tanh(c * (x + a * x ** 3)) ** 2) * c * (1 + 3 * a * x * x)), []
    if name == "silu":
        return (lambda x: x * special.expit(x)), \
            (lambda x: special.expit(x) * (1 + x * (1 - special.expit(x)))), []
    if name == "elu":
        a = p.get("alpha", 1.0)
        return (lambda x: x if x > 0 else a * math.expm1(x)), (lambda x: 1.0 if x > 0 else a * math.exp(x)), [0.0]
    if name == "selu":
        lam, a = SELU_LAMBDA, SELU_ALPHA
        return (lambda x: lam * (x if x > 0 else a * math.expm1(x))), \
            (lambda x: lam * (1.0 if x > 0 else a * math.exp(x))), [0.0]
    if name == "softplus":
        b = p.get("beta", 1.0)
        return (lambda x: np.logaddexp(0.0, b * x) / b), (lambda x: special.expit(b * x)), []
    if name == "sine":
        w = p.get("omega", 1.0)
        return (lambda x: math.sin(w * x)), (lambda x: w * math.cos(w * x)), []
    if name == "gaussian":
        s2 = p.get("s", 1.0) ** 2
        return (lambda x: math.exp(-x * x / (2 * s2))), (lambda x: -x / s2 * math.exp(-x * x / (2 * s2))), []
    if name == "sinc":
        w = p.get("omega", math.pi)
        def sinc(x):
            u = w * x
            return 1.0 if u == 0 else math.sin(u) / u
        def sinc_slope(x):
            u = w * x
            # (u cos u - sin u)/u^2 cancels near 0; its series there
            return w * (-u / 3 + u ** 3 / 30) if abs(u) < 1e-4 else w * (u * math.cos(u) - math.sin(u)) / (u * u)
        return sinc, sinc_slope, []
    if name == "rational":
        # KAT's rational function in the paper's form P(x)/(1 + |sum b_i x^i|); the defaults are its
        # GELU fit (Adamdad/rational_kat_cu init.json)
        a = [p.get(f"a{i}", d) for i, d in enumerate(KAT_GELU_NUMERATOR)]
        b = [p.get(f"b{i + 1}", d) for i, d in enumerate(KAT_GELU_DENOMINATOR)]
        P, B = np.polynomial.Polynomial(a), np.polynomial.Polynomial([0.0] + b)
        def slope(x):
            q = 1 + abs(B(x))
            return (P.deriv()(x) * q - P(x) * math.copysign(1.0, B(x)) * B.deriv()(x)) / q ** 2
        kinks = sorted(float(r.real) for r in B.roots() if abs(r.imag) < 1e-12)
        return (lambda x: P(x) / (1 + abs(B(x)))), slope, kinks
    t, m = p.get("tau", 0.0), p.get("m", 1.0)
    if name == "shifted-relu":
        return (lambda x: max(x - t, 0.0)), (lambda x: 1.0 if x > t else 0.0), [t]
    if name == "soft-threshold":
        return (lambda x: math.copysign(max(abs(x) - t, 0.0), x)), (lambda x: 1.0 if abs(x) > t else 0.0), [-t, t]
    if name == "clipped-relu":
        return (lambda x: min(max(x - t, 0.0), m)), (lambda x: 1.0 if t < x < t + m else 0.0), [t, t + m]
    if name == "clipped-soft-threshold":
        return (lambda x: math.copysign(min(max(abs(x) - t, 0.0), m), x)), \
            (lambda x: 1.0 if t < abs(x) < t + m else 0.0), [-t - m, -t, t, t + m]
    raise ValueError(name)


def moments(name, p, q=1.0):
    phi, dphi, kinks = make(name, p)
    mean = gaussian_expectation(phi, q, kinks)
    second = gaussian_expectation(lambda x: phi(x) ** 2, q, kinks)
    dsecond = gaussian_expectation(lambda x: dphi(x) ** 2, q, kinks)
    fourth = gaussian_expectation(lambda x: phi(x) ** 4, q, kinks)
    return mean, second, dsecond, fourth


def vprime(name, p, sw2, q):
    """V'(q) = sw2 * d/dq E[phi(sqrt q Z)^2] = sw2 * E[phi(X) phi'(X) X] / q,  X ~ N(0, q)."""
    phi, dphi, kinks = make(name, p)
    return sw2 * gaussian_expectation(lambda x: phi(x) * dphi(x) * x, q, kinks) / q


# --- 1. Gauss-Hermite rules ------------------------------------------------------------------

def gauss_hermite():
    rules = []
    for n in (5, 24, 64):
        x, w = hermite_e.hermegauss(n)
        rules.append({"order": n, "nodes": x.tolist(), "weights": (w / math.sqrt(2 * math.pi)).tolist()})
    return rules


# --- 2. edge of chaos -------------------------------------------------------------------------

def fixed_point(name, p, sw2, sb2):
    """The smallest positive q with V(q) = q, reached from below: scan q = 1e-8 * 2^k."""
    phi, _, kinks = make(name, p)
    V = lambda q: sw2 * gaussian_expectation(lambda x: phi(x) ** 2, q, kinks) + sb2
    lo, hi = 0.0, 1e-8
    while V(hi) - hi > 0:
        lo, hi = hi, 2 * hi
        if hi > 1e6:
            raise ValueError(f"no fixed point for {name} at sigma_w2={sw2}, sigma_b2={sb2}")
    return optimize.brentq(lambda q: V(q) - q, max(lo, 1e-300), hi, xtol=1e-15, rtol=1e-14)


def chi1(name, p, sw2, sb2):
    q = fixed_point(name, p, sw2, sb2)
    _, dphi, kinks = make(name, p)
    return sw2 * gaussian_expectation(lambda x: dphi(x) ** 2, q, kinks), q


def edge_of_chaos(name, p, sb2, bracket):
    sw2 = optimize.brentq(lambda s: chi1(name, p, s, sb2)[0] - 1, *bracket, xtol=1e-14, rtol=1e-13)
    return sw2, chi1(name, p, sw2, sb2)[1]


# --- 3. correlation map -----------------------------------------------------------------------

def cross(f, g, q, c):
    s = math.sqrt(q)
    r = math.sqrt(max(0.0, 1 - c * c))
    inner = lambda z1: integrate.quad(lambda z2: g(s * (c * z1 + r * z2)) * NORM.pdf(z2), -12, 12,
                                      epsabs=1e-14, epsrel=1e-12, limit=200)[0]
    return integrate.quad(lambda z1: f(s * z1) * inner(z1) * NORM.pdf(z1), -12, 12,
                          epsabs=1e-14, epsrel=1e-12, limit=200)[0]


def mean_field(name, p, sw2, sb2):
    phi, dphi, _ = make(name, p)
    q = fixed_point(name, p, sw2, sb2)
    c1, _ = chi1(name, p, sw2, sb2)
    C = lambda c: (sw2 * cross(phi, phi, q, c) + sb2) / q
    if c1 <= 1:
        cstar, chic = 1.0, c1
    else:
        cstar = optimize.brentq(lambda c: C(c) - c, 0.0, 1 - 1e-3, xtol=1e-13)
        chic = sw2 * cross(dphi, dphi, q, cstar)
    vp = vprime(name, p, sw2, q)
    return {"q_star": q, "chi1": c1, "c_star": cstar, "chi_c": chic, "vprime": vp}


# --- 4. maxout ----------------------------------------------------------------------------------

def maxout_second_moment(k):
    f = lambda x: x * x * k * NORM.pdf(x) * Phi(x) ** (k - 1)
    return integrate.quad(f, -np.inf, np.inf, epsabs=1e-15, epsrel=1e-13, limit=400)[0]


# --- 5. sparse recipes -------------------------------------------------------------------------

def sparse_recipe(name, s, qstar, m=None):
    relu_type = name in ("shifted-relu", "clipped-relu")
    tau = math.sqrt(qstar) * (NORM.ppf(s) if relu_type else NORM.ppf((1 + s) / 2))
    p = {"tau": tau} if m is None else {"tau": tau, "m": m}
    _, second, dsecond, _ = moments(name, p, qstar)
    sw2 = 1 / dsecond
    sb2 = qstar - sw2 * second
    return tau, sw2, sb2, vprime(name, p, sw2, qstar)


def vsecond(name, tau, m, sw2, q, h=1e-4):
    p = {"tau": tau, "m": m}
    return (vprime(name, p, sw2, q + h) - vprime(name, p, sw2, q - h)) / (2 * h)


def recommended_clip(name, s, qstar):
    """Largest m with V''(q*) <= 0 at the recipe for (s, q*, m): scan m down from 8, then brentq."""
    def curvature(m):
        tau, sw2, _, _ = sparse_recipe(name, s, qstar, m)
        return vsecond(name, tau, m, sw2, qstar)
    grid = [8 * 0.9 ** i for i in range(80)]
    for hi, lo in zip(grid[:-1], grid[1:]):
        if curvature(lo) <= 0 < curvature(hi):
            return optimize.brentq(curvature, lo, hi, xtol=1e-10)
    return None


def main():
    out = {"generator": "scripts/theory_reference.py", "numpy": np.__version__,
           "scipy": __import__("scipy").__version__}
    out["gauss_hermite"] = gauss_hermite()

    out["edge_of_chaos"] = []
    for sb2 in (0.01, 0.05, 0.1, 0.3):
        sw2, q = edge_of_chaos("tanh", {}, sb2, (1.0001, 3.0))
        out["edge_of_chaos"].append({"activation": "tanh", "sigma_b2": sb2, "sigma_w2": sw2, "q_star": q})
    for spec, p, sb2, bracket in (("selu", {}, 0.05, (0.6, 1.2)), ("elu", {}, 0.05, (1.1, 1.9)),
                                  ("sine", {}, 0.05, (1.0001, 3.0))):
        sw2, q = edge_of_chaos(spec, p, sb2, bracket)
        out["edge_of_chaos"].append({"activation": spec, "sigma_b2": sb2, "sigma_w2": sw2, "q_star": q})

    out["maxout"] = [{"k": k, "second_moment": (m2 := maxout_second_moment(k)), "c": 1 / m2}
                     for k in range(1, 9)]

    gain_specs = [
        ("relu", "relu", {}), ("leaky-relu", "leaky-relu", {}), ("leaky-relu(slope=0.2)", "leaky-relu", {"slope": 0.2}),
        ("tanh", "tanh", {}), ("sigmoid", "sigmoid", {}), ("gelu", "gelu", {}), ("gelu-tanh", "gelu-tanh", {}),
        ("silu", "silu", {}), ("elu", "elu", {}), ("elu(alpha=0.5)", "elu", {"alpha": 0.5}), ("selu", "selu", {}),
        ("softplus", "softplus", {}), ("softplus(beta=2)", "softplus", {"beta": 2.0}),
        ("sine", "sine", {}), ("sine(omega=30)", "sine", {"omega": 30.0}), ("gaussian", "gaussian", {}),
        ("gaussian(s=0.5)", "gaussian", {"s": 0.5}), ("sinc", "sinc", {}), ("sinc(omega=10)", "sinc", {"omega": 10.0}),
        ("shifted-relu(tau=0.5)", "shifted-relu", {"tau": 0.5}), ("soft-threshold(tau=0.5)", "soft-threshold", {"tau": 0.5}),
        ("clipped-relu(tau=0.5,m=1)", "clipped-relu", {"tau": 0.5, "m": 1.0}),
        ("clipped-soft-threshold(tau=0.5,m=1)", "clipped-soft-threshold", {"tau": 0.5, "m": 1.0}),
        ("identity", "identity", {}), ("rational", "rational", {}),
    ]
    out["gains"] = []
    for spec, name, p in gain_specs:
        mean, second, dsecond, fourth = moments(name, p)
        out["gains"].append({"activation": spec, "forward": 1 / math.sqrt(second),
                             "variance": 1 / math.sqrt(second - mean ** 2), "backward": 1 / math.sqrt(dsecond),
                             "kurtosis_times_width": 3 * (fourth / second ** 2 - 1)})
    for k in (2, 3, 5):
        # maxout: phi = max of k standard normals; the gradient reaches exactly one piece.
        f1 = integrate.quad(lambda x: x * k * NORM.pdf(x) * Phi(x) ** (k - 1), -np.inf, np.inf,
                            epsabs=1e-15, epsrel=1e-13)[0]
        m2 = maxout_second_moment(k)
        out["gains"].append({"activation": f"maxout(k={k})", "forward": 1 / math.sqrt(m2),
                             "variance": 1 / math.sqrt(m2 - f1 ** 2), "backward": 1.0})

    out["sparse"] = []
    for name in ("shifted-relu", "soft-threshold", "clipped-relu", "clipped-soft-threshold"):
        clipped = name.startswith("clipped")
        for s in (0.6, 0.85, 0.9):
            for qstar in (1.0, 2.0):
                for m in ((0.5, 1.0, 2.0) if clipped else (None,)):
                    tau, sw2, sb2, vp = sparse_recipe(name, s, qstar, m)
                    row = {"activation": name, "sparsity": s, "q_star": qstar, "clip": m,
                           "tau": tau, "sigma_w2": sw2, "sigma_b2": sb2, "vprime": vp}
                    out["sparse"].append(row)
    out["recommended_clip"] = []
    for name in ("clipped-relu", "clipped-soft-threshold"):
        for s in (0.7, 0.85, 0.9):
            out["recommended_clip"].append({"activation": name, "sparsity": s, "q_star": 1.0,
                                            "clip": recommended_clip(name, s, 1.0)})

    out["mean_field"] = []
    for name, sw2, sb2 in (("tanh", 1.5, 0.05), ("tanh", 1.0, 0.05), ("tanh", 3.0, 0.3), ("erf-free-sine", 0, 0)):
        if name == "erf-free-sine":
            name, sw2, sb2 = "sine", 2.0, 0.1
        row = {"activation": name, "sigma_w2": sw2, "sigma_b2": sb2}
        row.update(mean_field(name, {}, sw2, sb2))
        out["mean_field"].append(row)

    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
