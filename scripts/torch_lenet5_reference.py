#!/usr/bin/env python3
"""PyTorch baseline for issue 4's LeNet-5 recipe on Fashion-MNIST (not run by the tests).

Trains the same LeNet-5 (torch default init) with the same recipe as
`initium train --model lenet5 --epochs 3 --batch 128 --optimizer sgd --lr 0.05 --momentum 0.9`:
pixels scaled to [0, 1] and standardized with the training set's scalar mean and std,
a fresh shuffle each epoch, and either a constant rate or per-step cosine annealing to 0.
Prints the test accuracy after each epoch for each seed.

    /usr/bin/python3 scripts/torch_lenet5_reference.py --schedule cosine --seeds 0 1 2
"""
import argparse
import gzip
import math

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path, offset, shape):
    data = gzip.open(path).read()
    return np.frombuffer(data, np.uint8, offset=offset).reshape(shape)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--schedule", choices=["constant", "cosine"], default="cosine")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    d = args.data_dir + "/"
    x_train = read_idx(d + "train-images-idx3-ubyte.gz", 16, (-1, 1, 28, 28)).astype(np.float32) / 255
    y_train = read_idx(d + "train-labels-idx1-ubyte.gz", 8, (-1,)).astype(np.int64)
    x_test = read_idx(d + "t10k-images-idx3-ubyte.gz", 16, (-1, 1, 28, 28)).astype(np.float32) / 255
    y_test = read_idx(d + "t10k-labels-idx1-ubyte.gz", 8, (-1,)).astype(np.int64)
    mean, std = x_train.mean(), x_train.std()
    x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
    x_train, y_train, x_test, y_test = map(torch.from_numpy, (x_train, y_train, x_test, y_test))

    batch, base_lr = 128, 0.05
    steps_per_epoch = math.ceil(len(x_train) / batch)
    total = steps_per_epoch * args.epochs
    for seed in args.seeds:
        torch.manual_seed(seed)
        net = nn.Sequential(
            nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
        opt = torch.optim.SGD(net.parameters(), lr=base_lr, momentum=0.9)
        step, accuracies = 0, []
        for _ in range(args.epochs):
            order = torch.randperm(len(x_train))
            for start in range(0, len(x_train), batch):
                if args.schedule == "cosine":
                    for group in opt.param_groups:
                        group["lr"] = base_lr * (1 + math.cos(math.pi * step / total)) / 2
                index = order[start:start + batch]
                opt.zero_grad()
                F.cross_entropy(net(x_train[index]), y_train[index]).backward()
                opt.step()
                step += 1
            with torch.no_grad():
                accuracies.append(round((net(x_test).argmax(1) == y_test).float().mean().item(), 4))
        print(f"seed {seed} schedule {args.schedule}: test accuracy per epoch {accuracies}", flush=True)


if __name__ == "__main__":
    main()
