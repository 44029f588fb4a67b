#!/usr/bin/python3
"""Writes the SciPy references for Initium's sparse graph engine
(Sources/InitiumCore/Sparse/SparseMatrix.swift, Ops/SparseProduct.swift, InitiumNN/Graph/Graph.swift):

- Tests/InitiumNNTests/Fixtures/sparse_graphs.npz: for each of three random directed weighted
  graphs (case c = 0, 1, 2), the adjacency A in CSR (`c_indptr`, `c_indices`, `c_data`, `c_shape`),
  a dense X [n, d] and G [n, d], and the references computed with scipy.sparse in float64:
  `c_ax` = A·X, `c_atg` = Aᵀ·G, and the three propagation matrices (dense) `c_symmetric`,
  `c_mean`, `c_sum`. Every graph has an isolated node and a pre-existing self-loop (weight 2.5).
- Tests/InitiumNNTests/Fixtures/scipy_csr.npz: case 0's adjacency written by
  `scipy.sparse.save_npz` (compressed), for the `.npz` graph reader.

Run: /usr/bin/python3 scripts/make_sparse_fixture.py

Conventions (PyTorch Geometric's, message passing `source_to_target`): entry A[u, v] is the weight
of the edge u → v, so a layer aggregates with P built from Aᵀ:
  sum       P = Aᵀ
  mean      P = D⁻¹Aᵀ, D = diag(row sums of Aᵀ) (weighted in-degree); rows with D = 0 are 0
  symmetric P = D̃^-1/2 Ã D̃^-1/2, Ã = Aᵀ with every missing diagonal entry set to 1 (an existing
            self-loop keeps its weight: `add_remaining_self_loops`), D̃ = row sums of Ã (`gcn_norm`).
The propagations are written out from these definitions with scipy.sparse operations, not from
Initium's code.
"""
import os

import numpy as np
import scipy.sparse as sp

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "InitiumNNTests", "Fixtures")

rng = np.random.default_rng(20261203)


def random_graph(n, density):
    dense = np.where(rng.uniform(size=(n, n)) < density, rng.uniform(0.1, 2.0, size=(n, n)), 0.0)
    np.fill_diagonal(dense, 0.0)
    isolated = n - 1
    dense[isolated, :] = 0.0
    dense[:, isolated] = 0.0
    dense[1, 1] = 2.5  # a self-loop already in the data
    return sp.csr_matrix(dense.astype(np.float32))


def propagations(a):
    at = a.T.tocsr().astype(np.float64)
    n = at.shape[0]
    in_degree = np.asarray(at.sum(axis=1)).ravel()
    inverse = np.divide(1.0, in_degree, out=np.zeros(n), where=in_degree > 0)
    mean = sp.diags(inverse) @ at
    diagonal = at.diagonal()
    looped = at + sp.diags(np.where(diagonal == 0, 1.0, 0.0))
    d_tilde = np.asarray(looped.sum(axis=1)).ravel()
    root = np.divide(1.0, np.sqrt(d_tilde), out=np.zeros(n), where=d_tilde > 0)
    symmetric = sp.diags(root) @ looped @ sp.diags(root)
    return symmetric.toarray(), mean.toarray(), at.toarray()


arrays = {}
for case, (n, d, density) in enumerate([(9, 3, 0.3), (40, 5, 0.1), (120, 7, 0.04)]):
    a = random_graph(n, density)
    a.sort_indices()
    x = rng.normal(size=(n, d)).astype(np.float32)
    g = rng.normal(size=(n, d)).astype(np.float32)
    a64 = a.astype(np.float64)
    symmetric, mean, total = propagations(a)
    arrays.update({
        f"{case}_indptr": a.indptr.astype(np.int32), f"{case}_indices": a.indices.astype(np.int32),
        f"{case}_data": a.data.astype(np.float32), f"{case}_shape": np.array(a.shape, dtype=np.int64),
        f"{case}_x": x, f"{case}_g": g,
        f"{case}_ax": (a64 @ x.astype(np.float64)).astype(np.float32),
        f"{case}_atg": (a64.T @ g.astype(np.float64)).astype(np.float32),
        f"{case}_symmetric": symmetric.astype(np.float32), f"{case}_mean": mean.astype(np.float32),
        f"{case}_sum": total.astype(np.float32),
    })
    if case == 0:
        sp.save_npz(os.path.join(FIXTURES, "scipy_csr.npz"), a, compressed=True)

np.savez(os.path.join(FIXTURES, "sparse_graphs.npz"), **arrays)
print("wrote", len(arrays), "arrays")
