#!/usr/bin/env python3
"""Generates PyTorch golden fixtures for cnn4j's 1-D and embedding tests (SequenceOpsContract).

Same file layout and conventions as make_op_fixtures.py (seeded float32 inputs, float64 references stored as
float32, case parameters as JSON metadata): conv1d.safetensors, pool1d.safetensors, batch_norm1d.safetensors
and embedding.safetensors in core/src/test/resources/golden/. Every reference comes from PyTorch's own 1-D
functions (F.conv1d, F.max_pool1d, ...), so the tests check that cnn4j's view of them as 2-D ops has exactly
their semantics. Run from anywhere: python3 tools/golden/make_seq_fixtures.py
"""
import os

import torch
import torch.nn.functional as F

from make_op_fixtures import OUT_DIR, Fixture, leaf


def backprop(fx, y):
    """Backpropagates a random upstream gradient; returns it."""
    dy = fx.randn(*y.shape)
    (y * dy.double()).sum().backward()
    return dy


def conv1d_fixtures():
    fx = Fixture(11)
    # name, x shape, weight shape, stride, padding, dilation, groups, bias
    cases = [
        ("k3_s1_p1_bias", (2, 3, 9), (4, 3, 3), 1, 1, 1, 1, True),
        ("k5_s2_p0_nobias", (2, 2, 12), (3, 2, 5), 2, 0, 1, 1, False),
        ("k3_s1_p2_d2_bias", (1, 3, 10), (2, 3, 3), 1, 2, 2, 1, True),
        ("k3_s2_p1_g2_bias", (2, 4, 11), (6, 2, 3), 2, 1, 1, 2, True),
        ("k4_s3_p3_d2_depthwise_nobias", (1, 4, 13), (4, 1, 4), 3, 3, 2, 4, False),
        ("k80_s4_p0_bias", (1, 1, 120), (3, 1, 80), 4, 0, 1, 1, True),
    ]
    for name, xs, ws, stride, padding, dilation, groups, bias in cases:
        x, w = fx.randn(*xs), fx.randn(*ws)
        b = fx.randn(ws[0]) if bias else None
        x64, w64 = leaf(x), leaf(w)
        b64 = leaf(b) if bias else None
        y = F.conv1d(x64, w64, b64, stride=stride, padding=padding, dilation=dilation, groups=groups)
        dy = backprop(fx, y)
        params = {"stride": stride, "padding": padding, "dilation": dilation, "groups": groups}
        fx.add(name, params, x=x, w=w, b=b, dy=dy, y=y, dx=x64.grad, dw=w64.grad, db=b64.grad if bias else None)
    fx.save("conv1d.safetensors")


def pool1d_fixtures():
    fx = Fixture(12)
    cases = [
        ("max_k2_s2", (2, 3, 8), {"mode": "max", "kernel": 2, "stride": 2, "padding": 0}),
        ("max_k3_s2_p1", (1, 2, 9), {"mode": "max", "kernel": 3, "stride": 2, "padding": 1}),
        ("max_k3_s2_ceil", (1, 2, 8), {"mode": "max", "kernel": 3, "stride": 2, "padding": 0, "ceil_mode": True}),
        ("max_k4_s3_p2_ceil", (2, 2, 10), {"mode": "max", "kernel": 4, "stride": 3, "padding": 2, "ceil_mode": True}),
        ("avg_k3_s2_p1_incpad", (1, 2, 9),
         {"mode": "avg", "kernel": 3, "stride": 2, "padding": 1, "count_include_pad": True}),
        ("avg_k3_s2_p1_excpad", (1, 2, 9),
         {"mode": "avg", "kernel": 3, "stride": 2, "padding": 1, "count_include_pad": False}),
        ("avg_k3_s2_p1_ceil_incpad", (1, 2, 8),
         {"mode": "avg", "kernel": 3, "stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": True}),
        ("avg_k2_s2_ceil", (1, 2, 7), {"mode": "avg", "kernel": 2, "stride": 2, "padding": 0, "ceil_mode": True}),
        ("adaptive_avg_3_from_5", (2, 2, 5), {"mode": "adaptive_avg", "output": 3}),
        ("adaptive_avg_4_from_7", (1, 3, 7), {"mode": "adaptive_avg", "output": 4}),
        ("adaptive_avg_1_from_6", (2, 2, 6), {"mode": "adaptive_avg", "output": 1}),
        ("adaptive_max_3_from_7", (2, 2, 7), {"mode": "adaptive_max", "output": 3}),
        ("adaptive_max_4_from_10", (1, 3, 10), {"mode": "adaptive_max", "output": 4}),
        ("adaptive_max_2_from_8", (2, 2, 8), {"mode": "adaptive_max", "output": 2}),
        ("adaptive_max_6_from_4", (1, 2, 4), {"mode": "adaptive_max", "output": 6}),
        ("adaptive_max_1_from_9", (2, 3, 9), {"mode": "adaptive_max", "output": 1}),
    ]
    for name, xs, params in cases:
        params.setdefault("ceil_mode", False)
        params.setdefault("count_include_pad", True)
        x = fx.randn(*xs)
        x64 = leaf(x)
        mode = params["mode"]
        if mode == "max":
            y = F.max_pool1d(x64, params["kernel"], params["stride"], params["padding"], ceil_mode=params["ceil_mode"])
        elif mode == "avg":
            y = F.avg_pool1d(x64, params["kernel"], params["stride"], params["padding"], ceil_mode=params["ceil_mode"],
                             count_include_pad=params["count_include_pad"])
        elif mode == "adaptive_avg":
            y = F.adaptive_avg_pool1d(x64, params["output"])
        else:
            y = F.adaptive_max_pool1d(x64, params["output"])
        dy = backprop(fx, y)
        fx.add(name, params, x=x, dy=dy, y=y, dx=x64.grad)
    fx.save("pool1d.safetensors")


def batch_norm1d_fixtures():
    """One training step (output, gradients, running statistics), then eval with the updated statistics."""
    fx = Fixture(13)
    for name, xs in (("ncl", (4, 3, 5)), ("nc", (6, 4))):
        c = xs[1]
        gamma, beta = fx.randn(c), fx.randn(c)
        x1, x2 = fx.randn(*xs) * 2 + 0.5, fx.randn(*xs)
        bn = torch.nn.BatchNorm1d(c).double()
        with torch.no_grad():
            bn.weight.copy_(gamma.double())
            bn.bias.copy_(beta.double())
        x64 = leaf(x1)
        y1 = bn(x64)
        dy1 = backprop(fx, y1)
        tensors = {"x1": x1, "dy1": dy1, "y1": y1, "dx1": x64.grad, "dgamma1": bn.weight.grad.clone(),
                   "dbeta1": bn.bias.grad.clone(), "running_mean1": bn.running_mean.clone(),
                   "running_var1": bn.running_var.clone()}
        bn.eval()
        x64 = leaf(x2)
        y2 = bn(x64)
        dy2 = backprop(fx, y2)
        tensors.update({"x2": x2, "dy2": dy2, "y2": y2, "dx2": x64.grad})
        fx.add(name, {}, gamma=gamma, beta=beta, **tensors)
    fx.save("batch_norm1d.safetensors")


def embedding_fixtures():
    fx = Fixture(14)
    # ids with repeats (their gradients add up) and the padding row
    ids = torch.tensor([[3, 0, 5, 3], [1, 3, 0, 6]], dtype=torch.int64)
    for name, padding_idx in (("pad0", 0), ("pad_none", None), ("pad3", 3)):
        w = fx.randn(7, 5)
        w64 = leaf(w)
        y = F.embedding(ids, w64, padding_idx=padding_idx)
        dy = backprop(fx, y)
        fx.add(name, {"padding_idx": -1 if padding_idx is None else padding_idx}, ids=ids.float(), w=w, dy=dy,
               y=y, dw=w64.grad)
    fx.save("embedding.safetensors")


if __name__ == "__main__":
    os.makedirs(OUT_DIR, exist_ok=True)
    conv1d_fixtures()
    pool1d_fixtures()
    batch_norm1d_fixtures()
    embedding_fixtures()
    for f in ("conv1d", "pool1d", "batch_norm1d", "embedding"):
        path = os.path.join(OUT_DIR, f + ".safetensors")
        print("%-28s %6d bytes" % (f + ".safetensors", os.path.getsize(path)))
