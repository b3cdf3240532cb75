#!/usr/bin/env python3
"""PyTorch reference for `./cnn train`: the same default model (fmnist_cnn), optimizer and schedule (Adam with
one-cycle, peak lr 3e-3, no momentum cycling), batch size (64), normalisation and data order semantics
(shuffled each epoch), on the same Fashion-MNIST files.
Prints seconds per epoch and test accuracy per epoch, for side-by-side comparison on the same machine.

Usage: tools/bench/fmnist_torch.py [--data /usr/share/datasets/fashion-mnist] [--epochs 2] [--threads N]
       [--limit-train N]
"""
import argparse
import gzip
import os
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">I", data[:4])
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return torch.frombuffer(bytearray(data[4 + 4 * ndim:]), dtype=torch.uint8).reshape(dims)


def find(data_dir, stem):
    for name in (stem + ".gz", stem):
        if os.path.exists(os.path.join(data_dir, name)):
            return os.path.join(data_dir, name)
    raise SystemExit(f"{stem}(.gz) not found in {data_dir}")


def model():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Dropout(0.25), nn.Linear(128, 10))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--limit-train", type=int, default=0)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    xs = (read_idx(find(args.data, "train-images-idx3-ubyte")).float() / 255 - 0.2860) / 0.3530
    ys = read_idx(find(args.data, "train-labels-idx1-ubyte")).long()
    xt = (read_idx(find(args.data, "t10k-images-idx3-ubyte")).float() / 255 - 0.2860) / 0.3530
    yt = read_idx(find(args.data, "t10k-labels-idx1-ubyte")).long()
    if args.limit_train:
        xs, ys = xs[:args.limit_train], ys[:args.limit_train]
    xs, xt = xs.unsqueeze(1), xt.unsqueeze(1)
    net = model()
    opt = torch.optim.Adam(net.parameters(), lr=3e-3)
    steps_per_epoch = (len(xs) + args.batch_size - 1) // args.batch_size
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=args.epochs * steps_per_epoch,
                                                cycle_momentum=False)
    print(f"PyTorch {torch.__version__}, {args.threads} threads, {len(xs)} train / {len(xt)} test images")
    for epoch in range(args.epochs):
        net.train()
        t0 = time.perf_counter()
        perm = torch.randperm(len(xs))
        for i in range(0, len(xs), args.batch_size):
            idx = perm[i:i + args.batch_size]
            opt.zero_grad()
            F.cross_entropy(net(xs[idx]), ys[idx]).backward()
            opt.step()
            sched.step()
        seconds = time.perf_counter() - t0
        net.eval()
        with torch.no_grad():
            correct = sum((net(xt[i:i + 500]).argmax(1) == yt[i:i + 500]).sum().item() for i in range(0, len(xt), 500))
        print(f"epoch {epoch + 1}: {seconds:.1f} s ({len(xs) / seconds:.0f} img/s), test accuracy {correct / len(xt):.4f}")


if __name__ == "__main__":
    main()
