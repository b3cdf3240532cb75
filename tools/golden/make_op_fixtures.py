#!/usr/bin/env python3
"""Generates PyTorch golden fixtures for cnn4j's op tests (GoldenOpsContract).

Writes small safetensors files into core/src/test/resources/golden/. Inputs are seeded float32; every
reference is computed in float64 from those exact float32 inputs and stored as float32, so the tests compare
cnn4j's float32 kernels against the most accurate answer rather than against PyTorch's own rounding.
Each file lists its cases in the metadata key "cases" (a JSON list); each case's parameters are a JSON
object under the case name, and its tensors are named "<case>.<tensor>". Needs only torch (no numpy calls,
no safetensors package). Run from anywhere: python3 tools/golden/make_op_fixtures.py
"""
import json
import os

import torch
import torch.nn.functional as F

from safetensors_writer import write_safetensors

OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                       "core", "src", "test", "resources", "golden")


class Fixture:
    """Collects the cases of one file."""

    def __init__(self, generator_seed):
        torch.manual_seed(generator_seed)
        self.tensors = {}
        self.metadata = {"generator": "tools/golden/make_op_fixtures.py", "torch": torch.__version__}
        self.cases = []

    def randn(self, *shape):
        return torch.randn(*shape, dtype=torch.float32)

    def add(self, case, params, **tensors):
        self.cases.append(case)
        self.metadata[case] = json.dumps(params, separators=(",", ":"))
        for name, t in tensors.items():
            if t is None:
                continue
            self.tensors[case + "." + name] = t if t.dtype == torch.int64 else t.detach().float()

    def save(self, filename):
        self.metadata["cases"] = json.dumps(self.cases)
        write_safetensors(os.path.join(OUT_DIR, filename), self.tensors, self.metadata)


def leaf(t):
    """A float64 copy of a float32 input that records gradients."""
    return t.double().requires_grad_(True)


def conv_fixtures():
    fx = Fixture(1)
    # name, x shape, weight shape, stride, padding, dilation, groups, bias
    cases = [
        ("k3_s1_p1_bias", (2, 3, 6, 5), (4, 3, 3, 3), (1, 1), (1, 1), (1, 1), 1, True),
        ("k3_s2_p0_nobias", (2, 3, 7, 6), (4, 3, 3, 3), (2, 2), (0, 0), (1, 1), 1, False),
        ("k5_s1_p2_bias", (1, 2, 6, 7), (3, 2, 5, 5), (1, 1), (2, 2), (1, 1), 1, True),
        ("k1_s2_p0_bias", (2, 4, 5, 5), (6, 4, 1, 1), (2, 2), (0, 0), (1, 1), 1, True),
        ("k3_s1_p2_d2_bias", (1, 3, 7, 7), (2, 3, 3, 3), (1, 1), (2, 2), (2, 2), 1, True),
        ("k3_s1_p1_g2_bias", (2, 4, 5, 6), (6, 2, 3, 3), (1, 1), (1, 1), (1, 1), 2, True),
        ("k3_s2_p1_depthwise_nobias", (2, 4, 6, 6), (4, 1, 3, 3), (2, 2), (1, 1), (1, 1), 4, False),
        ("k3x5_s1x2_p1x2_nobias", (1, 2, 5, 8), (3, 2, 3, 5), (1, 2), (1, 2), (1, 1), 1, False),
        ("k5_s2_p2_d2x1_g2_bias", (1, 4, 9, 8), (4, 2, 5, 5), (2, 2), (2, 2), (2, 1), 2, True),
    ]
    for name, xs, ws, stride, padding, dilation, groups, bias in cases:
        x, w = fx.randn(*xs), fx.randn(*ws)
        b = fx.randn(ws[0]) if bias else None
        x64, w64 = leaf(x), leaf(w)
        b64 = leaf(b) if bias else None
        y = F.conv2d(x64, w64, b64, stride=stride, padding=padding, dilation=dilation, groups=groups)
        dy = fx.randn(*y.shape)
        (y * dy.double()).sum().backward()
        params = {"stride": list(stride), "padding": list(padding), "dilation": list(dilation), "groups": groups}
        fx.add(name, params, x=x, w=w, b=b, dy=dy, y=y, dx=x64.grad, dw=w64.grad,
               db=b64.grad if bias else None)
    fx.save("conv2d.safetensors")


def pool_fixtures():
    fx = Fixture(2)
    # name, x shape, params
    cases = [
        ("max_k2_s2", (2, 3, 6, 6), {"mode": "max", "kernel": [2, 2], "stride": [2, 2], "padding": [0, 0]}),
        ("max_k3_s2_p1", (1, 2, 7, 7), {"mode": "max", "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1]}),
        ("max_k3_s2_ceil", (1, 2, 6, 6),
         {"mode": "max", "kernel": [3, 3], "stride": [2, 2], "padding": [0, 0], "ceil_mode": True}),
        ("max_k3x2_s2x1_p1x0_ceil", (1, 2, 8, 7),
         {"mode": "max", "kernel": [3, 2], "stride": [2, 1], "padding": [1, 0], "ceil_mode": True}),
        ("avg_k2_s2", (2, 3, 4, 4), {"mode": "avg", "kernel": [2, 2], "stride": [2, 2], "padding": [0, 0]}),
        ("avg_k3_s2_p1_incpad", (1, 2, 7, 6),
         {"mode": "avg", "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1], "count_include_pad": True}),
        ("avg_k3_s2_p1_excpad", (1, 2, 7, 6),
         {"mode": "avg", "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1], "count_include_pad": False}),
        ("avg_k3_s2_p1_ceil_incpad", (1, 2, 6, 6),
         {"mode": "avg", "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1], "ceil_mode": True,
          "count_include_pad": True}),
        ("avg_k3_s2_p1_ceil_excpad", (1, 2, 6, 6),
         {"mode": "avg", "kernel": [3, 3], "stride": [2, 2], "padding": [1, 1], "ceil_mode": True,
          "count_include_pad": False}),
        ("avg_k2_s2_ceil", (1, 2, 5, 5),
         {"mode": "avg", "kernel": [2, 2], "stride": [2, 2], "padding": [0, 0], "ceil_mode": True}),
        ("adaptive_1x1", (2, 3, 4, 6), {"mode": "adaptive", "output": [1, 1]}),
        ("adaptive_3x3_from_5x5", (1, 2, 5, 5), {"mode": "adaptive", "output": [3, 3]}),
        ("adaptive_2x4_from_7x7", (1, 2, 7, 7), {"mode": "adaptive", "output": [2, 4]}),
    ]
    for name, xs, params in cases:
        params.setdefault("ceil_mode", False)
        params.setdefault("count_include_pad", True)
        x = fx.randn(*xs)
        x64 = leaf(x)
        if params["mode"] == "max":
            y = F.max_pool2d(x64, params["kernel"], params["stride"], params["padding"],
                             ceil_mode=params["ceil_mode"])
        elif params["mode"] == "avg":
            y = F.avg_pool2d(x64, params["kernel"], params["stride"], params["padding"],
                             ceil_mode=params["ceil_mode"], count_include_pad=params["count_include_pad"])
        else:
            y = F.adaptive_avg_pool2d(x64, params["output"])
        dy = fx.randn(*y.shape)
        (y * dy.double()).sum().backward()
        fx.add(name, params, x=x, dy=dy, y=y, dx=x64.grad)
    fx.save("pool2d.safetensors")


def batch_norm_fixtures():
    fx = Fixture(3)
    cases = [
        ("nchw_default", (4, 3, 3, 2), 0.1, 1e-5),
        ("nc_momentum0p3_eps1e-3", (6, 5), 0.3, 1e-3),
    ]
    for name, xs, momentum, eps in cases:
        c = xs[1]
        gamma, beta = fx.randn(c), fx.randn(c)
        running_mean0, running_var0 = fx.randn(c), fx.randn(c).abs() + 0.5
        x1, x2, x3 = fx.randn(*xs) * 2 + 0.5, fx.randn(*xs), fx.randn(*xs)
        dy1, dy3 = fx.randn(*xs), fx.randn(*xs)
        rm, rv = running_mean0.double(), running_var0.double()

        g64, b64, x64 = leaf(gamma), leaf(beta), leaf(x1)
        y1 = F.batch_norm(x64, rm, rv, g64, b64, training=True, momentum=momentum, eps=eps)
        (y1 * dy1.double()).sum().backward()
        tensors = {"x1": x1, "dy1": dy1, "y1": y1, "dx1": x64.grad, "dgamma1": g64.grad, "dbeta1": b64.grad,
                   "running_mean1": rm.clone(), "running_var1": rv.clone()}
        with torch.no_grad():
            F.batch_norm(x2.double(), rm, rv, gamma.double(), beta.double(), training=True, momentum=momentum,
                         eps=eps)
        tensors.update({"x2": x2, "running_mean2": rm.clone(), "running_var2": rv.clone()})

        # eval mode uses the running statistics after the two training steps
        g64, b64, x64 = leaf(gamma), leaf(beta), leaf(x3)
        y3 = F.batch_norm(x64, rm, rv, g64, b64, training=False, momentum=momentum, eps=eps)
        (y3 * dy3.double()).sum().backward()
        tensors.update({"x3": x3, "dy3": dy3, "y3": y3, "dx3": x64.grad, "dgamma3": g64.grad,
                        "dbeta3": b64.grad})
        fx.add(name, {"momentum": momentum, "eps": eps}, gamma=gamma, beta=beta, running_mean0=running_mean0,
               running_var0=running_var0, **tensors)
    fx.save("batch_norm.safetensors")


def cross_entropy_fixtures():
    fx = Fixture(4)
    logits = fx.randn(5, 7) * 2
    labels = torch.tensor([3, 0, 6, 3, 1], dtype=torch.int64)
    for reduction in ("mean", "sum"):
        for smoothing in (0.0, 0.1):
            z = leaf(logits)
            loss = F.cross_entropy(z, labels, reduction=reduction, label_smoothing=smoothing)
            loss.backward()
            name = "%s_smoothing_%s" % (reduction, str(smoothing).replace(".", "p"))
            fx.add(name, {"reduction": reduction, "label_smoothing": smoothing}, logits=logits, labels=labels,
                   loss=loss, dlogits=z.grad)
    fx.save("cross_entropy.safetensors")


if __name__ == "__main__":
    os.makedirs(OUT_DIR, exist_ok=True)
    conv_fixtures()
    pool_fixtures()
    batch_norm_fixtures()
    cross_entropy_fixtures()
    for f in sorted(os.listdir(OUT_DIR)):
        print("%-28s %6d bytes" % (f, os.path.getsize(os.path.join(OUT_DIR, f))))
