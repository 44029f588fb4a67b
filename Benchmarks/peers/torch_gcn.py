#!/usr/bin/env python3
"""Peer benchmark: PyTorch training-step throughput of a PyG-style GCN on `fashion-mnist-knn`.

Run with Debian's PyTorch (`/usr/bin/python3`). It builds the same graph as Initium's
`fashion-mnist-knn(n=N,k=K)` (Sources/InitiumNN/Data/FashionMNISTKNN.swift): the first N
Fashion-MNIST training images (pixels / 255, features [N, 784]), each joined to its K nearest
other images in Euclidean pixel distance, symmetrized (A ∨ Aᵀ, weight 1); then GCN's
propagation D̃^-1/2 (A + I) D̃^-1/2 as a `torch.sparse` COO matrix, and a 2-layer GCN written the
way PyG's `GCNConv` computes (X Θᵀ, then `torch.sparse.mm(Â, ·)`, then + b; ReLU between):
  convs.0: GCNConv(784, W), ReLU, head: GCNConv(W, 10).
A step is full-batch (every node forward), cross-entropy on the 20-per-class labelled nodes,
backward and SGD with momentum 0.9 (Initium's `bench train` default). The labelled nodes are a
seeded choice here, not Initium's; which 200 rows are gathered does not change the step's cost.
Prints the peer's JSON line (report_steps of torch_train_bench.py).

Example: torch_gcn.py --n 10000 --k 10 --width 64 --steps 50 --warmup 5 --threads 2
"""
import argparse
import gzip
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_train_bench import report_steps  # noqa: E402

DATA = os.environ.get("INITIUM_DATA") or "/usr/share/datasets/fashion-mnist"


def read_idx(name):
    path = os.path.join(DATA, name)
    opener = gzip.open if os.path.exists(path + ".gz") else open
    with opener(path + ".gz" if os.path.exists(path + ".gz") else path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def knn_graph(x, k):
    """Indices [n, k] of each row's k nearest other rows (squared distances through one product per block)."""
    n = x.shape[0]
    norms = (x * x).sum(1)
    chosen = []
    for start in range(0, n, 1000):
        block = x[start:start + 1000]
        d = norms[start:start + 1000, None] + norms[None, :] - 2 * block @ x.T
        d[torch.arange(block.shape[0]), torch.arange(start, start + block.shape[0])] = float("inf")
        chosen.append(torch.topk(d, k, dim=1, largest=False).indices)
    return torch.cat(chosen)


def gcn_propagation(neighbours, n):
    rows = torch.arange(n).repeat_interleave(neighbours.shape[1])
    cols = neighbours.reshape(-1)
    a = torch.zeros(n, n)
    a[rows, cols] = 1
    a = torch.maximum(a, a.T)
    a.fill_diagonal_(1)  # no self-loops in a kNN graph: add_remaining_self_loops adds every one
    d = a.sum(1).rsqrt()
    return (d[:, None] * a * d[None, :]).to_sparse().coalesce()


class GCNConv(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.lin = nn.Linear(cin, cout, bias=False)
        nn.init.xavier_uniform_(self.lin.weight)
        self.bias = nn.Parameter(torch.zeros(cout))

    def forward(self, x, a):
        return torch.sparse.mm(a, self.lin(x)) + self.bias


class GCN(nn.Module):
    def __init__(self, cin, width, classes):
        super().__init__()
        self.conv = GCNConv(cin, width)
        self.head = GCNConv(width, classes)

    def forward(self, x, a):
        return self.head(F.relu(self.conv(x, a)), a)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=10000)
    p.add_argument("--k", type=int, default=10)
    p.add_argument("--width", type=int, default=64)
    p.add_argument("--steps", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    images = read_idx("train-images-idx3-ubyte")[:a.n].reshape(a.n, -1).astype(np.float32) / 255
    labels = torch.from_numpy(read_idx("train-labels-idx1-ubyte")[:a.n].astype(np.int64))
    x = torch.from_numpy(images)
    with torch.no_grad():
        adjacency = gcn_propagation(knn_graph(x, a.k), a.n)
    order = torch.randperm(a.n)
    train = torch.cat([order[labels[order] == c][:20] for c in range(10)])
    model = GCN(x.shape[1], a.width, 10)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(x, adjacency)[train], labels[train])
        loss.backward()
        opt.step()

    a.model = f"gcn:layers=2,width={a.width}"
    a.batch = int(train.numel())
    report_steps(step, a)


if __name__ == "__main__":
    main()
