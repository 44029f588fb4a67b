#!/usr/bin/python3
"""Writes PyTorch Geometric's GCNConv, SAGEConv (mean) and GINConv, Virgo's variance lists and
both Dirichlet energies, written out as dense NumPy matrices (PyG is not installed), on one graph:
  Tests/InitiumNNTests/Fixtures/graph_layers.json      (Sources/InitiumNN/Layers/{GCN,SAGE,GIN}Conv.swift)
  Tests/InitiumInitTests/Fixtures/virgo_reference.json (Sources/InitiumInit/Virgo.swift)
  Tests/InitiumProbeTests/Fixtures/dirichlet_reference.json (Sources/InitiumProbe/DirichletEnergy.swift)

Run: /usr/bin/python3 scripts/make_graph_layer_fixture.py

The graph: 10 nodes, random undirected edges stored in both directions, node 9 isolated, and a
pre-existing self-loop on node 2. In `unit_edges` every weight is 1; in `weighted_edges` (GCN
only) the undirected edges get weights in [0.5, 2] and the self-loop 2.5, which GCN's
add_remaining_self_loops must keep (adding weight-1 loops only elsewhere). PyG's GCNConv uses
edge_weight; SAGEConv and GINConv ignore it, so they are checked on the unit-weight graph.

Definitions (pyg-team/pytorch_geometric, torch_geometric/nn/conv/*.py; messages flow from
source j to target i, A[i, j] = weight of the edge j → i):
  GCNConv : X' = D̂^{-1/2} Â D̂^{-1/2} X Θᵀ + b, Â = A with missing self-loops set to 1,
            d̂_i = Σ_j Â[i, j] (weighted in-degree, self-loop included), 0 where d̂ = 0.
  SAGEConv: x_i' = W_l · mean_{j ∈ N(i)} x_j + b_l + W_r x_i (empty neighbourhood: 0;
            the self-loop edge 2 → 2 is a neighbour of 2).
  GINConv : x_i' = MLP((1 + ε) x_i + Σ_{j ∈ N(i)} x_j), MLP = Linear → ReLU → Linear.
Virgo (LspongebobJH/virgo_icml2023 utils.py): c5[k] = Σ_i ((Â_sym^{k+1} h0)_i)², forward
h0 = per-node mean feature, backward h0 = 1; c2 lists as in gen_c2_for / gen_c2_back.
Dirichlet energies (spec §4): E_a = (1/|V|) Σ_i Σ_{j ∈ N(i)} ‖x_i − x_j‖² (neighbours of the
adjacency, weights ignored), E_b = tr(Xᵀ (I − Â_sym) X).
Everything is computed in float64 from float32-rounded inputs.
"""
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "Tests")

rng = np.random.default_rng(20261203)
n, f_in, f_out, hidden = 10, 4, 3, 5


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


# Random undirected edges among nodes 0..8 (node 9 isolated), no duplicates, no self-loops.
pairs = set()
while len(pairs) < 14:
    i, j = rng.integers(0, 9, size=2)
    if i != j:
        pairs.add((min(i, j), max(i, j)))
pairs = sorted(pairs)
weights = f32(rng.uniform(0.5, 2.0, size=len(pairs)))


def edge_list(weighted):
    edges = []
    for (i, j), w in zip(pairs, weights):
        w = float(w) if weighted else 1.0
        edges.append([int(i), int(j), w])
        edges.append([int(j), int(i), w])
    edges.append([2, 2, 2.5 if weighted else 1.0])
    return edges


def adjacency(edges):
    a = np.zeros((n, n))
    for s, t, w in edges:
        a[t, s] += w
    return a


def gcn_propagation(a):
    hat = a.copy()
    for i in range(n):
        if hat[i, i] == 0:
            hat[i, i] = 1.0
    deg = hat.sum(axis=1)
    inv = np.where(deg > 0, 1 / np.sqrt(np.where(deg > 0, deg, 1)), 0)
    return inv[:, None] * hat * inv[None, :]


x = f32(rng.normal(size=(n, f_in)))
gcn_weight = f32(rng.normal(size=(f_out, f_in)) * 0.5)
gcn_bias = f32(rng.normal(size=f_out) * 0.1)
sage_l = f32(rng.normal(size=(f_out, f_in)) * 0.5)
sage_l_bias = f32(rng.normal(size=f_out) * 0.1)
sage_r = f32(rng.normal(size=(f_out, f_in)) * 0.5)
gin_w0 = f32(rng.normal(size=(hidden, f_in)) * 0.5)
gin_b0 = f32(rng.normal(size=hidden) * 0.1)
gin_w1 = f32(rng.normal(size=(f_out, hidden)) * 0.5)
gin_b1 = f32(rng.normal(size=f_out) * 0.1)
eps = 0.3

unit_edges, weighted_edges = edge_list(False), edge_list(True)
a_unit, a_weighted = adjacency(unit_edges), adjacency(weighted_edges)

gcn_unit = gcn_propagation(a_unit) @ x @ gcn_weight.T + gcn_bias
gcn_weighted = gcn_propagation(a_weighted) @ x @ gcn_weight.T + gcn_bias

neighbours = (a_unit != 0).astype(np.float64)
counts = neighbours.sum(axis=1)
mean_aggregate = np.where(counts[:, None] > 0, neighbours @ x / np.maximum(counts, 1)[:, None], 0)
sage = mean_aggregate @ sage_l.T + sage_l_bias + x @ sage_r.T

gin_input = (1 + eps) * x + neighbours @ x
gin = np.maximum(gin_input @ gin_w0.T + gin_b0, 0) @ gin_w1.T + gin_b1

# Virgo on the unit-weight graph, L = 4 layers, d_in = f_in, d_hid = 8, C = 3.
layers, d_hid, classes = 4, 8, 3
p_sym = gcn_propagation(a_unit)


def c5(h0):
    out, h = [], h0
    for _ in range(layers):
        h = p_sym @ h
        out.append(float((h ** 2).sum()))
    return out


c5_forward, c5_backward = c5(x.mean(axis=1)), c5(np.ones(n))
c2_forward = [2 / f_in] + [2 / d_hid * c5_forward[i - 1] / c5_forward[i] for i in range(1, layers)]
c2_backward = [n / ((classes - 1) * c5_backward[0])] + [2 / d_hid * c5_backward[i - 1] / c5_backward[i] for i in range(1, layers)]
c2_backward.reverse()
c2_harmonic = [2 / (1 / a + 1 / b) for a, b in zip(c2_forward, c2_backward)]
c2_mean = [(a + b) / 2 for a, b in zip(c2_forward, c2_backward)]

energy_a = sum(np.sum((x[i] - x[j]) ** 2) for i in range(n) for j in range(n) if a_unit[i, j] != 0) / n
energy_b = float(np.trace(x.T @ (np.eye(n) - p_sym) @ x))


def flat(a):
    return [float(v) for v in np.asarray(a).reshape(-1)]


graph = {"nodes": n, "unit_edges": unit_edges, "weighted_edges": weighted_edges, "x": flat(x), "in_features": f_in}
outputs = {
    "InitiumNNTests/Fixtures/graph_layers.json": {
        "out_features": f_out, "hidden": hidden,
        "gcn_weight": flat(gcn_weight), "gcn_bias": flat(gcn_bias),
        "gcn_unit": flat(gcn_unit), "gcn_weighted": flat(gcn_weighted),
        "sage_lin_l_weight": flat(sage_l), "sage_lin_l_bias": flat(sage_l_bias), "sage_lin_r_weight": flat(sage_r),
        "sage": flat(sage),
        "gin_eps": eps, "gin_nn0_weight": flat(gin_w0), "gin_nn0_bias": flat(gin_b0),
        "gin_nn2_weight": flat(gin_w1), "gin_nn2_bias": flat(gin_b1), "gin": flat(gin),
    },
    "InitiumInitTests/Fixtures/virgo_reference.json": {
        "layers": layers, "hidden": d_hid, "classes": classes,
        "c5_forward": c5_forward, "c5_backward": c5_backward,
        "c2_forward": c2_forward, "c2_backward": c2_backward, "c2_harmonic": c2_harmonic, "c2_mean": c2_mean,
    },
    "InitiumProbeTests/Fixtures/dirichlet_reference.json": {
        "unnormalized": float(energy_a), "normalized": energy_b,
    },
}
for path, values in outputs.items():
    with open(os.path.join(TESTS, path), "w") as handle:
        json.dump({**graph, **values}, handle)
        handle.write("\n")
    print("wrote", path)
