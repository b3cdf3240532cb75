#!/usr/bin/env python3
"""PyTorch side of the peak-memory comparison: resnet18 training steps at batch 16, 224x224 (the same work as
`cnn bench --model resnet18 --mode train --batch-size 16`). Run both under `/usr/bin/time -v` and compare
"Maximum resident set size".  Usage: tools/bench/resnet18_train_torch.py [--steps 7] [--threads N]"""
import argparse
import os

import torch
import torch.nn.functional as F
import torchvision

ap = argparse.ArgumentParser()
ap.add_argument("--steps", type=int, default=7)
ap.add_argument("--batch-size", type=int, default=16)
ap.add_argument("--threads", type=int, default=os.cpu_count())
args = ap.parse_args()
torch.set_num_threads(args.threads)
model = torchvision.models.resnet18()
model.train()
opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
x = torch.randn(args.batch_size, 3, 224, 224)
y = torch.randint(0, 1000, (args.batch_size,))
for _ in range(args.steps):
    opt.zero_grad()
    F.cross_entropy(model(x), y).backward()
    opt.step()
